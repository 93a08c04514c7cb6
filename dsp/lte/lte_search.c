/* lte_search.c: PSS/SSS cell search at 1.92 Msps (see lte_search.h). */
#include "lte/lte_search.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigbuf.h"
#include "lte/lte_seq.h"

#define NB 1024               /* correlation block FFT */
#define NP 128                /* PSS length at 1.92 Msps */
#define HOP (NB - NP)
#define PB 272                /* PSS bins kept: 62 subcarriers = +-248 bins, plus sidelobes */
#define MAX_HALF 8            /* half-frames folded (LTE_SEARCH_SPAN) */
#define BIN_HZ (LTE_FS_SEARCH / NB)
#define STEP_BINS 4           /* 7.5 kHz frequency grid */
#define MAX_PEAKS_PER_ROOT 4
#define CLEAR_PAR 30.0f      /* a peak this far above the mean needs no more half-frames */
#define MIN_SSS_METRIC 4.5f /* SSS sum over the rms of all hypotheses: noise stays below ~4.5 */

struct lte_search_s {
  int nshift;                 /* frequency hypotheses: shifts -S..S of STEP_BINS bins */
  int si0, si1;               /* the hypotheses searched by this execute: si0 <= si < si1 */
  float *acc;                 /* [3][nshift][LTE_HALF_FRAME] folded |corr|^2 */
  float complex pc[3][2 * PB]; /* conj(FFT(PSS zero padded)) / NB, centred, bins -PB..PB-1 */
  float complex *xc;          /* signal spectrum in centred order, +-(PB + smax) bins */
  int smax;                   /* largest shift in bins */
  float complex pt[3][NP];    /* time-domain PSS, unit energy */
  float complex pd[3][62];    /* PSS in frequency */
  /* SSS parts (TS 36.211 6.11.2.1): s~ repeated (s2[i] = s~(i mod 31), lane 31 unused),
   * c0/c1 per N_ID(2), z~ shifted by 0..7, the shifts m0, m1 per N_ID(1) */
  float s2[64], c0[3][31], c1[3][31], zj[8][31];
  int m0[168], m1[168];
  fftwf_complex *fb, *ib, *ob; /* forward in place; inverse ib -> ob (out of place: no copy) */
  fftwf_plan fwd, inv;
  fftwf_complex *sb;
  fftwf_plan s128;
  float best[LTE_HALF_FRAME];  /* per lag: the best frequency hypothesis' power, and which */
  int bsi[LTE_HALF_FRAME];
};

double lte_pss_offset(int tdd, int ext) { return !tdd ? 832.0 : ext ? 2272.0 : 2204.0; }
double lte_sss_offset(int tdd, int ext) { return !tdd ? (ext ? 672.0 : 695.0) : 1792.0; }

lte_search lte_search_create(float max_cfo_hz) {
  lte_search q = calloc(1, sizeof *q);
  if (!q) return NULL;
  int S = (int)ceil(max_cfo_hz / (STEP_BINS * BIN_HZ));
  q->nshift = 2 * S + 1;
  q->smax = S * STEP_BINS;
  q->xc = malloc(sizeof(float complex) * 2 * (q->smax + PB));
  q->acc = bigbuf_alloc(sizeof(float) * 3 * q->nshift * LTE_HALF_FRAME);
  q->fb = fftwf_alloc_complex(NB);
  q->ib = fftwf_alloc_complex(NB);
  q->ob = fftwf_alloc_complex(NB);
  q->sb = fftwf_alloc_complex(NP);
  if (!q->acc || !q->fb || !q->ib || !q->ob || !q->sb || !q->xc) { lte_search_destroy(q); return NULL; }
  q->fwd = fftwf_plan_dft_1d(NB, q->fb, q->fb, FFTW_FORWARD, FFTW_ESTIMATE);
  q->inv = fftwf_plan_dft_1d(NB, q->ib, q->ob, FFTW_BACKWARD, FFTW_ESTIMATE);
  q->s128 = fftwf_plan_dft_1d(NP, q->sb, q->sb, FFTW_FORWARD, FFTW_ESTIMATE);
  fftwf_plan ip = fftwf_plan_dft_1d(NP, q->sb, q->sb, FFTW_BACKWARD, FFTW_ESTIMATE);
  if (!ip) { lte_search_destroy(q); return NULL; }
  for (int u = 0; u < 3; u++) {
    lte_pss(u, q->pd[u]);
    /* time domain: IFFT of the 62 subcarriers around DC (DC unused) */
    float complex *t = (float complex *)q->sb;
    memset(t, 0, sizeof(float complex) * NP);
    for (int n = 0; n < 62; n++) t[lte_bin(n - 31, NP)] = q->pd[u][n];
    fftwf_execute(ip);
    double e = 0;
    for (int i = 0; i < NP; i++) e += crealf(t[i] * conjf(t[i]));
    for (int i = 0; i < NP; i++) q->pt[u][i] = t[i] / (float)sqrt(e);
    float complex *f = (float complex *)q->fb;
    memset(f, 0, sizeof(float complex) * NB);
    memcpy(f, q->pt[u], sizeof(float complex) * NP);
    fftwf_execute(q->fwd);
    for (int k = -PB; k < PB; k++) q->pc[u][k + PB] = conjf(f[k & (NB - 1)]) / (float)NB;
  }
  fftwf_destroy_plan(ip);
  {
    int s[31], c[31], z[31];
    lte_sss_mseqs(s, c, z);
    for (int i = 0; i < 64; i++) q->s2[i] = (float)s[i % 31];
    for (int u = 0; u < 3; u++)
      for (int n = 0; n < 31; n++) {
        q->c0[u][n] = (float)c[(n + u) % 31];
        q->c1[u][n] = (float)c[(n + u + 3) % 31];
      }
    for (int j = 0; j < 8; j++)
      for (int n = 0; n < 31; n++) q->zj[j][n] = (float)z[(n + j) % 31];
    for (int n1 = 0; n1 < 168; n1++) lte_sss_indices(n1, &q->m0[n1], &q->m1[n1]);
  }
  return q;
}

