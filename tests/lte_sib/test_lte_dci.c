/* test_lte_dci.c: DCI 1A/1C sizes per bandwidth (TS 36.212 5.3.3.1.3-4), packing round trips,
 * RIV coding (TS 36.213 7.1.6.3), distributed VRB-to-PRB mapping (TS 36.211 6.2.3.2) and the
 * SI-RNTI TBS rules (TS 36.213 7.1.7). */
#include "check.h"
#include "lte/dci.h"
#include "lte/ra.h"
#include "lte_sib/rng.h"

static const int bws[6] = {6, 15, 25, 50, 75, 100};

static void test_sizes(void) {
  /* FDD: 1A = 15 + RB bits (+1 when ambiguous), 1C = gap + RB bits + 5 */
  static const unsigned s1a[6] = {21, 22, 25, 27, 27, 28}, s1c[6] = {8, 10, 12, 13, 14, 15};
  static const unsigned s1a_tdd[6] = {23, 25, 27, 29, 30, 31};
  for (int i = 0; i < 6; i++) {
    CHECK(lte_dci_size(LTE_DCI_1A, bws[i], 0) == s1a[i], "1A %d PRB: %u", bws[i], lte_dci_size(LTE_DCI_1A, bws[i], 0));
    CHECK(lte_dci_size(LTE_DCI_1C, bws[i], 0) == s1c[i], "1C %d PRB: %u", bws[i], lte_dci_size(LTE_DCI_1C, bws[i], 0));
    CHECK(lte_dci_size(LTE_DCI_1A, bws[i], 1) == s1a_tdd[i], "1A TDD %d PRB: %u", bws[i], lte_dci_size(LTE_DCI_1A, bws[i], 1));
  }
  CHECK_INT(lte_dci_size(LTE_DCI_1A, 5, 0), 0);
}

static void test_pack(void) {
  for (int t = 0; t < 2000; t++) {
    int n = bws[t % 6], tdd = (t / 6) % 2;
    lte_dci d = {.format = (t / 12) % 2 ? LTE_DCI_1C : LTE_DCI_1A};
    d.riv = rng_u32() % (1u << lte_dci_riv_bits(d.format, n));
    d.mcs = (int)(rng_u32() % 32);
    if (d.format == LTE_DCI_1A) {
      d.distributed = (int)(rng_u32() & 1);
      d.harq = (int)(rng_u32() % (tdd ? 16 : 8));
      d.ndi = (int)(rng_u32() & 1);
      d.rv = (int)(rng_u32() & 3);
      d.tpc = (int)(rng_u32() & 3);
      d.dai = tdd ? (int)(rng_u32() & 3) : 0;
      if (d.distributed && n >= 50) d.gap2 = d.ndi;
    } else {
      d.distributed = 1;
      d.gap2 = n >= 50 ? (int)(rng_u32() & 1) : 0;
    }
    uint8_t bits[LTE_DCI_MAX_BITS];
    unsigned sz = lte_dci_pack(&d, n, tdd, bits);
    lte_dci u;
    int ok = sz == lte_dci_size(d.format, n, tdd) && lte_dci_unpack(bits, d.format, n, tdd, &u);
    ok = ok && u.riv == d.riv && u.mcs == d.mcs && u.distributed == d.distributed && u.gap2 == d.gap2 &&
         u.harq == d.harq && u.ndi == d.ndi && u.rv == d.rv && u.tpc == d.tpc && u.dai == d.dai;
    if (!ok) {
      CHECK(0, "round trip %d PRB tdd %d format %d", n, tdd, d.format);
      break;
    }
  }
  /* the format 0/1A flag: 0 is format 0, not 1A */
  uint8_t bits[LTE_DCI_MAX_BITS] = {0};
  lte_dci u;
  CHECK(!lte_dci_unpack(bits, LTE_DCI_1A, 25, 0, &u), "format 0 taken for 1A");
  /* field order by hand, 1A 25 PRB: flag 1, localized 0, RIV (9 bits) = 0x103, MCS 5, HARQ 0,
   * NDI 0, RV 2, TPC 01 */
  const char *b = "1" "0" "100000011" "00101" "000" "0" "10" "01" "0";
  for (int i = 0; i < 25; i++) bits[i] = (uint8_t)(b[i] - '0');
  CHECK(lte_dci_unpack(bits, LTE_DCI_1A, 25, 0, &u), "unpack");
  CHECK_INT(u.riv, 0x103);
  CHECK_INT(u.mcs, 5);
  CHECK_INT(u.rv, 2);
  CHECK_INT(u.tpc, 1);
}

static void test_riv(void) {
  int bad = 0;
  for (int i = 0; i < 6; i++) {
    int n = bws[i];
    for (int l = 1; l <= n; l++)
      for (int s = 0; s + l <= n; s++) {
        unsigned riv = lte_riv_encode(s, l, n);
        int s2, l2;
        bad += !(riv < (unsigned)(n * (n + 1) / 2) && lte_riv_decode(riv, n, &s2, &l2) && s2 == s && l2 == l);
      }
    int s2, l2;
    bad += lte_riv_decode((unsigned)(n * (n + 1) / 2), n, &s2, &l2);
  }
  CHECK_INT(bad, 0);
  /* 7.1.6.3 by hand, N = 25: L = 4 from 3: RIV = 25*3 + 3 = 78; L = 20 from 2: 25*(25-20+1) + 22 = 172 */
  CHECK_INT(lte_riv_encode(3, 4, 25), 78);
  CHECK_INT(lte_riv_encode(2, 20, 25), 172);
}

