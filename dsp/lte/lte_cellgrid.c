/* lte_cellgrid.c: full-bandwidth subframe grids and measurements (see lte_cellgrid.h). */
#include "lte/lte_cellgrid.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lte/lte_ofdm.h"
#include "lte/lte_seq.h"

struct lte_cellgrid_s {
  lte_cell cell;
  unsigned n;
  lte_ofdm ofdm;
  lte_chest chest;
  float complex *re, *h[LTE_MAX_PORTS];
  float complex *rec;  /* regenerated REs for cancellation */
  float complex *pss;  /* PSS time template at this rate, unit energy */
};

lte_cellgrid lte_cellgrid_create(unsigned nfft, const lte_cell *cell) {
  if (nfft < (unsigned)(12 * cell->n_prb + 1)) return NULL;
  lte_cellgrid q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->cell = *cell;
  q->n = nfft;
  q->ofdm = lte_ofdm_create(nfft, cell->n_prb, cell->cp_extended);
  q->chest = lte_chest_create(cell->n_prb, cell->cp_extended);
  size_t sz = sizeof(float complex) * 14 * 12 * (size_t)cell->n_prb;
  q->re = malloc(sz);
  q->rec = malloc(sz);
  q->pss = fftwf_alloc_complex(nfft);
  int ok = q->ofdm && q->chest && q->re && q->rec && q->pss;
  for (int p = 0; p < cell->ports && ok; p++) ok = (q->h[p] = malloc(sz)) != NULL;
  if (!ok) { lte_cellgrid_destroy(q); return NULL; }
  lte_chest_set_cell(q->chest, cell->pci, cell->ports);
  float complex d[62];
  lte_pss(cell->pci % 3, d);
  memset(q->pss, 0, sizeof(float complex) * nfft);
  for (int i = 0; i < 62; i++) q->pss[lte_bin(i - 31, nfft)] = d[i];
  fftwf_plan p = fftwf_plan_dft_1d((int)nfft, (fftwf_complex *)q->pss, (fftwf_complex *)q->pss,
                                   FFTW_BACKWARD, FFTW_ESTIMATE);
  fftwf_execute(p);
  fftwf_destroy_plan(p);
  double e = 0;
  for (unsigned i = 0; i < nfft; i++) e += crealf(q->pss[i] * conjf(q->pss[i]));
  for (unsigned i = 0; i < nfft; i++) q->pss[i] /= (float)sqrt(e);
  return q;
}

void lte_cellgrid_destroy(lte_cellgrid q) {
  if (!q) return;
  lte_ofdm_destroy(q->ofdm);
  lte_chest_destroy(q->chest);
  free(q->re);
  free(q->rec);
  for (int p = 0; p < LTE_MAX_PORTS; p++) free(q->h[p]);
  fftwf_free(q->pss);
  free(q);
}

double lte_cellgrid_pss_refine(lte_cellgrid q, const float complex *x, size_t n, double guess,
                               double cfo, int radius, float *quality) {
  long c0 = lround(guess);
  float best = -1, e[3] = {0};
  long bt = -1;
  float pbest = 0;
  float *pw = malloc(sizeof(float) * (2 * (size_t)radius + 1));
  if (!pw) return NAN;
  for (long t = c0 - radius; t <= c0 + radius; t++) {
    pw[t - c0 + radius] = -1;
    if (t < 0 || (size_t)t + q->n > n) continue;
    float complex a = 0;
    float p = 0;
    float complex rot = (float complex)cexp(-I * 2.0 * M_PI * cfo * (double)t);
    float complex st = (float complex)cexp(-I * 2.0 * M_PI * cfo);
    for (unsigned i = 0; i < q->n; i++) {
      float complex v = x[t + i] * rot;
      a += v * conjf(q->pss[i]);
      p += crealf(v * conjf(v));
      rot *= st;
    }
    float m = crealf(a * conjf(a));
    pw[t - c0 + radius] = m;
    if (m > best) { best = m; bt = t; pbest = p; }
  }
  double pos = NAN;
  if (bt >= 0) {
    long i = bt - c0 + radius;
    e[1] = pw[i];
    e[0] = i > 0 ? pw[i - 1] : -1;
    e[2] = i < 2 * radius ? pw[i + 1] : -1;
    double frac = 0;
    if (e[0] >= 0 && e[2] >= 0) {
      double den = e[0] - 2 * e[1] + e[2];
      if (den < 0) frac = 0.5 * (e[0] - e[2]) / den;
    }
    pos = (double)bt + frac;
    if (quality) *quality = pbest > 0 ? best / pbest : 0;
  }
  free(pw);
  return pos;
}

