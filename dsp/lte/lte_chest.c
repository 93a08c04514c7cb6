/* lte_chest.c: CRS channel estimation (see lte_chest.h). TS 36.211 6.10.1.2 gives the mapping. */
#include "lte/lte_chest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lte/lte_seq.h"

#define W 2 /* frequency smoothing half-width in pilots */

struct lte_chest_s {
  int n_prb, n_symb, ncp, pci, ports;
  float complex crs[20][4][2 * 110]; /* [ns][index of CRS symbol in slot][m]: l = 0, 1, n_sl-3 */
  float complex *hp;                 /* pilots of one symbol */
  float complex *hs;                 /* smoothed pilots */
};

lte_chest lte_chest_create(int n_prb, int cp_extended) {
  lte_chest q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->n_prb = n_prb;
  q->n_symb = cp_extended ? 12 : 14;
  q->ncp = !cp_extended;
  q->pci = -1;
  q->hp = malloc(sizeof(float complex) * 2 * n_prb);
  q->hs = malloc(sizeof(float complex) * 2 * n_prb);
  if (!q->hp || !q->hs) { lte_chest_destroy(q); return NULL; }
  return q;
}

void lte_chest_destroy(lte_chest q) {
  if (!q) return;
  free(q->hp);
  free(q->hs);
  free(q);
}

/* CRS symbols in a slot: l = 0 and n_sl-3 for ports 0/1, l = 1 for ports 2/3 */
static int slot_l(const lte_chest q, int idx) {
  int nsl = q->n_symb / 2;
  return idx == 0 ? 0 : idx == 1 ? 1 : nsl - 3;
}

void lte_chest_set_cell(lte_chest q, int pci, int ports) {
  q->ports = ports;
  if (pci == q->pci) return;
  q->pci = pci;
  for (int ns = 0; ns < 20; ns++)
    for (int i = 0; i < 3; i++) lte_crs_seq(pci, ns, slot_l(q, i), q->ncp, q->crs[ns][i]);
}

/* TS 36.211 6.10.1.2: frequency offset v of port p in slot symbol l (of slot ns), or -1 if the
 * port has no CRS there. */
static int crs_v(const lte_chest q, int p, int l, int ns) {
  int nsl = q->n_symb / 2;
  if (p < 2) {
    if (l == 0) return p == 0 ? 0 : 3;
    if (l == nsl - 3) return p == 0 ? 3 : 0;
    return -1;
  }
  if (l != 1) return -1;
  return p == 2 ? 3 * (ns % 2) : 3 + 3 * (ns % 2);
}

/* Smooth the pilots of one port at one CRS symbol (least squares, then a moving average along
 * the pilots' phase ramp) into q->hs; adds the squared residuals to *res, sum |raw|^2 to *pw and
 * the pilot count to *cnt. */
static void symbol_pilots(lte_chest q, const float complex *y, const float complex *r, int k0,
                          double *res, double *pw, int *cnt) {
  const int M = 2 * q->n_prb;
  const int moff = 110 - q->n_prb;
  float complex slope = 0;
  for (int m = 0; m < M; m++) q->hp[m] = y[6 * m + k0] * conjf(r[m + moff]);
  for (int m = 0; m + 1 < M; m++) slope += q->hp[m + 1] * conjf(q->hp[m]);
  float a = cabsf(slope);
  float complex u = a > 0 ? slope / a : 1.0f; /* phase step per pilot (timing residual) */
  for (int m = 0; m < M; m++) {
    float complex acc = 0;
    int n = 0;
    float complex ud = 1.0f;
    /* average neighbours rotated onto pilot m's phase ramp */
    for (int j = 1; j <= W; j++) {
      ud *= u;
      if (m - j >= 0) { acc += q->hp[m - j] * ud; n++; }
      if (m + j < M) { acc += q->hp[m + j] * conjf(ud); n++; }
    }
    q->hs[m] = (acc + q->hp[m]) / (float)(n + 1);
    float complex e = q->hp[m] - q->hs[m];
    *res += (crealf(e) * crealf(e) + cimagf(e) * cimagf(e)) * (n + 1) / (float)n;
    *pw += crealf(q->hp[m]) * crealf(q->hp[m]) + cimagf(q->hp[m]) * cimagf(q->hp[m]);
  }
  *cnt += M;
}

