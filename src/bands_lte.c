/* bands_lte.c: LTE EARFCN <-> frequency, TS 36.101 clause 5.7.3 and Table 5.7.3-1.
 *   F_DL = F_DL_low + 0.1 (N_DL - N_Offs-DL)   F_UL = F_UL_low + 0.1 (N_UL - N_Offs-UL)   [MHz]
 * Bands 15 and 16 are reserved. SDL bands (29, 32, 67, 69, 75, 76) have no uplink (n_ul_first
 * = -1). For TDD bands (33-53) the uplink row equals the downlink row. */
#include "cellsurvey/bands.h"

#include <math.h>
#include <stddef.h>

#define FDD(b, fdl, odl, ndl1, ndl2, ful, oul, nul1, nul2) {b, 0, fdl, odl, ndl1, ndl2, ful, oul, nul1, nul2}
#define SDL(b, fdl, odl, ndl1, ndl2) {b, 0, fdl, odl, ndl1, ndl2, 0.0, -1, -1, -1}
#define TDD(b, f, o, n1, n2) {b, 1, f, o, n1, n2, f, o, n1, n2}

/* TS 36.101 Table 5.7.3-1 (E-UTRA channel numbers) */
static const cs_lte_band_info bands[] = {
    FDD(1, 2110, 0, 0, 599, 1920, 18000, 18000, 18599),
    FDD(2, 1930, 600, 600, 1199, 1850, 18600, 18600, 19199),
    FDD(3, 1805, 1200, 1200, 1949, 1710, 19200, 19200, 19949),
    FDD(4, 2110, 1950, 1950, 2399, 1710, 19950, 19950, 20399),
    FDD(5, 869, 2400, 2400, 2649, 824, 20400, 20400, 20649),
    FDD(6, 875, 2650, 2650, 2749, 830, 20650, 20650, 20749),
    FDD(7, 2620, 2750, 2750, 3449, 2500, 20750, 20750, 21449),
    FDD(8, 925, 3450, 3450, 3799, 880, 21450, 21450, 21799),
    FDD(9, 1844.9, 3800, 3800, 4149, 1749.9, 21800, 21800, 22149),
    FDD(10, 2110, 4150, 4150, 4749, 1710, 22150, 22150, 22749),
    FDD(11, 1475.9, 4750, 4750, 4949, 1427.9, 22750, 22750, 22949),
    FDD(12, 729, 5010, 5010, 5179, 699, 23010, 23010, 23179),
    FDD(13, 746, 5180, 5180, 5279, 777, 23180, 23180, 23279),
    FDD(14, 758, 5280, 5280, 5379, 788, 23280, 23280, 23379),
    FDD(17, 734, 5730, 5730, 5849, 704, 23730, 23730, 23849),
    FDD(18, 860, 5850, 5850, 5999, 815, 23850, 23850, 23999),
    FDD(19, 875, 6000, 6000, 6149, 830, 24000, 24000, 24149),
    FDD(20, 791, 6150, 6150, 6449, 832, 24150, 24150, 24449),
    FDD(21, 1495.9, 6450, 6450, 6599, 1447.9, 24450, 24450, 24599),
    FDD(22, 3510, 6600, 6600, 7399, 3410, 24600, 24600, 25399),
    FDD(23, 2180, 7500, 7500, 7699, 2000, 25500, 25500, 25699),
    FDD(24, 1525, 7700, 7700, 8039, 1626.5, 25700, 25700, 26039),
    FDD(25, 1930, 8040, 8040, 8689, 1850, 26040, 26040, 26689),
    FDD(26, 859, 8690, 8690, 9039, 814, 26690, 26690, 27039),
    FDD(27, 852, 9040, 9040, 9209, 807, 27040, 27040, 27209),
    FDD(28, 758, 9210, 9210, 9659, 703, 27210, 27210, 27659),
    SDL(29, 717, 9660, 9660, 9769),
    FDD(30, 2350, 9770, 9770, 9869, 2305, 27660, 27660, 27759),
    FDD(31, 462.5, 9870, 9870, 9919, 452.5, 27760, 27760, 27809),
    SDL(32, 1452, 9920, 9920, 10359),
    TDD(33, 1900, 36000, 36000, 36199),
    TDD(34, 2010, 36200, 36200, 36349),
    TDD(35, 1850, 36350, 36350, 36949),
    TDD(36, 1930, 36950, 36950, 37549),
    TDD(37, 1910, 37550, 37550, 37749),
    TDD(38, 2570, 37750, 37750, 38249),
    TDD(39, 1880, 38250, 38250, 38649),
    TDD(40, 2300, 38650, 38650, 39649),
    TDD(41, 2496, 39650, 39650, 41589),
    TDD(42, 3400, 41590, 41590, 43589),
    TDD(43, 3600, 43590, 43590, 45589),
    TDD(44, 703, 45590, 45590, 46589),
    TDD(45, 1447, 46590, 46590, 46789),
    TDD(46, 5150, 46790, 46790, 54539),
    TDD(47, 5855, 54540, 54540, 55239),
    TDD(48, 3550, 55240, 55240, 56739),
    TDD(49, 3550, 56740, 56740, 58239),
    TDD(50, 1432, 58240, 58240, 59089),
    TDD(51, 1427, 59090, 59090, 59139),
    TDD(52, 3300, 59140, 59140, 60139),
    TDD(53, 2483.5, 60140, 60140, 60254),
    FDD(65, 2110, 65536, 65536, 66435, 1920, 131072, 131072, 131971),
    FDD(66, 2110, 66436, 66436, 67335, 1710, 131972, 131972, 132671),
    SDL(67, 738, 67336, 67336, 67535),
    FDD(68, 753, 67536, 67536, 67835, 698, 132672, 132672, 132971),
    SDL(69, 2570, 67836, 67836, 68335),
    FDD(70, 1995, 68336, 68336, 68585, 1695, 132972, 132972, 133121),
    FDD(71, 617, 68586, 68586, 68935, 663, 133122, 133122, 133471),
    FDD(72, 461, 68936, 68936, 68985, 451, 133472, 133472, 133521),
    FDD(73, 460, 68986, 68986, 69035, 450, 133522, 133522, 133571),
    FDD(74, 1475, 69036, 69036, 69465, 1427, 133572, 133572, 134001),
    SDL(75, 1432, 69466, 69466, 70315),
    SDL(76, 1427, 70316, 70316, 70365),
    FDD(85, 728, 70366, 70366, 70545, 698, 134002, 134002, 134181),
    FDD(87, 420, 70546, 70546, 70595, 410, 134182, 134182, 134231),
    FDD(88, 422, 70596, 70596, 70645, 412, 134232, 134232, 134281),
    FDD(103, 757, 70646, 70646, 70655, 787, 134282, 134282, 134291),
    FDD(106, 935, 70656, 70656, 70705, 896, 134292, 134292, 134341),
};

