/* ratematch.c: LTE rate matching maps and soft bit de-selection (TS 36.212 5.1.4). */
#include "fec/ratematch.h"

/* Table 5.1.4-1: inter-column permutation of the turbo sub-block interleaver. */
static const uint8_t perm_turbo[32] = {0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30,
                                       1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31};
/* Table 5.1.4-2: inter-column permutation of the convolutional sub-block interleaver. */
static const uint8_t perm_conv[32] = {1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                                      0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};

/* Position y index (row-wise write, N_D dummies first) read at interleaver output k:
 * y[P(k / R) + 32 * (k mod R)]; for turbo stream 2 (5.1.4.1.1) shifted by one mod K_PI. */
static unsigned subblock_in(const uint8_t *perm, unsigned r, unsigned kpi, unsigned k, int shift) {
  unsigned idx = perm[k / r] + 32u * (k % r);
  return shift ? (idx + 1) % kpi : idx;
}

/* y index -> d index or -1 (dummy or filler) */
static int32_t y_to_d(unsigned y, unsigned nd, unsigned d, unsigned stream, unsigned filler) {
  if (y < nd) return -1;
  unsigned i = y - nd;
  if (stream < 2 && i < filler) return -1;
  return (int32_t)(stream * d + i);
}

void lte_rm_turbo_map(unsigned d, unsigned filler, int32_t *map) {
  unsigned kpi = lte_rm_kpi(d), r = kpi / 32, nd = kpi - d;
  /* 5.1.4.1.2 bit collection: w_k = v0_k, w_{KPI+2k} = v1_k, w_{KPI+2k+1} = v2_k */
  for (unsigned k = 0; k < kpi; k++) {
    map[k] = y_to_d(subblock_in(perm_turbo, r, kpi, k, 0), nd, d, 0, filler);
    map[kpi + 2 * k] = y_to_d(subblock_in(perm_turbo, r, kpi, k, 0), nd, d, 1, filler);
    map[kpi + 2 * k + 1] = y_to_d(subblock_in(perm_turbo, r, kpi, k, 1), nd, d, 2, filler);
  }
}

unsigned lte_rm_turbo_k0(unsigned d, unsigned ncb, unsigned rv) {
  unsigned r = lte_rm_kpi(d) / 32;
  /* 5.1.4.1.2: k0 = R * (2 * ceil(Ncb / (8 R)) * rv_idx + 2) */
  return r * (2u * ((ncb + 8 * r - 1) / (8 * r)) * (rv & 3) + 2u);
}

void lte_rm_conv_map(unsigned d, int32_t *map) {
  unsigned kpi = lte_rm_kpi(d), r = kpi / 32, nd = kpi - d;
  /* 5.1.4.2.2: w = [v0, v1, v2] */
  for (unsigned s = 0; s < 3; s++)
    for (unsigned k = 0; k < kpi; k++)
      map[s * kpi + k] = y_to_d(subblock_in(perm_conv, r, kpi, k, 0), nd, d, s, 0);
}

int lte_rm_dematch_add(const float *e, unsigned n, const int32_t *map, unsigned ncb, unsigned k0, float *w) {
  unsigned j = k0 % ncb, valid = 0;
  for (unsigned i = 0; i < ncb; i++) valid += map[i] >= 0;
  if (!valid) return 0;
  for (unsigned k = 0; k < n;) {
    if (map[j] >= 0) w[j] += e[k++];
    if (++j == ncb) j = 0;
  }
  return 1;
}