const float complex *lte_search_pss(const lte_search q, int u) { return q->pt[u]; }

void lte_search_destroy(lte_search q) {
  if (!q) return;
  if (q->fwd) fftwf_destroy_plan(q->fwd);
  if (q->inv) fftwf_destroy_plan(q->inv);
  if (q->s128) fftwf_destroy_plan(q->s128);
  fftwf_free(q->fb);
  fftwf_free(q->ib);
  fftwf_free(q->ob);
  fftwf_free(q->sb);
  free(q->acc);
  free(q->xc);
  free(q);
}

/* Four floats as one SIMD register (GCC/Clang vector extension; the -O2 baseline build leaves
 * these interleaved-complex loops scalar). Same operations in the same order as the scalar
 * formulas, so the same results. */
typedef float v4sf __attribute__((vector_size(16)));
typedef int v4si __attribute__((vector_size(16)));
static inline v4sf load4(const float *p) { v4sf v; memcpy(&v, p, sizeof v); return v; }
static inline void store4(float *p, v4sf v) { memcpy(p, &v, sizeof v); }

/* y = x * p, n (even) complex values: re = xr pr - xi pi, im = xi pr + xr pi */
static void cmul(float *y, const float *x, const float *p, int n) {
  const v4sf sign = {-1.0f, 1.0f, -1.0f, 1.0f};
  for (int i = 0; i < 2 * n; i += 4) {
    v4sf a = load4(x + i), b = load4(p + i);
    v4sf br = __builtin_shufflevector(b, b, 0, 0, 2, 2), bi = __builtin_shufflevector(b, b, 1, 1, 3, 3);
    v4sf as = __builtin_shufflevector(a, a, 1, 0, 3, 2);
    store4(y + i, a * br + as * bi * sign);
  }
}

/* a[i] += |y[i]|^2, i = 0..n-1 */
static void add_power(float *a, const float *y, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v4sf s0 = load4(y + 2 * i), s1 = load4(y + 2 * i + 4);
    s0 *= s0;
    s1 *= s1;
    v4sf re = __builtin_shufflevector(s0, s1, 0, 2, 4, 6), im = __builtin_shufflevector(s0, s1, 1, 3, 5, 7);
    store4(a + i, load4(a + i) + (re + im));
  }
  for (; i < n; i++) a[i] += y[2 * i] * y[2 * i] + y[2 * i + 1] * y[2 * i + 1];
}

/* Fold |PSS correlation|^2 for every root and frequency hypothesis over x[0..n). */

