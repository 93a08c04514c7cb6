/* pseudo_random.c: LTE Gold sequence (TS 36.211 7.2), 28 bits per register update. */
#include "lte/pseudo_random.h"

#define NC 1600
#define W 28 /* bits per update: x(n+31..n+58) depend only on x(n..n+30) */

/* 7.2: x1(0) = 1, x1(n) = 0 for n = 1..30; x2 from c_init; x1(n+31) = x1(n+3) + x1(n);
 * x2(n+31) = x2(n+3) + x2(n+2) + x2(n+1) + x2(n); c(n) = x1(n+Nc) + x2(n+Nc), all mod 2.
 * The registers hold 31 bits, bit i = x(n+i); advance both by w <= 28 steps at once. */
static inline void advance(uint32_t *x1, uint32_t *x2, unsigned w) {
  const uint32_t mask = (1u << w) - 1u;
  uint32_t f1 = (*x1 ^ (*x1 >> 3)) & mask;
  uint32_t f2 = (*x2 ^ (*x2 >> 1) ^ (*x2 >> 2) ^ (*x2 >> 3)) & mask;
  *x1 = (*x1 >> w) | (f1 << (31 - w));
  *x2 = (*x2 >> w) | (f2 << (31 - w));
}

/* registers at n = Nc */
static void start(uint32_t c_init, uint32_t *x1, uint32_t *x2) {
  *x1 = 1;
  *x2 = c_init & 0x7fffffffu;
  for (unsigned n = 0; n < NC; n += W) advance(x1, x2, NC - n < W ? NC - n : W);
}

void lte_pseudo_random(uint32_t c_init, unsigned len, uint8_t *c) {
  uint32_t x1, x2;
  start(c_init, &x1, &x2);
  for (unsigned n = 0; n < len; n += W) {
    uint32_t v = x1 ^ x2;
    unsigned w = len - n < W ? len - n : W;
    for (unsigned i = 0; i < w; i++) c[n + i] = (uint8_t)(v >> i & 1u);
    advance(&x1, &x2, W);
  }
}

void lte_descramble_llr(uint32_t c_init, float *llr, unsigned len) {
  uint32_t x1, x2;
  start(c_init, &x1, &x2);
  for (unsigned n = 0; n < len; n += W) {
    uint32_t v = x1 ^ x2;
    unsigned w = len - n < W ? len - n : W;
    for (unsigned i = 0; i < w; i++)
      if (v >> i & 1u) llr[n + i] = -llr[n + i];
    advance(&x1, &x2, W);
  }
}