static void test_vrb(void) {
  /* Table 6.2.3.2-1 */
  CHECK_INT(lte_ngap(6, 0), 3);
  CHECK_INT(lte_ngap(15, 0), 8);
  CHECK_INT(lte_ngap(25, 0), 12);
  CHECK_INT(lte_ngap(50, 0), 27);
  CHECK_INT(lte_ngap(50, 1), 9);
  CHECK_INT(lte_ngap(75, 0), 32);
  CHECK_INT(lte_ngap(100, 0), 48);
  CHECK_INT(lte_ngap(100, 1), 16);
  CHECK_INT(lte_nvrb_dist(25, 0), 24);
  CHECK_INT(lte_nvrb_dist(50, 0), 46);
  CHECK_INT(lte_nvrb_dist(50, 1), 36);
  CHECK_INT(lte_nvrb_dist(100, 1), 96);
  /* N = 25, gap 1: N~ = 24, P = 2, N_row = 6, no nulls: VRB v -> 6 (v mod 4) + v / 4 */
  CHECK_INT(lte_vrb_to_prb_dist(0, 25, 0, 0), 0);
  CHECK_INT(lte_vrb_to_prb_dist(1, 25, 0, 0), 6);
  CHECK_INT(lte_vrb_to_prb_dist(2, 25, 0, 0), 12);
  CHECK_INT(lte_vrb_to_prb_dist(3, 25, 0, 0), 18);
  CHECK_INT(lte_vrb_to_prb_dist(4, 25, 0, 0), 1);
  CHECK_INT(lte_vrb_to_prb_dist(0, 25, 0, 1), 12); /* odd slot: + N~/2 mod N~ */
  /* N = 6: N~ = 6, P = 1, N_row = 2, N_null = 2. Matrix rows (0 1 2 3), (4 - 5 -), read by
   * columns: 0 4 1 2 5 3 -> VRB 0..5 at positions 0 2 3 5 1 4 */
  static const int six[6] = {0, 2, 3, 5, 1, 4};
  for (int v = 0; v < 6; v++) CHECK_INT(lte_vrb_to_prb_dist(v, 6, 0, 0), six[v]);
  /* every bandwidth and gap: each slot maps the N_VRB VRBs to distinct PRBs below N_RB */
  int bad = 0;
  for (int i = 0; i < 6; i++)
    for (int gap2 = 0; gap2 < (bws[i] >= 50 ? 2 : 1); gap2++)
      for (int slot = 0; slot < 2; slot++) {
        int n = bws[i], nv = lte_nvrb_dist(n, gap2);
        uint8_t seen[LTE_MAX_PRB] = {0};
        for (int v = 0; v < nv; v++) {
          int p = lte_vrb_to_prb_dist(v, n, gap2, slot);
          if (p < 0 || p >= n || seen[p]++) bad++;
        }
      }
  CHECK_INT(bad, 0);
}

static void test_tbs(void) {
  CHECK_INT(lte_tbs_1a(0, 2), 32);
  CHECK_INT(lte_tbs_1a(0, 3), 56);
  CHECK_INT(lte_tbs_1a(2, 3), 144);
  CHECK_INT(lte_tbs_1a(26, 3), 2216);
  CHECK_INT(lte_tbs_1a(27, 3), 0);
  CHECK_INT(lte_tbs_1c(0), 40);
  CHECK_INT(lte_tbs_1c(31), 1736);
  /* a 1A grant: localized PRBs 3..6, I_MCS 5, TPC LSB 1 -> N_PRB^1A = 3 -> TBS 224 */
  lte_dci d = {.format = LTE_DCI_1A, .riv = lte_riv_encode(3, 4, 25), .mcs = 5, .tpc = 1};
  lte_alloc a;
  CHECK(lte_ra_si(&d, 25, &a), "1A grant");
  CHECK_INT(a.tbs, 224);
  CHECK_INT(a.n_prb, 4);
  CHECK(a.prb[0][3] && a.prb[0][6] && !a.prb[0][7] && a.prb[1][3] && !a.prb[1][2], "PRBs 3..6");
  /* a 1C grant on 25 PRB: N_step 2, N'_VRB = 12; RIV for start' 1, L' 2 -> VRBs 2..5, I_TBS 6 */
  lte_dci c = {.format = LTE_DCI_1C, .distributed = 1, .riv = lte_riv_encode(1, 2, 12), .mcs = 6};
  CHECK(lte_ra_si(&c, 25, &a), "1C grant");
  CHECK_INT(a.tbs, 176);
  CHECK_INT(a.n_prb, 4);
  CHECK(a.prb[0][12] && a.prb[0][18] && a.prb[0][1] && a.prb[0][7], "1C PRBs even slot");
  /* invalid: localized allocation past the band */
  d.riv = 25 * 26 / 2;
  CHECK(!lte_ra_si(&d, 25, &a), "RIV out of range accepted");
}

int main(void) {
  test_sizes();
  test_pack();
  test_riv();
  test_vrb();
  test_tbs();
  return check_done();
}
