/* test_lte_fec.c: LTE CRCs (TS 36.212 5.1.1), QPP interleaver table (5.1.3.2.3), turbo
 * encode/decode round trip with and without noise, turbo and convolutional rate matching round
 * trip (5.1.4), code block segmentation (5.1.2) and the DL-SCH decoder with RV combining. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fec/crc.h"
#include "fec/qpp.h"
#include "fec/ratematch.h"
#include "fec/turbo.h"
#include "lte/dlsch.h"
#include "lte_sib/rng.h"

static void bytes_to_bits(const char *s, uint8_t *bits) {
  for (size_t i = 0; s[i]; i++) crc_unpack((uint8_t)s[i], 8, bits + 8 * i);
}

static void test_crc(void) {
  /* check values of "123456789" from the CRC catalogue (CRC-24/LTE-A, CRC-24/LTE-B,
   * CRC-16/XMODEM = the LTE gCRC16, CRC-8/LTE) */
  uint8_t b[72];
  bytes_to_bits("123456789", b);
  CHECK_INT(crc_remainder(b, 72, CRC_POLY_LTE24A, 24), 0xCDE703);
  CHECK_INT(crc_remainder(b, 72, CRC_POLY_LTE24B, 24), 0x23EF52);
  CHECK_INT(crc_remainder(b, 72, CRC_POLY_LTE16, 16), 0x31C3);
  CHECK_INT(crc_remainder(b, 72, CRC_POLY_LTE8, 8), 0xEA);
  /* a block with its parity appended divides evenly */
  uint8_t c[96];
  memcpy(c, b, 72);
  crc_unpack(crc_remainder(b, 72, CRC_POLY_LTE24A, 24), 24, c + 72);
  CHECK_INT(crc_remainder(c, 96, CRC_POLY_LTE24A, 24), 0);
}

static void test_qpp(void) {
  unsigned f1, f2;
  /* spot checks against TS 36.212 Table 5.1.3-3 */
  CHECK(lte_qpp_params(40, &f1, &f2) && f1 == 3 && f2 == 10, "K=40: %u %u", f1, f2);
  CHECK(lte_qpp_params(1504, &f1, &f2) && f1 == 49 && f2 == 846, "K=1504: %u %u", f1, f2);
  CHECK(lte_qpp_params(2240, &f1, &f2) && f1 == 209 && f2 == 420, "K=2240: %u %u", f1, f2);
  CHECK(lte_qpp_params(6144, &f1, &f2) && f1 == 263 && f2 == 480, "K=6144: %u %u", f1, f2);
  CHECK(lte_qpp_params(5248, &f1, &f2) && f1 == 113 && f2 == 902, "K=5248: %u %u", f1, f2);
  CHECK(!lte_qpp_params(44, &f1, &f2), "44 is no table size");
  CHECK(!lte_qpp_params(520, &f1, &f2), "520 is no table size");
  CHECK_INT(lte_qpp_size(0), 40);
  CHECK_INT(lte_qpp_size(187), 6144);
  CHECK_INT(lte_qpp_ceil(129), 136);
  CHECK_INT(lte_qpp_ceil(2240), 2240);
  CHECK_INT(lte_qpp_ceil(6145), 0);
  /* every table entry is a permutation */
  static uint16_t pi[6144];
  static uint8_t seen[6144];
  int bad = 0;
  for (unsigned i = 0; i < LTE_QPP_NUM; i++) {
    unsigned k = lte_qpp_size(i);
    lte_qpp_build(k, pi);
    memset(seen, 0, k);
    for (unsigned j = 0; j < k; j++) seen[pi[j]]++;
    for (unsigned j = 0; j < k; j++) bad += seen[j] != 1;
    /* the recursion agrees with the polynomial */
    lte_qpp_params(k, &f1, &f2);
    unsigned j = k / 3;
    bad += pi[j] != (uint16_t)(((uint64_t)f1 * j + (uint64_t)f2 * j * j) % k);
  }
  CHECK_INT(bad, 0);
}

/* CRC24A check for turbo early stop */
static int crc_ok(const uint8_t *bits, unsigned k, void *arg) {
  (void)arg;
  return crc_remainder(bits, k - 24, CRC_POLY_LTE24A, 24) == crc_pack(bits + k - 24, 24);
}

static void random_block(uint8_t *c, unsigned k) {
  for (unsigned i = 0; i < k - 24; i++) c[i] = rng_u32() & 1;
  crc_unpack(crc_remainder(c, k - 24, CRC_POLY_LTE24A, 24), 24, c + k - 24);
}