#define N_BANDS (int)(sizeof bands / sizeof *bands)

const cs_lte_band_info *cs_lte_bands(int *count) {
  *count = N_BANDS;
  return bands;
}

const cs_lte_band_info *cs_lte_band(int band) {
  for (int i = 0; i < N_BANDS; i++)
    if (bands[i].band == band) return &bands[i];
  return NULL;
}

/* EARFCN ranges of different bands do not overlap (each band has its own N_Offs), so the
 * EARFCN alone gives the band. */
double cs_lte_earfcn_to_dl_hz(int earfcn, int *band_out) {
  for (int i = 0; i < N_BANDS; i++) {
    const cs_lte_band_info *b = &bands[i];
    if (earfcn >= b->n_dl_first && earfcn <= b->n_dl_last) {
      if (band_out) *band_out = b->band;
      /* in units of 100 kHz to keep the result exact on the raster */
      return (round(b->f_dl_low_mhz * 10.0) + (earfcn - b->n_offs_dl)) * 100e3;
    }
  }
  if (band_out) *band_out = -1;
  return 0.0;
}

static int earfcn_in(const cs_lte_band_info *b, double freq_hz) {
  double n = freq_hz / 100e3 - round(b->f_dl_low_mhz * 10.0) + b->n_offs_dl;
  double nr = round(n);
  if (fabs(n - nr) * 100e3 > 1e3) return -1;
  return nr >= b->n_dl_first && nr <= b->n_dl_last ? (int)nr : -1;
}

int cs_lte_dl_hz_to_earfcn(double freq_hz, int band_hint, int *band_out) {
  const cs_lte_band_info *hint = band_hint > 0 ? cs_lte_band(band_hint) : NULL;
  if (hint) {
    int n = earfcn_in(hint, freq_hz);
    if (n >= 0) { if (band_out) *band_out = hint->band; return n; }
  }
  for (int i = 0; i < N_BANDS; i++) {
    int n = earfcn_in(&bands[i], freq_hz);
    if (n >= 0) { if (band_out) *band_out = bands[i].band; return n; }
  }
  if (band_out) *band_out = -1;
  return -1;
}
