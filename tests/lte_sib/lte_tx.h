/* lte_tx.h: a test-only LTE downlink transmitter for one subframe: PCFICH, one PDCCH DCI for
 * SI-RNTI and the PDSCH carrying a BCCH-DL-SCH transport block, precoded for 1, 2 or 4 ports
 * (transmit diversity), through a flat per-port channel with AWGN, straight into the resource
 * grid the receiver consumes (ideal OFDM, perfect channel estimates). */
#ifndef CS_TEST_LTE_TX_H
#define CS_TEST_LTE_TX_H

#include <complex.h>
#include <stdint.h>

#include "lte/dci.h"
#include "lte/lte_grid.h"

typedef struct {
  lte_cell cell;
  int subframe, sfn;
  int cfi;                 /* 1..3 */
  lte_dci dci;             /* the grant (1A or 1C) */
  int cce_first, cce_l;    /* PDCCH candidate */
  const uint8_t *pdu;      /* SIB1 PDU, zero-padded to the TBS */
  unsigned pdu_len;
  int rv;
  float snr_db;            /* per-RE SNR of a unit-power port; noise var = 10^(-snr/10) */
  float complex hport[LTE_MAX_PORTS];
  int fill_other_cces;     /* random bits in the CCEs not used by the DCI */
  int no_pdcch;            /* send nothing on the PDCCH (receiver must reuse an earlier grant) */
  int phich_mi;            /* TDD: PHICH factor m_i of the subframe (TS 36.211 Table 6.9-1) */
} lte_tx_cfg;

/* Grid with its own buffers for the cell. */
lte_subframe_grid *lte_tx_grid_create(const lte_cell *cell);
void lte_tx_grid_destroy(lte_subframe_grid *g);

/* Build subframe cfg into g. Returns the TBS, 0 on a configuration error. */
int lte_tx_subframe(const lte_tx_cfg *cfg, lte_subframe_grid *g);

#endif