/* TS 36.214 5.1.3 RSSI of the demodulated rows: mean total power over the 12*n_prb subcarriers
 * of the OFDM symbols that carry port-0 CRS. */
static float rssi_rs_symbols(const lte_cellgrid q) {
  const int K = 12 * q->cell.n_prb, ns = lte_ofdm_n_symb(q->ofdm), nsl = ns / 2;
  const int rs_l[4] = {0, nsl - 3, nsl, ns - 3};
  double s = 0;
  for (int i = 0; i < 4; i++) {
    const float complex *row = q->re + (size_t)rs_l[i] * K;
    for (int k = 0; k < K; k++) s += crealf(row[k] * conjf(row[k]));
  }
  return (float)(s / 4.0);
}

int lte_cellgrid_subframe(lte_cellgrid q, const float complex *x, size_t n, double t0, double cfo,
                          int sf, int sfn, lte_subframe_grid *g, lte_cellgrid_meas *m) {
  int ns = lte_ofdm_n_symb(q->ofdm);
  if (!lte_ofdm_demod(q->ofdm, x, n, t0, cfo, LTE_OFDM_ALL_ROWS, q->re)) return 0;
  lte_chest_execute(q->chest, q->re, sf, q->h, &m->crs);
  m->rssi = rssi_rs_symbols(q);
  g->n_prb = q->cell.n_prb;
  g->n_symb = ns;
  g->subframe = sf;
  g->sfn = sfn;
  g->re = q->re;
  for (int p = 0; p < LTE_MAX_PORTS; p++) g->h[p] = p < q->cell.ports ? q->h[p] : NULL;
  g->noise_var = m->crs.noise_var;
  return 1;
}

int lte_cellgrid_measure(lte_cellgrid q, const float complex *x, size_t n, double t0, double cfo,
                         int sf, lte_cellgrid_meas *m) {
  if (!lte_ofdm_demod(q->ofdm, x, n, t0, cfo, lte_crs_rows(lte_ofdm_n_symb(q->ofdm), 1), q->re))
    return 0;
  lte_chest_measure(q->chest, q->re, sf, &m->crs);
  m->rssi = rssi_rs_symbols(q);
  return 1;
}

void lte_cellgrid_cancel(lte_cellgrid q, float complex *x, size_t n, double t0, double cfo,
                         float min_power) {
  const size_t nre = (size_t)lte_ofdm_n_symb(q->ofdm) * 12 * q->cell.n_prb;
  for (size_t i = 0; i < nre; i++) {
    float complex y = q->re[i];
    float p = crealf(y) * crealf(y) + cimagf(y) * cimagf(y);
    q->rec[i] = 0;
    if (p < min_power) continue;
    float complex h = q->h[0][i];
    float hp = crealf(h) * crealf(h) + cimagf(h) * cimagf(h);
    if (q->cell.ports > 1 || hp <= 0) { q->rec[i] = y; continue; }
    /* one port: the nearest QPSK point at the received amplitude, so what a weaker cell adds
     * across the decision is left in place: the quadrant of y h* (the equalised y / h), the
     * amplitude |y / h| = sqrt(p / hp) */
    float complex yh = y * conjf(h);
    float a = sqrtf(p / hp) * (float)M_SQRT1_2;
    q->rec[i] = h * ((crealf(yh) >= 0 ? a : -a) + I * (cimagf(yh) >= 0 ? a : -a));
  }
  lte_ofdm_subtract(q->ofdm, x, n, t0, cfo, q->rec, 1e-30f);
}