static void test_turbo(void) {
  turbo t = turbo_create(6144);
  CHECK(t != NULL, "turbo_create");
  static uint8_t c[6144], out[6144], d[3][6148];
  static float s[3][6148];
  /* the sizes SIB1 and small SI messages use, and the largest */
  const unsigned ks[] = {40, 64, 104, 136, 152, 208, 256, 328, 456, 528, 656, 1024, 1504, 2240, 6144};
  for (unsigned n = 0; n < sizeof ks / sizeof ks[0]; n++) {
    unsigned k = ks[n];
    random_block(c, k);
    CHECK(turbo_encode(t, c, k, d[0], d[1], d[2]), "encode %u", k);
    /* the encoder ends in state 0: a noiseless decode returns the input after one iteration */
    for (int st = 0; st < 3; st++)
      for (unsigned i = 0; i < k + 4; i++) s[st][i] = d[st][i] ? -4.0f : 4.0f;
    int it = turbo_decode(t, s[0], s[1], s[2], k, 8, crc_ok, NULL, out);
    CHECK(it == 1 && memcmp(out, c, k) == 0, "K=%u noiseless: it=%d", k, it);
    /* BPSK at Eb/N0 = 1.5 dB (rate 1/3: Es/N0 = -3.3 dB): 8 iterations must correct it */
    float esn0 = powf(10.0f, (1.5f - 4.77f) / 10.0f), sigma = sqrtf(1.0f / (2.0f * esn0));
    int fails = 0;
    for (int trial = 0; trial < 3; trial++) {
      random_block(c, k);
      turbo_encode(t, c, k, d[0], d[1], d[2]);
      for (int st = 0; st < 3; st++)
        for (unsigned i = 0; i < k + 4; i++) {
          float y = (d[st][i] ? -1.0f : 1.0f) + sigma * rng_gauss();
          s[st][i] = 2.0f * y / (sigma * sigma);
        }
      it = turbo_decode(t, s[0], s[1], s[2], k, 8, crc_ok, NULL, out);
      fails += !(it > 0 && memcmp(out, c, k) == 0);
    }
    /* short blocks have little interleaver gain; allow one failure of three below 200 bits */
    CHECK(fails <= (k < 200 ? 1 : 0), "K=%u at Eb/N0 1.5 dB: %d of 3 failed", k, fails);
  }
  /* a wrong-size request is refused */
  CHECK_INT(turbo_decode(t, s[0], s[1], s[2], 41, 8, NULL, NULL, out), -1);
  turbo_destroy(t);
}

static void test_ratematch(void) {
  /* turbo circular buffer: K = 40 with 4 filler bits; D = 44, K_PI = 64 */
  static int32_t map[3 * 6176];
  lte_rm_turbo_map(44, 4, map);
  int nnull = 0;
  static uint8_t seen[3 * 44];
  memset(seen, 0, sizeof seen);
  for (int j = 0; j < 192; j++) {
    if (map[j] < 0) nnull++;
    else seen[map[j]]++;
  }
  /* 3*20 dummies + 2*4 filler positions are NULL; every other coded bit appears once */
  CHECK_INT(nnull, 3 * 20 + 2 * 4);
  int once = 0;
  for (int i = 0; i < 3 * 44; i++) once += seen[i] == ((i % 44) < 4 && i < 88 ? 0 : 1);
  CHECK_INT(once, 3 * 44);
  /* 5.1.4.1.1: the first column of stream 0 holds y[0], y[32] with ND = 20 NULLs at the start */
  CHECK_INT(map[0], -1);       /* y[0] is a dummy */
  CHECK_INT(map[1], 32 - 20);  /* y[32] = d0[12] */
  /* stream 2 is read one position later: v2_0 = y[(0 + 1) mod 64] = dummy, v2_1 = y[33] */
  CHECK_INT(map[64 + 1], -1);
  CHECK_INT(map[64 + 3], 2 * 44 + 33 - 20);
  /* k0 = R (2 ceil(Ncb / 8R) rv + 2): R = 2, Ncb = 192 -> 4, 52, 100, 148 */
  CHECK_INT(lte_rm_turbo_k0(44, 192, 0), 4);
  CHECK_INT(lte_rm_turbo_k0(44, 192, 1), 52);
  CHECK_INT(lte_rm_turbo_k0(44, 192, 3), 148);

  /* convolutional: D = 37 (DCI 1A, 25 PRB): K_PI = 64, 27 dummies per stream */
  lte_rm_conv_map(37, map);
  nnull = 0;
  for (int j = 0; j < 192; j++) nnull += map[j] < 0;
  CHECK_INT(nnull, 3 * 27);
  /* Table 5.1.4-2: the first column read is column 1: y[1], y[33]: y[1] dummy, y[33] = d[6] */
  CHECK_INT(map[0], -1);
  CHECK_INT(map[1], 33 - 27);
  CHECK_INT(map[64 + 1], 37 + 6);

  /* round trip through bit selection: E = 3 * 37 * 2 wraps the buffer twice; the soft values
   * de-selected add up per coded bit */
  uint8_t dcat[3 * 37];
  for (int i = 0; i < 3 * 37; i++) dcat[i] = rng_u32() & 1;
  float e[3 * 37 * 2], w[192] = {0};
  unsigned k = 0;
  for (unsigned j = 0; k < sizeof e / sizeof e[0]; j = (j + 1) % 192)
    if (map[j] >= 0) e[k++] = dcat[map[j]] ? -1.0f : 1.0f;
  CHECK(lte_rm_dematch_add(e, k, map, 192, 0, w), "dematch");
  int good = 0;
  for (int j = 0; j < 192; j++)
    if (map[j] >= 0) good += w[j] == (dcat[map[j]] ? -2.0f : 2.0f);
  CHECK_INT(good, 3 * 37);
}

