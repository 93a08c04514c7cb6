/* lte_grid.h: what the LTE synchronisation/OFDM side hands to the control and shared channel side.
 *
 * One downlink subframe after OFDM demodulation (TS 36.211 6.12 inverse) with the frequency offset
 * removed: the received resource elements and the channel estimate per CRS antenna port, in the
 * spec's subcarrier order k = 0 .. 12*n_prb-1 (lowest subcarrier first, DC not included), symbol
 * l = 0 .. n_symb-1 across both slots. lte_sync/ofdm/chest (dsp/lte/) produce it; pcfich, pdcch,
 * pdsch and sib1 (dsp/lte/) consume it. */
#ifndef CS_DSP_LTE_GRID_H
#define CS_DSP_LTE_GRID_H

#include <complex.h>

#define LTE_MAX_PRB 110
#define LTE_MAX_PORTS 4

typedef enum { LTE_PHICH_NG_1_6 = 0, LTE_PHICH_NG_1_2, LTE_PHICH_NG_1, LTE_PHICH_NG_2 } lte_phich_ng;

/* What the MIB and synchronisation tell about a cell (TS 36.331 MasterInformationBlock). */
typedef struct {
  int pci;             /* N_ID^cell, 0..503 */
  int n_prb;           /* N_RB^DL: 6, 15, 25, 50, 75, 100 */
  int ports;           /* CRS antenna ports: 1, 2, 4 (from the PBCH CRC mask) */
  int cp_extended;     /* 0 normal CP (14 symbols per subframe), 1 extended (12) */
  int tdd;             /* 0 FDD, 1 TDD */
  int phich_extended;  /* PHICH duration: 0 normal, 1 extended */
  lte_phich_ng ng;     /* PHICH resource Ng */
  int sfn;             /* system frame number of the subframe handed over */
} lte_cell;

typedef struct {
  int n_prb;
  int n_symb;          /* 14 (normal CP) or 12 (extended CP) */
  int subframe;        /* 0..9 */
  int sfn;             /* 0..1023 */
  float complex *re;   /* [n_symb][12*n_prb] received REs */
  float complex *h[LTE_MAX_PORTS]; /* [n_symb][12*n_prb] channel estimate per port (ports used) */
  float noise_var;     /* noise variance per RE (same scale as re) */
} lte_subframe_grid;

#endif