static void fold(lte_search q, const float complex *x, size_t n, size_t b0, size_t b1) {
  const int S = q->nshift / 2;
  if (b0 == 0) memset(q->acc, 0, sizeof(float) * 3 * q->nshift * LTE_HALF_FRAME);
  float complex *X = (float complex *)q->fb, *Y = (float complex *)q->ib;
  /* bins outside the PSS band stay zero: the out-of-place inverse FFT preserves its input */
  memset(Y + PB, 0, sizeof(float complex) * (NB - 2 * PB));
  for (size_t b = b0; b < b1 && b + NP <= n; b += HOP) {
    size_t m = n - b < NB ? n - b : NB;
    memcpy(X, x + b, sizeof(float complex) * m);
    if (m < NB) memset(X + m, 0, sizeof(float complex) * (NB - m));
    fftwf_execute(q->fwd);
    /* the spectrum in centred order, wide enough for every shift: xc[smax + PB + f] = X[f] */
    for (int i = 0; i < 2 * (q->smax + PB); i++) q->xc[i] = X[(i - q->smax - PB) & (NB - 1)];
    size_t valid = m - NP + 1 < HOP ? m - NP + 1 : HOP;
    for (int u = 0; u < 3; u++)
      for (int si = q->si0; si < q->si1; si++) {
        int sh = (si - S) * STEP_BINS;
        /* signal shifted down by sh bins (X'[k] = X[k + sh]) times the PSS spectrum, only over
         * the bins the PSS occupies, as two contiguous runs (bins 0..PB-1 and NB-PB..NB-1) */
        const float complex *xc = q->xc + q->smax + PB + sh, *pc = q->pc[u] + PB;
        cmul((float *)Y, (const float *)xc, (const float *)pc, PB);
        cmul((float *)(Y + NB - PB), (const float *)(xc - PB), (const float *)(pc - PB), PB);
        fftwf_execute(q->inv);
        const float *yf = (const float *)q->ob;
        float *a = q->acc + ((size_t)u * q->nshift + si) * LTE_HALF_FRAME;
        size_t t = b % LTE_HALF_FRAME;
        size_t run1 = LTE_HALF_FRAME - t < valid ? LTE_HALF_FRAME - t : valid;
        add_power(a + t, yf, run1);
        add_power(a, yf + 2 * run1, valid - run1);
      }
  }
}

/* Correlation of the PSS of root u at integer position t with frequency offset f (cycles per
 * sample, phase referenced to x[0]); halves in c1, c2. */
static float complex pss_corr(const lte_search q, const float complex *x, int u, size_t t,
                              double f, float complex *c1, float complex *c2) {
  float complex a = 0, b = 0;
  float complex rot = (float complex)cexp(-I * 2.0 * M_PI * f * (double)t);
  float complex st = (float complex)cexp(-I * 2.0 * M_PI * f);
  for (int i = 0; i < NP; i++) {
    float complex v = x[t + i] * rot * conjf(q->pt[u][i]);
    if (i < NP / 2) a += v;
    else b += v;
    rot *= st;
  }
  if (c1) *c1 = a;
  if (c2) *c2 = b;
  return a + b;
}

/* FFT of 128 samples at t with frequency offset f removed; the 62 central subcarriers. */
static void sym62(lte_search q, const float complex *x, size_t t, double f, float complex out[62]) {
  float complex *b = (float complex *)q->sb;
  float complex rot = (float complex)cexp(-I * 2.0 * M_PI * f * (double)t);
  float complex st = (float complex)cexp(-I * 2.0 * M_PI * f);
  for (int i = 0; i < NP; i++) { b[i] = x[t + i] * rot; rot *= st; }
  fftwf_execute(q->s128);
  for (int n = 0; n < 62; n++) out[n] = b[lte_bin(n - 31, NP)];
}

typedef struct { int u, t, si; float par; } peak;

static int cmp_peak(const void *a, const void *b) {
  float x = ((const peak *)a)->par, y = ((const peak *)b)->par;
  return (x < y) - (x > y);
}

/* v[m] = sum_n a[n] s~((n+m) mod 31), m = 0..31 (lane 31 unused): 8 vectors of m */
static void cyc_corr(const lte_search q, const float a[31], float v[32]) {
  v4sf acc[8] = {{0}};
  for (int n = 0; n < 31; n++) {
    v4sf an = {a[n], a[n], a[n], a[n]};
    for (int b = 0; b < 8; b++) acc[b] += an * load4(q->s2 + n + 4 * b);
  }
  memcpy(v, acc, sizeof acc);
}

/* Correlate the equalised SSS zr (TS 36.211 6.11.2.1) with all 168 N_ID(1) in both subframe
 * positions, through the sequence structure: the even part depends only on the shift of s~ (31
 * values), the odd part on the shifts of s~ and z~ (31 x 8), instead of 336 products of 62.
 * tot[n1][p] += correlation, parity p: occurrence h carries subframe (h + p) % 2. */
