/* gmsk_mod.h: a GSM transmitter for tests: TS 45.004 GMSK (BT 0.3, differential encoding,
 * phase +pi/2 per symbol for alpha = +1) at an integer number of samples per symbol, and a
 * 51-multiframe TS0 generator (FCCH, SCH, BCCH/CCCH blocks) built on the dsp coders. */
#ifndef CS_TEST_GMSK_MOD_H
#define CS_TEST_GMSK_MOD_H

#include <complex.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gsm/gsm_coding.h"
#include "gsm/gsm_const.h"

#define MOD_SPAN 4 /* Gaussian pulse span in symbols */

/* Phase pulse increments: the frequency pulse g(t) = rect(t/T) * Gaussian(BT=0.3), sampled at sps,
 * normalised so one symbol adds pi/2. */
static inline void gmsk_pulse(int sps, double *g) {
  int n = MOD_SPAN * sps;
  double bt = 0.3, sigma = sqrt(log(2.0)) / (2.0 * M_PI * bt), sum = 0.0;
  for (int i = 0; i < n; i++) {
    double t = (i + 0.5) / sps - MOD_SPAN / 2.0; /* in symbols */
    g[i] = 0.5 * (erf((t + 0.5) / (sqrt(2.0) * sigma)) - erf((t - 0.5) / (sqrt(2.0) * sigma)));
    sum += g[i];
  }
  for (int i = 0; i < n; i++) g[i] *= (M_PI / 2.0) / sum;
}

/* Modulate nbits bits (continuing the phase in *phase and the previous bit in *prev) into
 * nbits*sps samples; the pulse tail of the last MOD_SPAN/2 symbols spills into tail[] which the
 * caller adds into the next call (pass the same buffer; size MOD_SPAN*sps). */
static inline void gmsk_modulate(const uint8_t *bits, int nbits, int sps, double *phase, int *prev,
                                 double *spill, float complex *out, float amp) {
  double g[64];
  gmsk_pulse(sps, g);
  int L = MOD_SPAN * sps, n = nbits * sps;
  double *dphi = calloc((size_t)(n + L), sizeof(double));
  memcpy(dphi, spill, sizeof(double) * L);
  for (int i = 0; i < nbits; i++) {
    int d = bits[i] ^ *prev; /* TS 45.004 2.3: differential encoding */
    *prev = bits[i];
    double a = 1.0 - 2.0 * d;
    for (int k = 0; k < L; k++) dphi[i * sps + k] += a * g[k];
  }
  for (int i = 0; i < n; i++) {
    *phase += dphi[i];
    out[i] = amp * (float complex)cexp(I * *phase);
  }
  memset(spill, 0, sizeof(double) * L);
  memcpy(spill, dphi + n, sizeof(double) * L);
  free(dphi);
}

/* Deterministic Gaussian noise (Box-Muller on an LCG). */
static inline float complex test_noise(uint32_t *s, float sigma) {
  *s = *s * 1664525u + 1013904223u;
  double u1 = ((*s >> 8) + 1.0) / 16777217.0;
  *s = *s * 1664525u + 1013904223u;
  double u2 = (*s >> 8) / 16777216.0;
  double r = sqrt(-2.0 * log(u1)) * sigma / sqrt(2.0);
  return (float complex)(r * cos(2 * M_PI * u2) + I * r * sin(2 * M_PI * u2));
}

#endif
