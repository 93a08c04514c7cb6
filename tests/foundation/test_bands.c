/* test_bands.c: GSM ARFCN (TS 45.005 clause 2) and LTE EARFCN (TS 36.101 Table 5.7.3-1) corner
 * values, round trips, and the DCS1800/PCS1900 ARFCN 512-810 ambiguity. */
#include <math.h>

#include "cellsurvey/bands.h"
#include "check.h"

static void gsm_corner(cs_gsm_band b, int n, double ul_mhz, double dl_mhz) {
  CHECK_NEAR(cs_gsm_arfcn_to_ul_hz(b, n), ul_mhz * 1e6, 1.0);
  CHECK_NEAR(cs_gsm_arfcn_to_dl_hz(b, n), dl_mhz * 1e6, 1.0);
  cs_gsm_band got;
  CHECK_INT(cs_gsm_dl_hz_to_arfcn(dl_mhz * 1e6, b, &got), n);
  CHECK_INT(got, b);
}

static void test_gsm(void) {
  /* TS 45.005 2: Fl(n) and Fu(n) = Fl(n) + duplex spacing, first and last channel of every band */
  gsm_corner(CS_GSM450, 259, 450.6, 460.6);
  gsm_corner(CS_GSM450, 293, 457.4, 467.4);
  gsm_corner(CS_GSM480, 306, 479.0, 489.0);
  gsm_corner(CS_GSM480, 340, 485.8, 495.8);
  gsm_corner(CS_GSM850, 128, 824.2, 869.2);
  gsm_corner(CS_GSM850, 251, 848.8, 893.8);
  gsm_corner(CS_PGSM900, 1, 890.2, 935.2);
  gsm_corner(CS_PGSM900, 124, 914.8, 959.8);
  gsm_corner(CS_EGSM900, 0, 890.0, 935.0);
  gsm_corner(CS_EGSM900, 124, 914.8, 959.8);
  gsm_corner(CS_EGSM900, 975, 880.2, 925.2);
  gsm_corner(CS_EGSM900, 1023, 889.8, 934.8);
  gsm_corner(CS_RGSM900, 955, 876.2, 921.2);
  gsm_corner(CS_RGSM900, 1023, 889.8, 934.8);
  gsm_corner(CS_RGSM900, 0, 890.0, 935.0);
  gsm_corner(CS_DCS1800, 512, 1710.2, 1805.2);
  gsm_corner(CS_DCS1800, 885, 1784.8, 1879.8);
  gsm_corner(CS_PCS1900, 512, 1850.2, 1930.2);
  gsm_corner(CS_PCS1900, 810, 1909.8, 1989.8);

  /* channels outside a band have no frequency */
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_PGSM900, 0) == 0.0, "P-GSM has no ARFCN 0");
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_PGSM900, 975) == 0.0, "P-GSM has no ARFCN 975");
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_EGSM900, 955) == 0.0, "E-GSM has no ARFCN 955");
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_PCS1900, 811) == 0.0, "PCS1900 ends at 810");
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_GSM850, 127) == 0.0, "GSM850 starts at 128");
  CHECK(cs_gsm_arfcn_to_dl_hz(CS_GSM850, 252) == 0.0, "GSM850 ends at 251");

  /* ARFCN 512-810: the same number is a different carrier in DCS1800 and PCS1900 */
  for (int n = 512; n <= 810; n += 149) {
    double dcs = cs_gsm_arfcn_to_dl_hz(CS_DCS1800, n), pcs = cs_gsm_arfcn_to_dl_hz(CS_PCS1900, n);
    CHECK_NEAR(pcs - dcs, 125e6, 1.0);
    cs_gsm_band b;
    CHECK_INT(cs_gsm_dl_hz_to_arfcn(dcs, CS_GSM_NONE, &b), n);
    CHECK_INT(b, CS_DCS1800);
    CHECK_INT(cs_gsm_dl_hz_to_arfcn(pcs, CS_GSM_NONE, &b), n);
    CHECK_INT(b, CS_PCS1900);
  }
  CHECK_STR(cs_gsm_band_name(CS_DCS1800), "DCS1800");
  CHECK_STR(cs_gsm_band_name(CS_PCS1900), "PCS1900");
  CHECK_STR(cs_gsm_band_name(CS_EGSM900), "GSM900");

  /* every channel of every band round-trips; +-90 kHz still finds it, 5 MHz off a band does not */
  for (int b = CS_GSM450; b < CS_GSM_BAND_COUNT; b++) {
    int a, z, c, d;
    cs_gsm_band_arfcns(b, &a, &z, &c, &d);
    int bad = 0;
    for (int pass = 0; pass < 2; pass++) {
      int lo = pass ? c : a, hi = pass ? d : z;
      if (lo < 0) continue;
      for (int n = lo; n <= hi; n++) {
        double f = cs_gsm_arfcn_to_dl_hz(b, n);
        bad += cs_gsm_dl_hz_to_arfcn(f + 90e3, b, NULL) != n || cs_gsm_dl_hz_to_arfcn(f - 90e3, b, NULL) != n;
      }
    }
    CHECK(bad == 0, "band %s: %d channels do not round-trip", cs_gsm_band_name(b), bad);
  }
  CHECK_INT(cs_gsm_dl_hz_to_arfcn(1000e6, CS_GSM_NONE, NULL), -1);
  cs_gsm_band b;
  CHECK_INT(cs_gsm_dl_hz_to_arfcn(947.0e6, CS_GSM_NONE, &b), 60);
  CHECK(b == CS_RGSM900, "947 MHz is in GSM900");
  CHECK_INT(cs_gsm_dl_hz_to_arfcn(881.0e6, CS_GSM_NONE, &b), 187);
  CHECK_INT(b, CS_GSM850);

  CHECK_INT(cs_gsm_band_parse("DCS1800"), CS_DCS1800);
  CHECK_INT(cs_gsm_band_parse("gsm900"), CS_EGSM900);
  CHECK_INT(cs_gsm_band_parse("pgsm900"), CS_PGSM900);
  CHECK_INT(cs_gsm_band_parse("lte3"), CS_GSM_NONE);
}

