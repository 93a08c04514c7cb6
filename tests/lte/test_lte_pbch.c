/* test_lte_pbch.c: MIB packing (TS 36.331), PBCH CRC antenna masks (TS 36.212 Table 5.3.1.1-1),
 * tail-biting convolutional code (5.1.3.1), rate matching and 40 ms combining (5.1.4.2, 5.3.1),
 * and the SFBC combiner, round trip through encoder, noise and decoder. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "fec/crc.h"
#include "fec/viterbi.h"
#include "lte/lte_chest.h"
#include "lte/lte_mib.h"
#include "lte/lte_pbch.h"
#include "lte/lte_seq.h"

static double gauss(void) {
  double u = (rand() + 1.0) / (RAND_MAX + 2.0), v = (rand() + 1.0) / (RAND_MAX + 2.0);
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

int main(void) {
  srand(7);
  CHECK_INT(lte_pbch_crc_mask(1), 0x0000);
  CHECK_INT(lte_pbch_crc_mask(2), 0xffff);
  CHECK_INT(lte_pbch_crc_mask(4), 0x5555);
  CHECK_INT(lte_pbch_bits(0), 480);
  CHECK_INT(lte_pbch_bits(1), 432);

  /* MIB: dl-Bandwidth n50 (3), PHICH normal, Ng one (2), SFN 7*4: the srsRAN test vector's
   * payload 011 0 10 00000111 0000000000 */
  lte_cell cell = {0};
  cell.n_prb = 50; cell.phich_extended = 0; cell.ng = LTE_PHICH_NG_1; cell.sfn = 28;
  uint8_t mib[24];
  lte_mib_pack(&cell, mib);
  const char *want = "011010000001110000000000";
  int diff = 0;
  for (int i = 0; i < 24; i++) diff += mib[i] != (uint8_t)(want[i] - '0');
  CHECK_INT(diff, 0);
  lte_cell back = {0};
  CHECK_INT(lte_mib_unpack(mib, 3, &back), 1);
  CHECK_INT(back.n_prb, 50);
  CHECK_INT(back.ng, LTE_PHICH_NG_1);
  CHECK_INT(back.sfn, 31);
  mib[0] = mib[1] = mib[2] = 1; /* dl-Bandwidth 7: not a MIB */
  CHECK_INT(lte_mib_unpack(mib, 0, &back), 0);

  /* TBCC: 133, 171, 165 octal, tail-biting, encoder state = last 6 bits */
  static const unsigned polys[3] = {0133, 0171, 0165};
  viterbi v = viterbi_create(7, 3, polys, 40);
  uint8_t a[40], c[120], dec[40];
  for (int i = 0; i < 40; i++) a[i] = rand() & 1;
  viterbi_encode(v, a, 40, 1, c);
  /* first output of stream 0 for input 0: taps of 133 = 1011011 over (a0, a39, ..., a34) */
  int s0 = a[0] ^ a[38] ^ a[37] ^ a[35] ^ a[34];
  CHECK_INT(c[0], s0);
  float soft[120];
  for (int i = 0; i < 120; i++) soft[i] = c[i] ? -1.0f : 1.0f;
  viterbi_decode(v, soft, 40, 1, dec);
  diff = 0;
  for (int i = 0; i < 40; i++) diff += dec[i] != a[i];
  CHECK_INT(diff, 0);
  viterbi_destroy(v);

  /* PBCH: encode, BPSK over AWGN, decode from one frame and from combined frames, every port
   * count and CP; a wrong port count never passes the CRC */
  lte_pbch q = lte_pbch_create();
  static uint8_t bits[4 * 480];
  static float llr[4][480];
  for (int ext = 0; ext < 2; ext++)
    for (int pi = 0; pi < 3; pi++) {
      int ports = pi == 2 ? 4 : pi + 1;
      cell.n_prb = 25; cell.sfn = 100 + 4 * pi; cell.ng = LTE_PHICH_NG_1_6;
      lte_mib_pack(&cell, mib);
      const int pci = 77 + pi + 3 * ext, M = lte_pbch_bits(ext);
      lte_pbch_encode(q, pci, ext, ports, mib, bits);
      for (int noise = 0; noise < 2; noise++) {
        double sigma = noise ? 1.6 : 0.0; /* per-frame SNR about -4 dB */
        for (int s = 0; s < 4; s++)
          for (int i = 0; i < M; i++)
            llr[s][i] = (float)((bits[s * M + i] ? -1.0 : 1.0) + sigma * gauss());
        uint8_t out[24];
        const float *fr[4] = {llr[0], llr[1], llr[2], llr[3]};
        int ok = lte_pbch_decode(q, pci, ext, ports, fr, out);
        CHECK(ok, "ext %d ports %d noise %d: 40 ms combined decode", ext, ports, noise);
        diff = 0;
        for (int i = 0; i < 24 && ok; i++) diff += out[i] != mib[i];
        CHECK_INT(diff, 0);
        int other = ports == 1 ? 2 : 1;
        CHECK(!lte_pbch_decode(q, pci, ext, other, fr, out), "wrong port mask passed");
        if (!noise) {
          const float *one[4] = {NULL, NULL, llr[2], NULL}; /* one frame, SFN mod 4 = 2 */
          CHECK(lte_pbch_decode(q, pci, ext, ports, one, out), "single frame, ports %d", ports);
          const float *shifted[4] = {llr[2], NULL, NULL, NULL}; /* wrong SFN alignment */
          CHECK(!lte_pbch_decode(q, pci, ext, ports, shifted, out), "misaligned frame passed");
        }
      }
    }

  /* SFBC (TS 36.211 6.3.4.3): two ports through different flat channels, combined by
   * lte_pbch_llr, give the transmitted QPSK signs */
  {
    const int n_prb = 6, K = 72, ns = 14, pci = 5;
    static float complex re[14 * 72], h0[14 * 72], h1[14 * 72], h2[14 * 72], h3[14 * 72];
    float complex *h[4] = {h0, h1, h2, h3};
    float complex g0 = 0.8f + 0.3f * I, g1 = -0.4f + 0.7f * I;
    for (int i = 0; i < ns * K; i++) { h0[i] = g0; h1[i] = g1; h2[i] = h3[i] = 0; }
    uint8_t qb[480];
    for (int i = 0; i < 480; i++) qb[i] = rand() & 1;
    /* map pairs in PBCH RE order */
    int n = 0, pos[2], np = 0;
    float complex xs[2];
    for (int lp = 0; lp < 4; lp++)
      for (int kp = 0; kp < 72; kp++) {
        if (lp < 2 && kp % 3 == pci % 3) continue;
        int o = (ns / 2 + lp) * K + 6 * n_prb - 36 + kp;
        xs[np] = ((1 - 2 * qb[n]) + I * (1 - 2 * qb[n + 1])) * (float)M_SQRT1_2;
        n += 2;
        pos[np++] = o;
        if (np < 2) continue;
        np = 0;
        float sq = (float)M_SQRT1_2;
        re[pos[0]] = sq * (g0 * xs[0] - g1 * conjf(xs[1]));
        re[pos[1]] = sq * (g0 * xs[1] + g1 * conjf(xs[0]));
      }
    float l[480];
    lte_pbch_llr(re, h, n_prb, 0, pci, 2, 0.01f, l);
    diff = 0;
    for (int i = 0; i < 480; i++) diff += (l[i] < 0) != qb[i];
    CHECK_INT(diff, 0);
  }
  lte_pbch_destroy(q);
  return check_done();
}
