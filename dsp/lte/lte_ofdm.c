/* lte_ofdm.c: one-subframe OFDM demodulator (see lte_ofdm.h). */
#include "lte/lte_ofdm.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "lte/lte_seq.h"

struct lte_ofdm_s {
  unsigned n;
  int n_prb, n_symb;
  double off[14];           /* useful-part start of each symbol from the subframe start */
  double backoff;           /* samples the window starts before the useful part */
  double cp[14];            /* cyclic prefix length of each symbol */
  fftwf_complex *buf;
  fftwf_plan plan, iplan;
  float complex *ramp;      /* exp(-j 2 pi cfo i), i < n: the frequency correction of a window */
  double ramp_cfo;          /* the cfo ramp was made for (NAN: not yet) */
};

lte_ofdm lte_ofdm_create(unsigned nfft, int n_prb, int cp_extended) {
  if (n_prb < 6 || n_prb > 110 || nfft < (unsigned)(12 * n_prb + 1)) return NULL;
  lte_ofdm q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->n = nfft;
  q->n_prb = n_prb;
  q->n_symb = cp_extended ? 12 : 14;
  double s = nfft / 2048.0, t = 0.0; /* TS 36.211 Table 6.12-1 in units of Ts = 1/30.72 MHz */
  int per_slot = q->n_symb / 2;
  for (int l = 0; l < q->n_symb; l++) {
    double cp = cp_extended ? 512 * s : ((l % per_slot) == 0 ? 160 * s : 144 * s);
    t += cp;
    q->off[l] = t;
    q->cp[l] = cp;
    t += nfft;
  }
  q->backoff = (cp_extended ? 512 : 144) * s / 4.0;
  q->buf = fftwf_alloc_complex(nfft);
  q->ramp = malloc(sizeof(float complex) * nfft);
  q->ramp_cfo = NAN;
  if (!q->buf || !q->ramp) { lte_ofdm_destroy(q); return NULL; }
  q->plan = fftwf_plan_dft_1d((int)nfft, q->buf, q->buf, FFTW_FORWARD, FFTW_ESTIMATE);
  q->iplan = fftwf_plan_dft_1d((int)nfft, q->buf, q->buf, FFTW_BACKWARD, FFTW_ESTIMATE);
  if (!q->plan || !q->iplan) { lte_ofdm_destroy(q); return NULL; }
  return q;
}

void lte_ofdm_destroy(lte_ofdm q) {
  if (!q) return;
  if (q->plan) fftwf_destroy_plan(q->plan);
  if (q->iplan) fftwf_destroy_plan(q->iplan);
  fftwf_free(q->buf);
  free(q->ramp);
  free(q);
}

int lte_ofdm_n_symb(const lte_ofdm q) { return q->n_symb; }

/* out[j] = in[j] r st^j, j < m: four interleaved recurrences (step st^4), not one serial chain */
static void phase_ramp(float complex *out, const float complex *in, int m, float complex r,
                       float complex st) {
  float complex r4[4] = {r, r * st, r * st * st, r * st * st * st};
  float complex st4 = st * st * st * st;
  int j = 0;
  for (; j + 4 <= m; j += 4)
    for (int c = 0; c < 4; c++) {
      out[j + c] = in[j + c] * r4[c];
      r4[c] *= st4;
    }
  for (int c = 0; j < m; j++, c++) out[j] = in[j] * r4[c];
}