static void test_segmentation(void) {
  lte_cb_seg s;
  /* B = 2216 + 24: one block, K = 2240, no filler */
  CHECK(lte_cb_segment(2240, &s) && s.c == 1 && s.k_plus == 2240 && s.f == 0, "2240: C=%u K+=%u F=%u", s.c, s.k_plus, s.f);
  /* B = 152 + 24 = 176: K+ = 176 */
  CHECK(lte_cb_segment(176, &s) && s.c == 1 && s.k_plus == 176 && s.f == 0, "176");
  /* B = 32 + 24 = 56: K = 56; B = 16+24 = 40 */
  CHECK(lte_cb_segment(60, &s) && s.k_plus == 64 && s.f == 4, "60: K+=%u F=%u", s.k_plus, s.f);
  /* B = 6200 > 6144: C = 2, B' = 6248, K+ = 3136, K- = 3072, C- = 0 (2*3136 - 6248 = 24 < 64),
   * F = 24 */
  CHECK(lte_cb_segment(6200, &s) && s.c == 2 && s.k_plus == 3136 && s.k_minus == 3072 &&
            s.c_minus == 0 && s.c_plus == 2 && s.f == 24,
        "6200: C=%u K+=%u K-=%u C-=%u F=%u", s.c, s.k_plus, s.k_minus, s.c_minus, s.f);
  /* B = 12000: C = 2, B' = 12048, K+ = 6080 (2*6080 = 12160 >= 12048, 2*6016 = 12032 < 12048),
   * K- = 6016, C- = floor((12160 - 12048)/64) = 1, C+ = 1, F = 6080 + 6016 - 12048 = 48 */
  CHECK(lte_cb_segment(12000, &s) && s.c == 2 && s.k_plus == 6080 && s.k_minus == 6016 &&
            s.c_minus == 1 && s.c_plus == 1 && s.f == 48,
        "12000: C=%u K+=%u K-=%u C-=%u F=%u", s.c, s.k_plus, s.k_minus, s.c_minus, s.f);
  CHECK_INT(lte_cb_size(&s, 0), 6016);
  CHECK_INT(lte_cb_size(&s, 1), 6080);
  /* E split: G = 1000 bits, C = 2, Qm = 2: G' = 500, gamma = 0 -> 500 each */
  CHECK_INT(lte_cb_e(&s, 0, 1000, 1), 500);
  CHECK_INT(lte_cb_e(&s, 1, 1002, 1), 502);
  CHECK_INT(lte_cb_e(&s, 0, 1002, 1), 500);
}

/* Transmit side of one DL-SCH transport block (TS 36.212 5.3.2): TB CRC24A, segmentation with
 * CRC24B, turbo coding, rate matching for rv into e[0..g-1] (+-1 BPSK-like soft symbols). */
