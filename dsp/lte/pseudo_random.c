/* pseudo_random.c: LTE Gold sequence (TS 36.211 7.2). */
#include "lte/pseudo_random.h"

#define NC 1600

/* 7.2: x1(0) = 1, x1(n) = 0 for n = 1..30; x2 from c_init; x1(n+31) = x1(n+3) + x1(n);
 * x2(n+31) = x2(n+3) + x2(n+2) + x2(n+1) + x2(n); c(n) = x1(n+Nc) + x2(n+Nc), all mod 2.
 * The registers hold 31 bits, bit 0 = x(n). */
static inline void step(uint32_t *x1, uint32_t *x2) {
  uint32_t f1 = ((*x1 >> 3) ^ *x1) & 1;
  uint32_t f2 = ((*x2 >> 3) ^ (*x2 >> 2) ^ (*x2 >> 1) ^ *x2) & 1;
  *x1 = (*x1 >> 1) | (f1 << 30);
  *x2 = (*x2 >> 1) | (f2 << 30);
}

void lte_pseudo_random(uint32_t c_init, unsigned len, uint8_t *c) {
  uint32_t x1 = 1, x2 = c_init & 0x7fffffffu;
  for (unsigned n = 0; n < NC; n++) step(&x1, &x2);
  for (unsigned n = 0; n < len; n++) {
    c[n] = (uint8_t)((x1 ^ x2) & 1);
    step(&x1, &x2);
  }
}

void lte_descramble_llr(uint32_t c_init, float *llr, unsigned len) {
  uint32_t x1 = 1, x2 = c_init & 0x7fffffffu;
  for (unsigned n = 0; n < NC; n++) step(&x1, &x2);
  for (unsigned n = 0; n < len; n++) {
    if ((x1 ^ x2) & 1) llr[n] = -llr[n];
    step(&x1, &x2);
  }
}
