/* pseudo_random.h: the LTE length-31 Gold sequence c(n) (TS 36.211 7.2), used for every
 * scrambling sequence (PCFICH, PDCCH, PDSCH, PBCH) and the reference signals. */
#ifndef CS_DSP_LTE_PSEUDO_RANDOM_H
#define CS_DSP_LTE_PSEUDO_RANDOM_H

#include <stdint.h>

/* c[0..len-1] (0/1 bytes) for initialisation c_init. */
void lte_pseudo_random(uint32_t c_init, unsigned len, uint8_t *c);

/* Descramble soft bits in place: llr[i] = c(i) ? -llr[i] : llr[i] (scrambling by XOR flips the
 * sign of a log-likelihood ratio). */
void lte_descramble_llr(uint32_t c_init, float *llr, unsigned len);

#endif
