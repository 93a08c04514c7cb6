/* layer_demap.c: single-port and transmit-diversity (SFBC) detection with QPSK soft output
 * (TS 36.211 6.3.3.3, 6.3.4.1, 6.3.4.3, 7.1.2). */
#include "lte/layer_demap.h"

#include <math.h>
#include <stddef.h>

#define TINY 1e-12f

/* QPSK (7.1.2): bits b(2i), b(2i+1) = 0 map to +1/sqrt(2) on I, Q. For an estimate xh = x + n with
 * noise variance v (complex), LLR = 2*sqrt(2) * Re(xh) / v. */
static inline void qpsk_llr(float complex xh, float v, float *llr) {
  float s = 2.0f * (float)M_SQRT2 / (v > TINY ? v : TINY);
  llr[0] = s * crealf(xh);
  llr[1] = s * cimagf(xh);
}

void lte_layer_demap_qpsk(const float complex *y, const float complex *const *h, int ports,
                          unsigned n, float noise_var, float complex *x, float *llr) {
  if (ports <= 1) {
    for (unsigned i = 0; i < n; i++) {
      float g = crealf(h[0][i]) * crealf(h[0][i]) + cimagf(h[0][i]) * cimagf(h[0][i]);
      float complex xh = g > TINY ? conjf(h[0][i]) * y[i] / g : 0;
      if (x) x[i] = xh;
      qpsk_llr(xh, noise_var / (g > TINY ? g : TINY), llr + 2 * i);
    }
    return;
  }
  /* 6.3.4.3, 2 ports: r0 = (h0 x0 - h1 x1*) / sqrt2, r1 = (h0 x1 + h1 x0*) / sqrt2 on the RE pair.
   * 4 ports: the same on ports (0, 2) for even pairs and (1, 3) for odd pairs. */
  for (unsigned m = 0; 2 * m + 1 < n; m++) {
    unsigned i = 2 * m;
    int pa = 0, pb = 1;
    if (ports == 4) {
      pa = (m & 1) ? 1 : 0;
      pb = (m & 1) ? 3 : 2;
    }
    float complex h0 = 0.5f * (h[pa][i] + h[pa][i + 1]);
    float complex h1 = 0.5f * (h[pb][i] + h[pb][i + 1]);
    float complex r0 = y[i], r1 = y[i + 1];
    float g = crealf(h0 * conjf(h0)) + crealf(h1 * conjf(h1));
    float complex x0 = 0, x1 = 0;
    if (g > TINY) {
      x0 = (float)M_SQRT2 * (conjf(h0) * r0 + h1 * conjf(r1)) / g;
      x1 = (float)M_SQRT2 * (conjf(h0) * r1 - h1 * conjf(r0)) / g;
    }
    if (x) {
      x[i] = x0;
      x[i + 1] = x1;
    }
    float v = 2.0f * noise_var / (g > TINY ? g : TINY);
    qpsk_llr(x0, v, llr + 2 * i);
    qpsk_llr(x1, v, llr + 2 * i + 2);
  }
  if (n & 1) { /* unpaired last RE: no symbol */
    if (x) x[n - 1] = 0;
    llr[2 * n - 2] = llr[2 * n - 1] = 0;
  }
}

void lte_layer_demap_grid(const lte_subframe_grid *g, int ports, const uint32_t *re, unsigned n,
                          float complex *y, float complex *h, float *llr) {
  const float complex *hp[LTE_MAX_PORTS];
  for (int p = 0; p < ports; p++) hp[p] = h + (size_t)p * n;
  for (unsigned i = 0; i < n; i++) {
    y[i] = g->re[re[i]];
    for (int p = 0; p < ports; p++) h[(size_t)p * n + i] = g->h[p][re[i]];
  }
  lte_layer_demap_qpsk(y, hp, ports, n, g->noise_var, NULL, llr);
}
