/* pdsch.h: PDSCH resource element mapping (TS 36.211 6.4) and soft bits of one codeword sent with
 * the cell's CRS ports (single port or transmit diversity), QPSK, descrambled (6.3.1). */
#ifndef CS_DSP_LTE_PDSCH_H
#define CS_DSP_LTE_PDSCH_H

#include <complex.h>
#include <stdint.h>

#include "lte/lte_grid.h"
#include "lte/ra.h"

#define LTE_MAX_PDSCH_RE (12 * LTE_MAX_PRB * 14)

/* Is RE (k, l) of subframe sf a cell-specific reference signal of one of the cell's ports
 * (TS 36.211 6.10.1.2)? */
int lte_is_crs(const lte_cell *cell, int sf, int l, int k);

/* RE indices (l*12*n_prb + k) of the PDSCH allocation a in subframe sf, starting at OFDM symbol
 * l_start (the number of control symbols), in mapping order: k first over the allocated PRBs of
 * each slot, then l (6.3.5/6.4). CRS, PBCH and synchronisation signal REs are skipped (TS 36.211
 * 6.4, 6.6.4, 6.11). Returns the count (<= LTE_MAX_PDSCH_RE). */
unsigned lte_pdsch_res(const lte_cell *cell, int sf, int l_start, const lte_alloc *a, uint32_t *re);

/* c_init of the PDSCH scrambling (6.3.1): n_RNTI 2^14 + q 2^13 + floor(ns/2) 2^9 + N_ID, q = 0. */
uint32_t lte_pdsch_cinit(uint16_t rnti, int subframe, int pci);

#endif
