/* ra.c: resource allocation type 2, distributed VRB mapping and TBS for SI-RNTI grants
 * (TS 36.213 7.1.6.3, 7.1.7; TS 36.211 6.2.3.2). */
#include "lte/ra.h"

#include <string.h>

int lte_ngap(int n, int gap2) {
  /* TS 36.211 Table 6.2.3.2-1 */
  if (gap2) {
    if (n < 50) return 0;
    return n < 64 ? 9 : 16;
  }
  if (n <= 10) return (n + 1) / 2;
  if (n == 11) return 4;
  if (n <= 19) return 8;
  if (n <= 26) return 12;
  if (n <= 44) return 18;
  if (n <= 63) return 27;
  if (n <= 79) return 32;
  return 48;
}

int lte_nvrb_dist(int n, int gap2) {
  int g = lte_ngap(n, gap2);
  if (!g) return 0;
  if (gap2) return (n / (2 * g)) * 2 * g;
  return 2 * (g < n - g ? g : n - g);
}

int lte_rbg_size(int n) { return n <= 10 ? 1 : n <= 26 ? 2 : n <= 63 ? 3 : 4; }

int lte_vrb_to_prb_dist(int n_vrb, int n, int gap2, int slot_odd) {
  /* 6.2.3.2: the VRB numbers of a block of N~_VRB are written row by row into a matrix of 4
   * columns and N_row = ceil(N~_VRB / 4P) P rows, with N_null = 4 N_row - N~_VRB nulls in the
   * last N_null/2 rows of the 2nd and 4th columns, and read out column by column skipping the
   * nulls; n~_PRB is the read-out position. */
  int ngap = lte_ngap(n, gap2);
  int nt = gap2 ? 2 * ngap : lte_nvrb_dist(n, 0); /* N~_VRB */
  int p = lte_rbg_size(n);
  int nrow = (nt + 4 * p - 1) / (4 * p) * p;
  int nnull = 4 * nrow - nt;
  int v = n_vrb % nt, base = nt * (n_vrb / nt), pos;
  if (v < nt - nnull) { /* full rows: column v mod 4, row v / 4 */
    int c = v % 4, r = v / 4;
    pos = c * nrow + r - (c >= 2 ? nnull / 2 : 0);
  } else { /* rows with nulls: only the 1st and 3rd columns */
    int w = v - (nt - nnull), r = nrow - nnull / 2 + w / 2;
    pos = (w % 2) ? 2 * nrow - nnull / 2 + r : r;
  }
  /* odd slot: shifted by N~_VRB / 2 within the block */
  if (slot_odd) pos = (pos + nt / 2) % nt;
  pos += base;
  /* the upper half of each block moves up by the gap */
  return (pos % nt) < nt / 2 ? pos : pos + ngap - nt / 2;
}

int lte_riv_decode(unsigned riv, int n, int *start, int *len) {
  if (n < 1 || riv >= (unsigned)(n * (n + 1) / 2)) return 0;
  int l = (int)(riv / (unsigned)n) + 1, s = (int)(riv % (unsigned)n);
  if (s + l > n) {
    l = n - l + 2;
    s = n - 1 - s;
  }
  if (l < 1 || s < 0 || s + l > n) return 0;
  *start = s;
  *len = l;
  return 1;
}

unsigned lte_riv_encode(int s, int l, int n) {
  if (l - 1 <= n / 2) return (unsigned)(n * (l - 1) + s);
  return (unsigned)(n * (n - l + 1) + (n - 1 - s));
}

/* TS 36.213 Table 7.1.7.2.1-1, columns N_PRB = 2 and 3, I_TBS 0..26 */
static const uint16_t tbs_23[27][2] = {
  {32, 56}, {56, 88}, {72, 144}, {104, 176}, {120, 208}, {144, 224}, {176, 256}, {224, 328},
  {256, 392}, {296, 456}, {328, 504}, {376, 584}, {440, 680}, {488, 744}, {552, 840},
  {600, 904}, {632, 968}, {696, 1064}, {776, 1160}, {840, 1288}, {904, 1384}, {1000, 1480},
  {1064, 1608}, {1128, 1736}, {1192, 1800}, {1256, 1864}, {1480, 2216},
};

/* TS 36.213 Table 7.1.7.2.3-1 (format 1C) */
static const uint16_t tbs_c[32] = {40, 56, 72, 120, 136, 144, 176, 208, 224, 256, 280,
                                    296, 328, 336, 392, 488, 552, 600, 632, 696, 776, 840,
                                    904, 1000, 1064, 1128, 1224, 1288, 1384, 1480, 1608, 1736};

int lte_tbs_1a(int i_tbs, int n_prb_1a) {
  if (i_tbs < 0 || i_tbs > 26 || n_prb_1a < 2 || n_prb_1a > 3) return 0;
  return tbs_23[i_tbs][n_prb_1a - 2];
}

int lte_tbs_1c(int i_tbs) { return i_tbs >= 0 && i_tbs < 32 ? tbs_c[i_tbs] : 0; }

int lte_ra_si(const lte_dci *d, int n, lte_alloc *a) {
  memset(a, 0, sizeof *a);
  if (n < 6 || n > LTE_MAX_PRB) return 0;
  int start, len, gap2 = d->gap2 && n >= 50;
  if (d->format == LTE_DCI_1A) {
    a->tbs = lte_tbs_1a(d->mcs, 2 + (d->tpc & 1));
    if (!lte_riv_decode(d->riv, n, &start, &len)) return 0;
    if (!d->distributed) {
      for (int i = start; i < start + len; i++) a->prb[0][i] = a->prb[1][i] = 1;
      a->n_prb = len;
      return a->tbs > 0;
    }
  } else {
    /* 7.1.6.3: 1C RIV over N'_VRB = floor(N_VRB,gap1 / N_step) in steps of N_step */
    int step = n < 50 ? 2 : 4;
    a->tbs = lte_tbs_1c(d->mcs);
    if (!lte_riv_decode(d->riv, lte_nvrb_dist(n, 0) / step, &start, &len)) return 0;
    start *= step;
    len *= step;
  }
  if (start + len > lte_nvrb_dist(n, gap2)) return 0;
  for (int v = start; v < start + len; v++)
    for (int s = 0; s < 2; s++) a->prb[s][lte_vrb_to_prb_dist(v, n, gap2, s)] = 1;
  a->n_prb = len;
  return a->tbs > 0;
}