static void sss_corr(const lte_search q, int u, const float zr[62], int h, float tot[168][2]) {
  float e[31], o[31], E[32], O[8][32];
  for (int n = 0; n < 31; n++) {
    e[n] = zr[2 * n] * q->c0[u][n];
    o[n] = zr[2 * n + 1] * q->c1[u][n];
  }
  cyc_corr(q, e, E);
  for (int j = 0; j < 8; j++) {
    float oz[31];
    for (int n = 0; n < 31; n++) oz[n] = o[n] * q->zj[j][n];
    cyc_corr(q, oz, O[j]);
  }
  for (int n1 = 0; n1 < 168; n1++) {
    int m0 = q->m0[n1], m1 = q->m1[n1];
    tot[n1][h % 2] += E[m0] + O[m0 % 8][m1];       /* subframe 0 */
    tot[n1][(h + 1) % 2] += E[m1] + O[m1 % 8][m0]; /* subframe 5: m0 and m1 swapped */
  }
}

/* SSS detection for a PSS at pss_pos (CFO f cycles/sample). Adds candidates to out. */
static int detect_sss(lte_search q, const float complex *x, size_t n, int u, double pss_pos,
                      double cfo_hz, float par, lte_search_cand *out, int max) {
  const double f = cfo_hz / LTE_FS_SEARCH;
  static const int hyps[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}}; /* {tdd, ext} */
  float tot[4][168][2];
  memset(tot, 0, sizeof tot);
  size_t t0 = (size_t)lround(pss_pos);
  float complex yp[62], ys[62], hz[62];
  int used = 0;
  for (int h = 0; h < MAX_HALF; h++) {
    size_t tp = t0 + (size_t)h * LTE_HALF_FRAME;
    if (tp + NP > n) break;
    sym62(q, x, tp, f, yp);
    for (int k = 0; k < 62; k++) hz[k] = yp[k] * conjf(q->pd[u][k]); /* PSS channel (|d| = 1) */
    for (int y = 0; y < 4; y++) {
      double back = lte_pss_offset(hyps[y][0], hyps[y][1]) - lte_sss_offset(hyps[y][0], hyps[y][1]);
      if ((double)tp < back) continue;
      sym62(q, x, tp - (size_t)back, f, ys);
      float zr[62];
      for (int k = 0; k < 62; k++) zr[k] = crealf(ys[k] * conjf(hz[k]));
      sss_corr(q, u, zr, h, tot[y]);
    }
    used++;
  }
  if (!used) return 0;
  float best = 0, second = 0;
  int by = 0, bn = 0, bp = 0;
  for (int y = 0; y < 4; y++)
    for (int n1 = 0; n1 < 168; n1++)
      for (int p = 0; p < 2; p++) {
        float v = tot[y][n1][p];
        if (v > best) { second = best; best = v; by = y; bn = n1; bp = p; }
        else if (v > second) second = v;
      }
  if (best <= 0) return 0;
  double ss = 0;
  for (int y = 0; y < 4; y++)
    for (int n1 = 0; n1 < 168; n1++)
      for (int p = 0; p < 2; p++) ss += (double)tot[y][n1][p] * tot[y][n1][p];
  float rms = (float)sqrt(ss / (4 * 168 * 2));
  (void)second;
  int cnt = 0;
  for (int n1 = 0; n1 < 168 && cnt < max; n1++) {
    float v = tot[by][n1][bp];
    if (n1 != bn && (v < 0.8f * best || cnt >= 2)) continue;
    if (rms <= 0 || v / rms < MIN_SSS_METRIC) continue;
    lte_search_cand *c = &out[cnt++];
    c->nid2 = u;
    c->pci = 3 * n1 + u;
    c->tdd = hyps[by][0];
    c->cp_extended = hyps[by][1];
    c->pss_pos = pss_pos;
    c->frame_start = pss_pos + LTE_HALF_FRAME * bp - lte_pss_offset(c->tdd, c->cp_extended);
    c->cfo_hz = cfo_hz;
    c->pss_metric = par;
    c->sss_metric = rms > 0 ? v / rms : 0;
  }
  return cnt;
}

/* Peaks of the folded correlation: up to MAX_PEAKS_PER_ROOT per root past the strongest (+-16
 * samples suppressed), peak-to-mean at least 4. Returns how many; *top gets the highest ratio. */