static void dlsch_tx(turbo t, const uint8_t *tbbits, unsigned tbs, unsigned rv, unsigned g, uint8_t *e) {
  static uint8_t b[12800], cb[6144], d[3 * 6148];
  static int32_t map[3 * 6176];
  lte_cb_seg s;
  memcpy(b, tbbits, tbs);
  crc_unpack(crc_remainder(b, tbs, CRC_POLY_LTE24A, 24), 24, b + tbs);
  lte_cb_segment(tbs + 24, &s);
  unsigned in = 0, eo = 0;
  for (unsigned r = 0; r < s.c; r++) {
    unsigned k = lte_cb_size(&s, r), f = r ? 0 : s.f, n = k - f - (s.c > 1 ? 24 : 0);
    memset(cb, 0, f);
    memcpy(cb + f, b + in, n);
    in += n;
    if (s.c > 1) crc_unpack(crc_remainder(cb, k - 24, CRC_POLY_LTE24B, 24), 24, cb + k - 24);
    unsigned dd = k + 4, kw = 3 * lte_rm_kpi(dd);
    turbo_encode(t, cb, k, d, d + dd, d + 2 * dd);
    lte_rm_turbo_map(dd, f, map);
    unsigned er = lte_cb_e(&s, r, g, 1), j = lte_rm_turbo_k0(dd, kw, rv);
    for (unsigned i = 0; i < er; j = (j + 1) % kw)
      if (map[j] >= 0) e[eo + i++] = d[map[j]];
    eo += er;
  }
}

static void test_dlsch(void) {
  turbo t = turbo_create(6144);
  static uint8_t tb[12000], e[32000], got[1500];
  static float llr[32000];
  /* one and two code blocks, each RV alone at high SNR */
  const unsigned sizes[] = {152, 2216, 10296};
  for (unsigned si = 0; si < 3; si++) {
    unsigned tbs = sizes[si], g = tbs * 3;
    lte_dlsch q = lte_dlsch_create(tbs);
    CHECK(q != NULL, "create %u", tbs);
    for (unsigned i = 0; i < tbs; i++) tb[i] = rng_u32() & 1;
    for (unsigned rv = 0; rv < 4; rv++) {
      dlsch_tx(t, tb, tbs, rv, g, e);
      for (unsigned i = 0; i < g; i++) llr[i] = e[i] ? -5.0f : 5.0f;
      lte_dlsch_reset(q);
      int ok = lte_dlsch_decode(q, llr, g, tbs, rv, 1, got);
      int same = 1;
      for (unsigned i = 0; i < tbs / 8; i++) same &= got[i] == crc_pack(tb + 8 * i, 8);
      CHECK(ok == 1 && same, "TBS %u rv %u alone: ok=%d same=%d", tbs, rv, ok, same);
    }
    lte_dlsch_destroy(q);
  }
  /* soft combining: SIB1-like 4 RVs (0, 2, 3, 1) at a rate above 1 each (G < TBS): no single
   * transmission decodes, the combination does */
  unsigned tbs = 1000 - 1000 % 8, g = 800;
  lte_dlsch q = lte_dlsch_create(2216);
  for (unsigned i = 0; i < tbs; i++) tb[i] = rng_u32() & 1;
  const unsigned rvs[4] = {0, 2, 3, 1};
  int alone = 0, combined = 0;
  for (int n = 0; n < 4; n++) {
    dlsch_tx(t, tb, tbs, rvs[n], g, e);
    for (unsigned i = 0; i < g; i++) llr[i] = (e[i] ? -1.0f : 1.0f) + 0.5f * rng_gauss();
    lte_dlsch q1 = lte_dlsch_create(2216);
    alone += lte_dlsch_decode(q1, llr, g, tbs, rvs[n], 1, got) == 1;
    lte_dlsch_destroy(q1);
    combined = lte_dlsch_decode(q, llr, g, tbs, rvs[n], 1, got);
    if (combined == 1) break;
  }
  CHECK_INT(alone, 0);
  CHECK_INT(combined, 1);
  CHECK(lte_dlsch_combined(q) >= 2, "combined %u", lte_dlsch_combined(q));
  CHECK_INT(lte_dlsch_decode(q, llr, g, 2224, 0, 1, got), -1); /* above max_tbs */
  lte_dlsch_destroy(q);
  turbo_destroy(t);
}

int main(void) {
  test_crc();
  test_qpp();
  test_turbo();
  test_ratematch();
  test_segmentation();
  test_dlsch();
  return check_done();
}
