/* layer_demap.h: receive side of layer mapping and precoding for one codeword on the cell's CRS
 * ports (TS 36.211 6.3.3 / 6.3.4): single antenna port (6.3.4.1) and transmit diversity, the
 * Alamouti SFBC of 6.3.4.3 for 2 ports and its 4-port form (pairs on ports 0/2 and 1/3,
 * alternating), followed by QPSK soft demapping (7.1.2). Shared by PBCH, PCFICH, PDCCH and
 * PDSCH: the caller gathers the resource elements of one channel in mapping order. */
#ifndef CS_DSP_LTE_LAYER_DEMAP_H
#define CS_DSP_LTE_LAYER_DEMAP_H

#include <complex.h>

/* y[0..n-1]: received REs in mapping order; h[p][0..n-1]: channel estimate of port p at the same
 * REs (p < ports); noise_var: noise variance per RE. For ports 2 and 4, n must be even (SFBC
 * pairs are consecutive REs: i = 2m, 2m+1; with 4 ports pair m uses ports 0/2 when m is even,
 * 1/3 when odd). Writes the equalised symbols x[0..n-1] (may be NULL) and QPSK LLRs
 * llr[0..2n-1] (log P(0)/P(1), bit 2i from the real part). */
void lte_layer_demap_qpsk(const float complex *y, const float complex *const *h, int ports,
                          unsigned n, float noise_var, float complex *x, float *llr);

#include <stdint.h>

#include "lte/lte_grid.h"

/* Gather the n REs listed in re[] (indices l*12*n_prb + k) of grid g with the channel estimates
 * of ports 0..ports-1 into the scratch buffers y[n] and h[ports*n], and demap them as above. */
void lte_layer_demap_grid(const lte_subframe_grid *g, int ports, const uint32_t *re, unsigned n,
                          float complex *y, float complex *h, float *llr);

#endif