static int pick(lte_search q, peak *pk, float *top) {
  int np = 0;
  *top = 0;
  for (int u = 0; u < 3; u++) {
    /* hypothesis by hypothesis, each a contiguous row: the first hypothesis reaching a lag's
     * maximum wins, as in a per-lag scan */
    double mean = 0;
    memset(q->best, 0, sizeof q->best);
    for (int si = q->si0; si < q->si1; si++) {
      const float *row = q->acc + ((size_t)u * q->nshift + si) * LTE_HALF_FRAME;
      const v4si siv = {si, si, si, si};
      v4sf sum = {0};
      for (int t = 0; t < LTE_HALF_FRAME; t += 4) { /* LTE_HALF_FRAME is a multiple of 4 */
        v4sf v = load4(row + t), b = load4(q->best + t);
        v4si k, higher = v > b;
        memcpy(&k, q->bsi + t, sizeof k);
        sum += v;
        store4(q->best + t, (v4sf)(((v4si)v & higher) | ((v4si)b & ~higher)));
        k = (siv & higher) | (k & ~higher);
        memcpy(q->bsi + t, &k, sizeof k);
      }
      mean += (double)sum[0] + sum[1] + sum[2] + sum[3];
    }
    mean /= (double)LTE_HALF_FRAME * (q->si1 - q->si0);
    if (mean <= 0) continue;
    for (int j = 0; j < MAX_PEAKS_PER_ROOT; j++) {
      int bt = -1;
      float bv = 0;
      for (int t = 0; t < LTE_HALF_FRAME; t++)
        if (q->best[t] > bv) { bv = q->best[t]; bt = t; }
      if (bt < 0) break;
      float par = (float)(bv / mean);
      if (par < 4.0f) break;
      if (par > *top) *top = par;
      pk[np++] = (peak){u, bt, q->bsi[bt], par};
      for (int d = -16; d <= 16; d++) q->best[(bt + d + LTE_HALF_FRAME) % LTE_HALF_FRAME] = 0;
    }
  }
  return np;
}

int lte_search_execute(lte_search q, const float complex *x, size_t n, lte_search_cand *out,
                       int max) {
  return lte_search_execute_range(q, x, n, -1e12, 1e12, out, max);
}

int lte_search_execute_range(lte_search q, const float complex *x, size_t n, double f_lo,
                             double f_hi, lte_search_cand *out, int max) {
  {
    const int S0 = q->nshift / 2;
    double step = STEP_BINS * BIN_HZ;
    q->si0 = (int)floor(f_lo / step) + S0;
    q->si1 = (int)ceil(f_hi / step) + S0 + 1;
    if (q->si0 < 0) q->si0 = 0;
    if (q->si1 > q->nshift) q->si1 = q->nshift;
    if (q->si0 >= q->si1) return 0;
  }
  size_t use = n;
  if (use > (size_t)LTE_SEARCH_SPAN) use = (size_t)LTE_SEARCH_SPAN;
  if (use < NP + LTE_HALF_FRAME / 2) return 0;
  /* fold 4 half-frames; a clear peak is enough, otherwise fold 4 more */
  const size_t split = (size_t)((MAX_HALF / 2) * LTE_HALF_FRAME + HOP - 1) / HOP * HOP;
  fold(q, x, use, 0, split);
  const int S = q->nshift / 2;
  peak pk[3 * MAX_PEAKS_PER_ROOT];
  float top = 0;
  int np = pick(q, pk, &top);
  if (top < CLEAR_PAR && use > split) {
    fold(q, x, use, split, use);
    np = pick(q, pk, &top);
  }
  qsort(pk, (size_t)np, sizeof *pk, cmp_peak);
  int cnt = 0;
  for (int i = 0; i < np && cnt < max; i++) {
    int u = pk[i].u;
    double f = (pk[i].si - S) * STEP_BINS * BIN_HZ;
    /* fine frequency from the phase between the PSS halves, summed over the half-frames */
    float complex acc = 0;
    for (size_t t = (size_t)pk[i].t; t + NP <= use; t += LTE_HALF_FRAME) {
      float complex c1, c2;
      pss_corr(q, x, u, t, f / LTE_FS_SEARCH, &c1, &c2);
      acc += conjf(c1) * c2;
    }
    f += cargf(acc) * LTE_FS_SEARCH / (2.0 * M_PI * (NP / 2));
    /* fractional timing: parabola through the summed correlation power at t-1, t, t+1 */
    float e[3] = {0};
    for (int d = -1; d <= 1; d++)
      for (size_t t = (size_t)pk[i].t + LTE_HALF_FRAME; t + NP + 1 <= use; t += LTE_HALF_FRAME) {
        float complex c = pss_corr(q, x, u, t + d, f / LTE_FS_SEARCH, NULL, NULL);
        e[d + 1] += crealf(c * conjf(c));
      }
    double frac = 0;
    double den = e[0] - 2 * e[1] + e[2];
    if (den < 0) frac = 0.5 * (e[0] - e[2]) / den;
    if (frac > 0.5 || frac < -0.5) frac = 0;
    cnt += detect_sss(q, x, use, u, pk[i].t + frac, f, pk[i].par, out + cnt, max - cnt);
  }
  return cnt;
}