/* TS 36.101 Table 5.5-1: F_DL_low - F_DL_high and F_UL_low - F_UL_high (MHz), typed independently
 * of the EARFCN table so the two are checked against each other. ul 0: SDL band. */
static const struct { int band, tdd; double dl_lo, dl_hi, ul_lo, ul_hi; } t551[] = {
    {1, 0, 2110, 2170, 1920, 1980},   {2, 0, 1930, 1990, 1850, 1910},   {3, 0, 1805, 1880, 1710, 1785},
    {4, 0, 2110, 2155, 1710, 1755},   {5, 0, 869, 894, 824, 849},       {6, 0, 875, 885, 830, 840},
    {7, 0, 2620, 2690, 2500, 2570},   {8, 0, 925, 960, 880, 915},       {9, 0, 1844.9, 1879.9, 1749.9, 1784.9},
    {10, 0, 2110, 2170, 1710, 1770},  {11, 0, 1475.9, 1495.9, 1427.9, 1447.9}, {12, 0, 729, 746, 699, 716},
    {13, 0, 746, 756, 777, 787},      {14, 0, 758, 768, 788, 798},      {17, 0, 734, 746, 704, 716},
    {18, 0, 860, 875, 815, 830},      {19, 0, 875, 890, 830, 845},      {20, 0, 791, 821, 832, 862},
    {21, 0, 1495.9, 1510.9, 1447.9, 1462.9}, {22, 0, 3510, 3590, 3410, 3490}, {23, 0, 2180, 2200, 2000, 2020},
    {24, 0, 1525, 1559, 1626.5, 1660.5}, {25, 0, 1930, 1995, 1850, 1915}, {26, 0, 859, 894, 814, 849},
    {27, 0, 852, 869, 807, 824},      {28, 0, 758, 803, 703, 748},      {29, 0, 717, 728, 0, 0},
    {30, 0, 2350, 2360, 2305, 2315},  {31, 0, 462.5, 467.5, 452.5, 457.5}, {32, 0, 1452, 1496, 0, 0},
    {33, 1, 1900, 1920, 1900, 1920},  {34, 1, 2010, 2025, 2010, 2025},  {35, 1, 1850, 1910, 1850, 1910},
    {36, 1, 1930, 1990, 1930, 1990},  {37, 1, 1910, 1930, 1910, 1930},  {38, 1, 2570, 2620, 2570, 2620},
    {39, 1, 1880, 1920, 1880, 1920},  {40, 1, 2300, 2400, 2300, 2400},  {41, 1, 2496, 2690, 2496, 2690},
    {42, 1, 3400, 3600, 3400, 3600},  {43, 1, 3600, 3800, 3600, 3800},  {44, 1, 703, 803, 703, 803},
    {45, 1, 1447, 1467, 1447, 1467},  {46, 1, 5150, 5925, 5150, 5925},  {47, 1, 5855, 5925, 5855, 5925},
    {48, 1, 3550, 3700, 3550, 3700},  {49, 1, 3550, 3700, 3550, 3700},  {50, 1, 1432, 1517, 1432, 1517},
    {51, 1, 1427, 1432, 1427, 1432},  {52, 1, 3300, 3400, 3300, 3400},  {53, 1, 2483.5, 2495, 2483.5, 2495},
    {65, 0, 2110, 2200, 1920, 2010},  {66, 0, 2110, 2200, 1710, 1780},  {67, 0, 738, 758, 0, 0},
    {68, 0, 753, 783, 698, 728},      {69, 0, 2570, 2620, 0, 0},        {70, 0, 1995, 2020, 1695, 1710},
    {71, 0, 617, 652, 663, 698},      {72, 0, 461, 466, 451, 456},      {73, 0, 460, 465, 450, 455},
    {74, 0, 1475, 1518, 1427, 1470},  {75, 0, 1432, 1517, 0, 0},        {76, 0, 1427, 1432, 0, 0},
    {85, 0, 728, 746, 698, 716},      {87, 0, 420, 425, 410, 415},      {88, 0, 422, 427, 412, 417},
    {103, 0, 757, 758, 787, 788},     {106, 0, 935, 940, 896, 901},
};

