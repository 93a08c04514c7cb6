/* lte_seq.c: PSS, SSS and CRS sequences (TS 36.211 6.11.1.1, 6.11.2.1, 6.10.1.1). */
#include "lte/lte_seq.h"

#include <math.h>

#include "lte/pseudo_random.h"

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
void lte_sss_mseqs(int s[31], int c[31], int z[31]) {
  static const int ts[] = {2, 0}, tc[] = {3, 0}, tz[] = {4, 2, 1, 0};
  mseq(ts, 2, s);
  mseq(tc, 2, c);
  mseq(tz, 4, z);
}

/* TS 36.211 6.11.2.1 */
void lte_sss_indices(int nid1, int *m0, int *m1) {
  int qp = nid1 / 30;
  int q = (nid1 + qp * (qp + 1) / 2) / 30;
  int mp = nid1 + q * (q + 1) / 2;
  *m0 = mp % 31;
  *m1 = (*m0 + mp / 31 + 1) % 31;
}

/* TS 36.211 6.11.2.1 */
void lte_sss(int nid1, int nid2, int sf5, float d[62]) {
  int s[31], c[31], z[31], m0, m1;
  lte_sss_mseqs(s, c, z);
  lte_sss_indices(nid1, &m0, &m1);
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

/* TS 36.211 6.10.1.1 */
void lte_crs_seq(int pci, int ns, int l, int ncp, float complex r[220]) {
  uint8_t c[440];
  uint32_t c_init = (uint32_t)(1024u * (7u * (ns + 1) + l + 1) * (2u * pci + 1) + 2u * pci + ncp);
  lte_pseudo_random(c_init, 440, c);
  const float a = (float)M_SQRT1_2;
  for (int m = 0; m < 220; m++) r[m] = a * (1 - 2 * c[2 * m]) + I * a * (1 - 2 * c[2 * m + 1]);
}
