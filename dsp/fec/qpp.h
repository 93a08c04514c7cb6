/* qpp.h: the LTE turbo code internal interleaver (TS 36.212 5.1.3.2.3): the 188 code block sizes
 * K of Table 5.1.3-3 with their quadratic permutation polynomial parameters f1, f2. */
#ifndef CS_DSP_FEC_QPP_H
#define CS_DSP_FEC_QPP_H

#include <stdint.h>

#define LTE_QPP_NUM 188
#define LTE_QPP_KMIN 40
#define LTE_QPP_KMAX 6144

/* f1, f2 for code block size k; 0 if k is not in Table 5.1.3-3. */
int lte_qpp_params(unsigned k, unsigned *f1, unsigned *f2);

/* The i-th table size (i = 0 .. LTE_QPP_NUM-1), ascending. */
unsigned lte_qpp_size(unsigned i);

/* The smallest table size >= b (TS 36.212 5.1.2 K+), 0 if b > 6144. */
unsigned lte_qpp_ceil(unsigned b);

/* pi[i] = (f1*i + f2*i^2) mod k, i = 0..k-1. Returns 0 if k is not a table size. */
int lte_qpp_build(unsigned k, uint16_t *pi);

#endif
