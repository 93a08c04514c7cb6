/* layer_map.h: transmit side of layer_demap: QPSK modulation (TS 36.211 7.1.2) and layer mapping
 * with precoding for one codeword on 1 port or with transmit diversity on 2 or 4 ports (6.3.3.1,
 * 6.3.3.3, 6.3.4.1, 6.3.4.3). Used to re-create what a cell sent (interference cancellation). */
#ifndef CS_DSP_LTE_LAYER_MAP_H
#define CS_DSP_LTE_LAYER_MAP_H

#include <complex.h>
#include <stdint.h>

/* bits[0..2n-1] (0/1) -> d[0..n-1] */
void lte_qpsk_mod(const uint8_t *bits, unsigned n, float complex *d);

/* d[0..n-1] -> y[p][0..n-1] for p < ports (n even for 2 and 4 ports: SFBC pairs are consecutive
 * symbols; with 4 ports pair m goes to ports 0/2 when m is even, 1/3 when odd). */
void lte_layer_map_precode(const float complex *d, unsigned n, int ports, float complex *const *y);

#endif
