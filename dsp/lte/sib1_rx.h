/* sib1_rx.h: from one demodulated LTE downlink subframe to SystemInformationBlockType1.
 *
 * Receives subframe 5 of even SFNs (TS 36.331 5.2.1.2: SIB1 every 20 ms, new content every 80 ms):
 * PCFICH -> CFI (TS 36.211 6.7), PDCCH common search space blind decoding of DCI 1A/1C with
 * SI-RNTI (TS 36.213 9.1.1), PDSCH (resource allocation type 2, QPSK, descrambling, turbo rate
 * dematching with soft combining of the redundancy versions, turbo decoding, CRC24A) and the
 * BCCH-DL-SCH UPER decoder (TS 36.331). Other subframes are ignored (return 0). All memory is
 * allocated at create; execute never allocates. */
#ifndef CS_DSP_LTE_SIB1_RX_H
#define CS_DSP_LTE_SIB1_RX_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lte/lte_grid.h"
#include "lte/sib1.h"

typedef struct lte_sib1_rx_s *lte_sib1_rx;

/* Diagnostics, so a caller can say why SIB1 did not decode. */
typedef struct {
  int sib1_subframes;  /* SIB1 subframes (sf 5, even SFN) handed in */
  int dci_found;       /* of those, with a DCI 1A/1C for SI-RNTI passing its CRC */
  int tb_crc_fail;     /* transport blocks that failed CRC24A (after soft combining) */
  int tb_crc_ok;       /* transport blocks that passed */
  int uper_fail;       /* passed CRC but were not a decodable SIB1 */
  int last_cfi;        /* CFI of the last SIB1 subframe (1..4), 0 before any */
} lte_sib1_rx_stats;

/* cell: pci, n_prb (6..110), ports (1, 2, 4), cp, tdd, PHICH duration and Ng. NULL on bad cell
 * parameters or out of memory. */
lte_sib1_rx lte_sib1_rx_create(const lte_cell *cell);
void lte_sib1_rx_destroy(lte_sib1_rx q);

/* One subframe (g->subframe, g->sfn tell which). Returns 1 when a SIB1 transport block passed
 * CRC and decoded (then lte_sib1_rx_result() and lte_sib1_rx_pdu() hold it), 0 otherwise
 * (not a SIB1 subframe, no DCI, CRC failure: the soft buffer keeps combining), -1 on a grid that
 * does not match the cell or a noise variance that is negative or not finite. */
int lte_sib1_rx_execute(lte_sib1_rx q, const lte_subframe_grid *g);

/* The last decoded SIB1, or NULL before the first one. */
const lte_sib1 *lte_sib1_rx_result(const lte_sib1_rx q);

/* The last decoded BCCH-DL-SCH transport block (the SIB1 PDU as broadcast, padding included, for
 * GSMTAP LTE RRC BCCH-DL-SCH), or NULL before the first one; *len = bytes. */
const uint8_t *lte_sib1_rx_pdu(const lte_sib1_rx q, size_t *len);

void lte_sib1_rx_get_stats(const lte_sib1_rx q, lte_sib1_rx_stats *stats);

/* Interference cancellation aid: when the last execute call returned 1, re-create what the cell
 * sent in that subframe on the PCFICH, on the SI-RNTI PDCCH candidate (when it was received) and
 * on the SIB1 PDSCH, through g's channel estimates (g: the same subframe): out[] (layout of
 * g->re) gets sum_p h_p * y_p at those REs and 0 elsewhere. The caller adds the reference and
 * synchronisation signals, takes it back to the time domain at that cell's timing and subtracts
 * it before looking at weaker co-channel cells. Returns the REs written, 0 when the last call
 * did not decode. */
int lte_sib1_rx_reconstruct(lte_sib1_rx q, const lte_subframe_grid *g, float complex *out);

#endif