int lte_ofdm_demod(lte_ofdm q, const float complex *x, size_t len, double t0, double cfo,
                   unsigned rows, float complex *re) {
  const int K = 12 * q->n_prb;
  const unsigned n = q->n;
  /* the whole subframe must lie in x, whichever rows are wanted (window starts rise with l) */
  if (floor(t0 + q->off[0] - q->backoff) < 0 ||
      floor(t0 + q->off[q->n_symb - 1] - q->backoff) + n > (double)len)
    return 0;
  if (cfo != q->ramp_cfo) { /* one cell at a time: made once per cell */
    for (unsigned i = 0; i < n; i++) q->ramp[i] = (float complex)cexp(-I * 2.0 * M_PI * cfo * (double)i);
    q->ramp_cfo = cfo;
  }
  float complex *b = (float complex *)q->buf;
  for (int l = 0; l < q->n_symb; l++) {
    if (!(rows >> l & 1)) continue;
    double u = t0 + q->off[l];
    double ws = floor(u - q->backoff);
    size_t w = (size_t)ws;
    double delta = u - ws;
    /* remove the frequency offset, phase referenced to x[0]: the window's ramp here, its
     * starting phase exp(-j 2 pi cfo w) with the scaling below (the FFT is linear) */
    for (unsigned i = 0; i < n; i++) b[i] = x[w + i] * q->ramp[i];
    fftwf_execute(q->plan);
    /* undo the early window: the bin of signed frequency f (DC skipped: subcarrier d < 0 is
     * f = d, d >= 0 is f = d + 1) gets exp(+j 2 pi f delta / n) */
    float complex *row = re + (size_t)l * K;
    double a = 2.0 * M_PI * delta / n;
    float complex start = (float complex)cexp(-I * 2.0 * M_PI * cfo * (double)w) / (float)n;
    float complex st = (float complex)cexp(I * a);
    phase_ramp(row, b + n - K / 2, K / 2, start * (float complex)cexp(I * a * (-K / 2)), st);
    phase_ramp(row + K / 2, b + 1, K / 2, start * st, st);
  }
  return 1;
}

void lte_ofdm_subtract(lte_ofdm q, float complex *x, size_t len, double t0, double cfo,
                       const float complex *re, float min_power) {
  const int K = 12 * q->n_prb;
  const unsigned n = q->n;
  float complex *b = (float complex *)q->buf;
  for (int l = 0; l < q->n_symb; l++) {
    double u = t0 + q->off[l];
    double ws = floor(u - q->backoff);
    long first = (long)ceil(u - q->cp[l]), last = (long)ceil(u + n) - 1;
    if (first < 0 || last >= (long)len) continue;
    const float complex *row = re + (size_t)l * K;
    int any = 0;
    for (int k = 0; k < K && !any; k++)
      any = crealf(row[k]) * crealf(row[k]) + cimagf(row[k]) * cimagf(row[k]) >= min_power;
    if (!any) continue; /* nothing of the cell in this symbol */
    /* the demodulator's bins: row[k] = b[bin] / n * exp(+j 2 pi f delta / n) */
    for (unsigned i = 0; i < n; i++) b[i] = 0;
    double delta = u - ws;
    /* exp(-j 2 pi f delta / n) for f = -K/2 .. K/2 without 0, as a double-precision recurrence */
    const double complex w = cexp(-I * 2.0 * M_PI * delta / n);
    double complex r = cexp(-I * 2.0 * M_PI * (double)(-K / 2) * delta / n);
    for (int k = 0; k < K; k++, r *= w) {
      if (k == K / 2) r *= w; /* DC skipped: f = d + 1 from here */
      float p = crealf(row[k]) * crealf(row[k]) + cimagf(row[k]) * cimagf(row[k]);
      if (p < min_power) continue;
      b[lte_bin(k - K / 2, n)] = row[k] * (float complex)r;
    }
    fftwf_execute(q->iplan); /* unnormalised: exactly the window samples */
    /* the symbol is n-periodic over its CP and useful part: sample p is window sample p - ws */
    float complex rot = (float complex)cexp(I * 2.0 * M_PI * cfo * (double)first);
    float complex st = (float complex)cexp(I * 2.0 * M_PI * cfo);
    long i = ((first - (long)ws) % (long)n + (long)n) % (long)n;
    for (long p = first; p <= last; p++) {
      x[p] -= b[i] * rot;
      rot *= st;
      if (++i == (long)n) i = 0;
    }
  }
}
