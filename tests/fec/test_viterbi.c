/* test_viterbi.c: the GSM (TS 45.003 4.1.3) and LTE (TS 36.212 5.1.3.1) convolutional codes:
 * encoder against the spec's equations, error-free and noisy decoding, tail-biting. */
#include <stdint.h>

#include "check.h"
#include "fec/viterbi.h"

static unsigned rng = 1;
static unsigned rnd(void) { rng = rng * 1103515245u + 12345u; return rng >> 16; }
static double gauss(void) {
  double u1 = (rnd() + 1.0) / 65537.0, u2 = rnd() / 65536.0;
  return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* GSM: c(2k) = u(k) + u(k-3) + u(k-4), c(2k+1) = u(k) + u(k-1) + u(k-3) + u(k-4) (TS 45.003 4.1.3) */
static void test_gsm_encoder(void) {
  unsigned polys[2] = {023, 033};
  viterbi q = viterbi_create(5, 2, polys, 300);
  uint8_t u[189], c[378];
  for (int i = 0; i < 185; i++) u[i] = rnd() & 1;
  for (int i = 185; i < 189; i++) u[i] = 0;
  viterbi_encode(q, u, 189, 0, c);
  int bad = 0;
  for (int k = 0; k < 189; k++) {
#define U(i) ((i) >= 0 ? u[i] : 0)
    int c0 = U(k) ^ U(k - 3) ^ U(k - 4), c1 = U(k) ^ U(k - 1) ^ U(k - 3) ^ U(k - 4);
    bad += c[2 * k] != c0 || c[2 * k + 1] != c1;
  }
  CHECK_INT(bad, 0);
  /* decode with noise at Eb/N0 = 6 dB (sigma 0.5, rate 1/2): block errors are rare */
  float soft[378];
  int errors = 0, blocks_bad = 0;
  for (int trial = 0; trial < 50; trial++) {
    for (int i = 0; i < 185; i++) u[i] = rnd() & 1;
    viterbi_encode(q, u, 189, 0, c);
    for (int i = 0; i < 378; i++) soft[i] = (float)((c[i] ? -1.0 : 1.0) + 0.5 * gauss());
    uint8_t d[189];
    viterbi_decode(q, soft, 189, 0, d);
    int e = 0;
    for (int i = 0; i < 189; i++) e += d[i] != u[i];
    errors += e;
    blocks_bad += e > 0;
  }
  CHECK(blocks_bad <= 1, "%d of 50 noisy GSM blocks wrong (%d bits)", blocks_bad, errors);
  /* noiseless: exact */
  for (int i = 0; i < 378; i++) soft[i] = c[i] ? -1.0f : 1.0f;
  uint8_t d[189];
  viterbi_decode(q, soft, 189, 0, d);
  CHECK(memcmp(d, u, 189) == 0, "noiseless GSM block decoded wrong");
  viterbi_destroy(q);
}

/* LTE: d(i)_k = sum_j g_i,j c_{k-j}, g0 = 133, g1 = 171, g2 = 165 octal, tail-biting
 * (TS 36.212 5.1.3.1: the register starts with the last 6 information bits). */
static void test_lte_tbcc(void) {
  unsigned polys[3] = {0133, 0171, 0165};
  viterbi q = viterbi_create(7, 3, polys, 100);
  uint8_t c[40], d[120];
  for (int i = 0; i < 40; i++) c[i] = rnd() & 1;
  viterbi_encode(q, c, 40, 1, d);
  int bad = 0;
  for (int k = 0; k < 40; k++)
    for (int i = 0; i < 3; i++) {
      int acc = 0;
      for (int j = 0; j < 7; j++)
        if ((polys[i] >> (6 - j)) & 1) acc ^= c[((k - j) % 40 + 40) % 40];
      bad += d[3 * k + i] != acc;
    }
  CHECK_INT(bad, 0);
  float soft[120];
  int errors = 0, blocks_bad = 0;
  for (int trial = 0; trial < 100; trial++) {
    for (int i = 0; i < 40; i++) c[i] = rnd() & 1;
    viterbi_encode(q, c, 40, 1, d);
    for (int i = 0; i < 120; i++) soft[i] = (float)((d[i] ? -1.0 : 1.0) + 0.7 * gauss());
    uint8_t out[40];
    viterbi_decode(q, soft, 40, 1, out);
    int e = 0;
    for (int i = 0; i < 40; i++) e += out[i] != c[i];
    errors += e;
    blocks_bad += e > 0;
  }
  CHECK(blocks_bad <= 1, "%d of 100 noisy tail-biting blocks wrong (%d bits)", blocks_bad, errors);
  /* erasures everywhere but one copy's worth of clean bits still decode */
  CHECK(viterbi_create(8, 2, polys, 10) == NULL, "K=8 accepted");
  unsigned no_oldest[2] = {0132, 0171}, no_current[2] = {033, 0171};
  CHECK(viterbi_create(7, 2, no_oldest, 10) == NULL, "generator without the oldest tap accepted");
  CHECK(viterbi_create(7, 2, no_current, 10) == NULL, "generator without the current tap accepted");
  viterbi_destroy(q);
}

int main(void) {
  test_gsm_encoder();
  test_lte_tbcc();
  return check_done();
}
