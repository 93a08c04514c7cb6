/* dci.h: downlink control information formats 1A and 1C as sent with SI-RNTI in the common
 * search space (TS 36.212 5.3.3.1.3, 5.3.3.1.4): sizes, packing and unpacking. */
#ifndef CS_DSP_LTE_DCI_H
#define CS_DSP_LTE_DCI_H

#include <stdint.h>

typedef enum { LTE_DCI_1A = 0, LTE_DCI_1C = 1 } lte_dci_format;

#define LTE_DCI_MAX_BITS 32

typedef struct {
  lte_dci_format format;
  int distributed;  /* 1A: localized/distributed VRB flag; 1C: always 1 */
  int gap2;         /* N_gap,2 chosen (1C gap bit; 1A with SI-RNTI: the NDI bit when n_prb >= 50
                       and distributed) */
  unsigned riv;     /* resource indication value (1C: in units of N_step) */
  int mcs;          /* 1A: I_MCS (5 bits); 1C: I_TBS (5 bits) */
  int harq;         /* 1A: HARQ process number */
  int ndi;          /* 1A: new data indicator (or gap bit, see gap2) */
  int rv;           /* 1A: redundancy version */
  int tpc;          /* 1A: TPC; with SI-RNTI its LSB selects N_PRB^1A = 2 + lsb */
  int dai;          /* 1A, TDD: downlink assignment index */
} lte_dci;

/* Payload size in bits (without CRC) for format f, downlink bandwidth n_prb and duplex, including
 * the 1A padding to the size of format 0 and the ambiguous-size padding (5.3.3.1.3). 0 on bad
 * n_prb. */
unsigned lte_dci_size(lte_dci_format f, int n_prb, int tdd);

/* Bits of the RB assignment field. */
unsigned lte_dci_riv_bits(lte_dci_format f, int n_prb);

/* Unpack size bits into d, interpreting them as sent with SI-RNTI. Returns 0 if the bits cannot
 * be this format (a 1A-sized word with the format 0 flag). */
int lte_dci_unpack(const uint8_t *bits, lte_dci_format f, int n_prb, int tdd, lte_dci *d);

/* Pack d into lte_dci_size() bits (0/1 bytes). Returns the size, 0 on bad n_prb. */
unsigned lte_dci_pack(const lte_dci *d, int n_prb, int tdd, uint8_t *bits);

#endif
