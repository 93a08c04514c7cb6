/* test_lte_seq.c: PSS, SSS, Gold (pseudo_random.c) and CRS sequences against TS 36.211 6.11.1.1, 6.11.2.1, 7.2 and
 * 6.10.1.1, each checked against a direct transcription of the spec's formulas or properties. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "lte/lte_seq.h"
#include "lte/pseudo_random.h"

/* TS 36.211 7.2 written out with whole arrays, as the spec states it */
static void gold_ref(uint32_t c_init, uint8_t *c, int len) {
  static uint8_t x1[1600 + 2000 + 31], x2[1600 + 2000 + 31];
  for (int i = 0; i < 31; i++) { x1[i] = i == 0; x2[i] = (c_init >> i) & 1; }
  for (int n = 0; n + 31 < 1600 + len + 31; n++) {
    x1[n + 31] = (x1[n + 3] + x1[n]) % 2;
    x2[n + 31] = (x2[n + 3] + x2[n + 2] + x2[n + 1] + x2[n]) % 2;
  }
  for (int n = 0; n < len; n++) c[n] = (x1[n + 1600] + x2[n + 1600]) % 2;
}

int main(void) {
  /* PSS: Zadoff-Chu roots 25, 29, 34 (Table 6.11.1.1-1); constant modulus; d(0) = 1;
   * root 34 = 63 - 29 is the conjugate of root 29 */
  float complex d[3][62];
  for (int u = 0; u < 3; u++) lte_pss(u, d[u]);
  for (int n = 0; n < 62; n++) {
    CHECK_NEAR(cabsf(d[0][n]), 1.0, 1e-5);
    CHECK_NEAR(cabsf(d[2][n] - conjf(d[1][n])), 0.0, 1e-4);
  }
  CHECK_NEAR(crealf(d[0][0]), 1.0, 1e-6);
  double ph = -M_PI * 25 * 1 * 2 / 63.0;
  CHECK_NEAR(crealf(d[0][1]), cos(ph), 1e-5);
  CHECK_NEAR(cimagf(d[0][1]), sin(ph), 1e-5);
  ph = -M_PI * 25 * 32 * 33 / 63.0; /* n = 31 uses (n+1)(n+2) */
  CHECK_NEAR(crealf(d[0][31]), cos(ph), 1e-4);
  CHECK_NEAR(cimagf(d[0][31]), sin(ph), 1e-4);

  /* SSS: +-1, all 168 x 3 x 2 sequences distinct, N_ID(1) recovered by correlation */
  static float s[3][168][2][62];
  for (int u = 0; u < 3; u++)
    for (int n1 = 0; n1 < 168; n1++)
      for (int f = 0; f < 2; f++) lte_sss(n1, u, f, s[u][n1][f]);
  int bad = 0, maxc = 0;
  for (int n1 = 0; n1 < 168; n1++)
    for (int k = 0; k < 62; k++) bad += fabsf(fabsf(s[0][n1][0][k]) - 1.0f) > 0;
  CHECK_INT(bad, 0);
  for (int a = 0; a < 168; a++)
    for (int b = 0; b < 168; b++)
      for (int f = 0; f < 2; f++) {
        if (a == b && f == 0) continue;
        int c = 0;
        for (int k = 0; k < 62; k++) c += (int)(s[1][a][0][k] * s[1][b][f][k]);
        if (abs(c) > maxc) maxc = abs(c);
      }
  CHECK(maxc < 62, "two SSS sequences coincide (max cross-correlation %d)", maxc);
  /* m0, m1 of Table 6.11.2.1-1 show in the even samples: s0(m0) c0 for subframe 0 */
  {
    /* N_ID(1) = 0: m0 = 0, m1 = 1; N_ID(1) = 30: m0 = 0, m1 = 2 */
    float a0[62], a30[62];
    lte_sss(0, 0, 0, a0);
    lte_sss(30, 0, 0, a30);
    int same_even = 1, odd_differs = 0;
    for (int n = 0; n < 31; n++) {
      same_even &= a0[2 * n] == a30[2 * n];
      odd_differs |= a0[2 * n + 1] != a30[2 * n + 1];
    }
    CHECK(same_even && odd_differs, "N_ID1 0 and 30 share m0 = 0 and differ in m1");
    /* subframe 5 swaps m0 and m1 in the even samples: sf5's even part = s1(m1) c0 */
    float b0[62], b30[62];
    lte_sss(0, 0, 1, b0);
    lte_sss(30, 0, 1, b30);
    int d_even = 0;
    for (int n = 0; n < 31; n++) d_even |= b0[2 * n] != b30[2 * n];
    CHECK(d_even, "subframe 5 even samples carry m1");
  }

  /* Gold sequence: bit-exact against the spec's array form, several c_init */
  static uint8_t c1[2000], c2[2000];
  const uint32_t inits[] = {0, 1, 101, 503, 0x7fffffffu, 1234567, (1u << 10) * 7 * 3 + 2 + 1};
  for (unsigned i = 0; i < sizeof inits / sizeof *inits; i++) {
    lte_pseudo_random(inits[i], 2000, c1);
    gold_ref(inits[i], c2, 2000);
    int diff = 0;
    for (int n = 0; n < 2000; n++) diff += c1[n] != c2[n];
    CHECK(diff == 0, "gold c_init %u: %d bits differ", inits[i], diff);
  }
  /* lengths that are not whole register updates: a prefix of the same sequence, nothing written
   * past len; descrambling flips exactly the soft bits where c(n) = 1 */
  for (unsigned len = 1; len < 90; len += 7) {
    memset(c1, 0xaa, 100);
    lte_pseudo_random(503, len, c1);
    gold_ref(503, c2, (int)len);
    CHECK(memcmp(c1, c2, len) == 0 && c1[len] == 0xaa, "gold prefix of length %u", len);
    float llr[100];
    for (unsigned n = 0; n < 100; n++) llr[n] = (float)n + 1.0f;
    lte_descramble_llr(503, llr, len);
    int wrong = 0;
    for (unsigned n = 0; n < 100; n++) wrong += llr[n] != (n < len && c2[n] ? -1.0f : 1.0f) * ((float)n + 1.0f);
    CHECK(bad == 0, "descrambling of length %u: %d soft bits wrong", len, wrong);
  }

  /* CRS: QPSK from the Gold sequence with c_init = 2^10 (7(ns+1)+l+1)(2N+1) + 2N + N_CP */
  float complex r[220];
  const int pci = 101, ns = 3, l = 4;
  lte_crs_seq(pci, ns, l, 1, r);
  uint32_t ci = 1024u * (7 * (ns + 1) + l + 1) * (2 * pci + 1) + 2 * pci + 1;
  gold_ref(ci, c2, 440);
  int diff = 0;
  for (int m = 0; m < 220; m++) {
    float re = (float)M_SQRT1_2 * (1 - 2 * c2[2 * m]), im = (float)M_SQRT1_2 * (1 - 2 * c2[2 * m + 1]);
    diff += fabsf(crealf(r[m]) - re) > 1e-6f || fabsf(cimagf(r[m]) - im) > 1e-6f;
  }
  CHECK_INT(diff, 0);

  /* subcarrier to FFT bin: DC skipped */
  CHECK_INT(lte_bin(-1, 128), 127);
  CHECK_INT(lte_bin(0, 128), 1);
  CHECK_INT(lte_bin(-36, 128), 92);
  return check_done();
}