/* Estimate one port at one CRS symbol into row (12*n_prb): the smoothed pilots, linear
 * interpolation between them, flat beyond the ends. */
static void symbol_estimate(lte_chest q, const float complex *y, const float complex *r, int k0,
                            float complex *row, double *res, double *pw, int *cnt) {
  const int M = 2 * q->n_prb, K = 12 * q->n_prb;
  symbol_pilots(q, y, r, k0, res, pw, cnt);
  for (int k = 0; k < K; k++) {
    int m = (k - k0) >= 0 ? (k - k0) / 6 : -1;
    if (m < 0) row[k] = q->hs[0];
    else if (m >= M - 1) row[k] = q->hs[M - 1];
    else {
      float f = (float)(k - k0 - 6 * m) / 6.0f;
      row[k] = q->hs[m] * (1.0f - f) + q->hs[m + 1] * f;
    }
  }
}

static void stats_from(double res0, double pw0, int cnt0, lte_chest_stats *st) {
  st->noise_var = cnt0 ? (float)(res0 / cnt0) : 0.0f;
  st->crs_power = cnt0 ? (float)(pw0 / cnt0) : 0.0f;
  float s = st->crs_power - st->noise_var;
  st->rsrp = s > 0 ? s : 0.0f;
}

void lte_chest_measure(lte_chest q, const float complex *re, int sf, lte_chest_stats *st) {
  const int K = 12 * q->n_prb, nsl = q->n_symb / 2;
  double res0 = 0, pw0 = 0;
  int cnt0 = 0;
  for (int slot = 0; slot < 2; slot++) {
    int ns = 2 * sf + slot;
    for (int i = 0; i < 3; i++) {
      int l = slot_l(q, i);
      int v = crs_v(q, 0, l, ns);
      if (v < 0) continue;
      double res = 0, pw = 0; /* per symbol, then summed, as lte_chest_execute does */
      int cnt = 0;
      symbol_pilots(q, re + (size_t)(slot * nsl + l) * K, q->crs[ns][i], (v + q->pci % 6) % 6, &res,
                    &pw, &cnt);
      res0 += res; pw0 += pw; cnt0 += cnt;
    }
  }
  stats_from(res0, pw0, cnt0, st);
}

void lte_chest_execute(lte_chest q, const float complex *re, int sf, float complex *const *h,
                       lte_chest_stats *st) {
  const int K = 12 * q->n_prb, nsl = q->n_symb / 2;
  double res0 = 0, pw0 = 0;
  int cnt0 = 0;
  for (int p = 0; p < q->ports; p++) {
    int ls[4], n = 0;
    for (int slot = 0; slot < 2; slot++) {
      int ns = 2 * sf + slot;
      for (int i = 0; i < 3; i++) {
        int l = slot_l(q, i);
        int v = crs_v(q, p, l, ns);
        if (v < 0) continue;
        int lsub = slot * nsl + l;
        int k0 = (v + q->pci % 6) % 6;
        double res = 0, pw = 0;
        int cnt = 0;
        symbol_estimate(q, re + (size_t)lsub * K, q->crs[ns][i], k0, h[p] + (size_t)lsub * K, &res,
                        &pw, &cnt);
        if (p == 0) { res0 += res; pw0 += pw; cnt0 += cnt; }
        ls[n++] = lsub;
      }
    }
    /* time: linear between CRS symbols, held beyond the first and last */
    for (int l = 0; l < q->n_symb; l++) {
      int j = 0;
      while (j < n && ls[j] != l) j++;
      if (j < n) continue;
      int a = -1, b = -1;
      for (j = 0; j < n; j++) {
        if (ls[j] < l) a = j;
        if (ls[j] > l && b < 0) b = j;
      }
      float complex *dst = h[p] + (size_t)l * K;
      if (a < 0 || b < 0) {
        memcpy(dst, h[p] + (size_t)ls[a < 0 ? b : a] * K, sizeof(float complex) * K);
        continue;
      }
      float f = (float)(l - ls[a]) / (float)(ls[b] - ls[a]);
      const float complex *ha = h[p] + (size_t)ls[a] * K, *hb = h[p] + (size_t)ls[b] * K;
      for (int k = 0; k < K; k++) dst[k] = ha[k] * (1.0f - f) + hb[k] * f;
    }
  }
  if (st) stats_from(res0, pw0, cnt0, st);
}