static void test_lte(void) {
  int count;
  const cs_lte_band_info *all = cs_lte_bands(&count);
  CHECK_INT(count, (int)(sizeof t551 / sizeof *t551));
  for (unsigned i = 0; i < sizeof t551 / sizeof *t551; i++) {
    const cs_lte_band_info *b = cs_lte_band(t551[i].band);
    CHECK(b != NULL, "band %d missing", t551[i].band);
    if (!b) continue;
    CHECK(b == &all[i], "band %d out of table order", b->band);
    CHECK_INT(b->tdd, t551[i].tdd);
    /* first EARFCN at F_DL_low, last at F_DL_high - 100 kHz */
    int band_out;
    CHECK_NEAR(cs_lte_earfcn_to_dl_hz(b->n_dl_first, &band_out), t551[i].dl_lo * 1e6, 1.0);
    CHECK_INT(band_out, b->band);
    CHECK_NEAR(cs_lte_earfcn_to_dl_hz(b->n_dl_last, NULL), t551[i].dl_hi * 1e6 - 100e3, 1.0);
    CHECK_INT(b->n_dl_first, b->n_offs_dl);
    CHECK_INT(cs_lte_dl_hz_to_earfcn(t551[i].dl_lo * 1e6, b->band, &band_out), b->n_dl_first);
    CHECK_INT(band_out, b->band);
    CHECK_INT(cs_lte_dl_hz_to_earfcn(t551[i].dl_hi * 1e6 - 100e3, b->band, NULL), b->n_dl_last);
    if (t551[i].ul_lo > 0) {
      CHECK_NEAR(b->f_ul_low_mhz, t551[i].ul_lo, 1e-9);
      CHECK_NEAR(b->f_ul_low_mhz + 0.1 * (b->n_ul_last - b->n_offs_ul), t551[i].ul_hi - 0.1, 1e-6);
      CHECK_INT(b->n_ul_first, b->n_offs_ul);
    } else {
      CHECK_INT(b->n_ul_first, -1);
    }
    /* EARFCN ranges of bands never overlap: each band starts after the previous one ends */
    if (i > 0) CHECK(b->n_dl_first > all[i - 1].n_dl_last || b->tdd != all[i - 1].tdd || b->band == 65,
                     "band %d EARFCNs overlap band %d", b->band, all[i - 1].band);
  }
  /* spot values of Table 5.7.3-1 and well-known carriers */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(3350, NULL), 2680.0e6, 1.0);  /* band 7 */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(1300, NULL), 1815.0e6, 1.0);  /* band 3 */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(6300, NULL), 806.0e6, 1.0);   /* band 20 */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(3800, NULL), 1844.9e6, 1.0);  /* band 9, a .9 MHz band edge */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(66436, NULL), 2110.0e6, 1.0); /* band 66 */
  CHECK_NEAR(cs_lte_earfcn_to_dl_hz(41589, NULL), 2689.9e6, 1.0); /* band 41 last */
  CHECK(cs_lte_earfcn_to_dl_hz(9999 + 26000, NULL) == 0.0, "EARFCN 35999 is in no band");
  CHECK(cs_lte_earfcn_to_dl_hz(-1, NULL) == 0.0, "negative EARFCN");
  int band;
  CHECK_INT(cs_lte_dl_hz_to_earfcn(1815.0e6, 0, &band), 1300);
  CHECK_INT(band, 3);
  /* 2110 MHz is band 1, 4, 10, 65 and 66; table order gives band 1 unless the hint says otherwise */
  CHECK_INT(cs_lte_dl_hz_to_earfcn(2110.0e6, 0, &band), 0);
  CHECK_INT(band, 1);
  CHECK_INT(cs_lte_dl_hz_to_earfcn(2110.0e6, 66, &band), 66436);
  CHECK_INT(band, 66);
  CHECK_INT(cs_lte_dl_hz_to_earfcn(1815.05e6, 0, NULL), -1); /* off the 100 kHz raster */
  CHECK_INT(cs_lte_dl_hz_to_earfcn(100e6, 0, NULL), -1);
  CHECK(cs_lte_band(15) == NULL && cs_lte_band(16) == NULL, "bands 15 and 16 are reserved");
}

int main(void) {
  test_gsm();
  test_lte();
  return check_done();
}
