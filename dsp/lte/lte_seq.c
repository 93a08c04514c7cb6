/* lte_seq.c: PSS, SSS, Gold and CRS sequences (TS 36.211 6.11.1.1, 6.11.2.1, 7.2, 6.10.1.1). */
#include "lte/lte_seq.h"

#include <math.h>

/* TS 36.211 6.11.1.1 */
void lte_pss(int nid2, float complex d[62]) {
  static const int root[3] = {25, 29, 34};
  int u = root[nid2];
  for (int n = 0; n < 62; n++) {
    double e = n < 31 ? (double)u * n * (n + 1) : (double)u * (n + 1) * (n + 2);
    double ph = -M_PI * fmod(e, 126.0) / 63.0;
    d[n] = (float)cos(ph) + I * (float)sin(ph);
  }
}

/* m-sequence of length 31 with recursion taps (x(i+5) = sum of x(i+t) for t in taps), as +-1. */
static void mseq(const int *taps, int ntaps, int out[31]) {
  int x[31 + 5] = {0, 0, 0, 0, 1};
  for (int i = 0; i < 31; i++) {
    int v = 0;
    for (int t = 0; t < ntaps; t++) v ^= x[i + taps[t]];
    x[i + 5] = v;
  }
  for (int i = 0; i < 31; i++) out[i] = 1 - 2 * x[i];
}

/* TS 36.211 6.11.2.1 */
void lte_sss(int nid1, int nid2, int sf5, float d[62]) {
  static const int ts[] = {2, 0}, tc[] = {3, 0}, tz[] = {4, 2, 1, 0};
  int s[31], c[31], z[31];
  mseq(ts, 2, s);
  mseq(tc, 2, c);
  mseq(tz, 4, z);
  int qp = nid1 / 30;
  int q = (nid1 + qp * (qp + 1) / 2) / 30;
  int mp = nid1 + q * (q + 1) / 2;
  int m0 = mp % 31, m1 = (m0 + mp / 31 + 1) % 31;
  for (int n = 0; n < 31; n++) {
    int s0 = s[(n + m0) % 31], s1 = s[(n + m1) % 31];
    int c0 = c[(n + nid2) % 31], c1 = c[(n + nid2 + 3) % 31];
    int z0 = z[(n + m0 % 8) % 31], z1 = z[(n + m1 % 8) % 31];
    if (!sf5) {
      d[2 * n] = (float)(s0 * c0);
      d[2 * n + 1] = (float)(s1 * c1 * z0);
    } else {
      d[2 * n] = (float)(s1 * c0);
      d[2 * n + 1] = (float)(s0 * c1 * z1);
    }
  }
}

/* TS 36.211 7.2: x1 fixed, x2 from c_init, Nc = 1600. */
void lte_gold(uint32_t c_init, uint8_t *c, unsigned len) {
  uint32_t x1 = 1, x2 = c_init & 0x7fffffffu; /* bit i = x(n+i) */
  for (unsigned n = 0; n < 1600 + len; n++) {
    if (n >= 1600) c[n - 1600] = (uint8_t)((x1 ^ x2) & 1u);
    uint32_t b1 = ((x1 >> 3) ^ x1) & 1u;
    uint32_t b2 = ((x2 >> 3) ^ (x2 >> 2) ^ (x2 >> 1) ^ x2) & 1u;
    x1 = (x1 >> 1) | (b1 << 30);
    x2 = (x2 >> 1) | (b2 << 30);
  }
}

/* TS 36.211 6.10.1.1 */
void lte_crs_seq(int pci, int ns, int l, int ncp, float complex r[220]) {
  uint8_t c[440];
  uint32_t c_init = (uint32_t)(1024u * (7u * (ns + 1) + l + 1) * (2u * pci + 1) + 2u * pci + ncp);
  lte_gold(c_init, c, 440);
  const float a = (float)M_SQRT1_2;
  for (int m = 0; m < 220; m++) r[m] = a * (1 - 2 * c[2 * m]) + I * a * (1 - 2 * c[2 * m + 1]);
}
