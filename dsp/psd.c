/* psd.c: Welch PSD (see psd.h). */
#include "psd.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* float sums of at most this many segments stay within about 1e-5 of the exact sum; they are then
 * added into double accumulators */
#define FLUSH_EVERY 64

struct psd_s {
  unsigned nfft, hop;
  float *window2;       /* the window, each value twice: multiplies interleaved I/Q directly */
  fftwf_complex *buf;   /* the windowed segment */
  fftwf_complex *out;   /* its transform (out of place: FFTW's in-place plans of 4096 points and
                         * more allocate a scratch buffer on every execute) */
  fftwf_plan plan;
  float *facc;          /* re^2, im^2 (interleaved) summed over up to FLUSH_EVERY segments */
  unsigned fcount;
  double *acc;          /* accumulated |X|^2 per bin (natural order) */
  unsigned count;       /* segments accumulated */
  float complex *hold;  /* samples waiting for a full segment */
  unsigned held;
  double norm;          /* 1 / (nfft * sum w^2) */
};

psd psd_create(unsigned nfft) {
  if (nfft < 64 || nfft > 65536 || (nfft & (nfft - 1))) return NULL;
  psd q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->nfft = nfft;
  q->hop = nfft / 2;
  q->window2 = fftwf_malloc(sizeof(float) * 2 * nfft);
  q->buf = fftwf_malloc(sizeof(fftwf_complex) * nfft);
  q->out = fftwf_malloc(sizeof(fftwf_complex) * nfft);
  q->facc = fftwf_malloc(sizeof(float) * 2 * nfft);
  q->acc = calloc(nfft, sizeof(double));
  q->hold = malloc(sizeof(float complex) * nfft);
  if (!q->window2 || !q->buf || !q->out || !q->facc || !q->acc || !q->hold) { psd_destroy(q); return NULL; }
  /* FFTW_ESTIMATE: FFTW_MEASURE plans run about 7 % faster at 1024 points but cost 0.1-1.3 s of
   * planning in every process, more than a short replay takes (docs/performance.md) */
  q->plan = fftwf_plan_dft_1d((int)nfft, q->buf, q->out, FFTW_FORWARD, FFTW_ESTIMATE);
  if (!q->plan) { psd_destroy(q); return NULL; }
  memset(q->facc, 0, sizeof(float) * 2 * nfft);
  /* 4-term Blackman-Harris, periodic form */
  const double a0 = 0.35875, a1 = 0.48829, a2 = 0.14128, a3 = 0.01168;
  double sumsq = 0.0;
  for (unsigned i = 0; i < nfft; i++) {
    double t = 2.0 * M_PI * i / nfft;
    double w = a0 - a1 * cos(t) + a2 * cos(2 * t) - a3 * cos(3 * t);
    q->window2[2 * i] = q->window2[2 * i + 1] = (float)w;
    sumsq += w * w;
  }
  q->norm = 1.0 / (nfft * sumsq);
  return q;
}

void psd_destroy(psd q) {
  if (!q) return;
  if (q->plan) fftwf_destroy_plan(q->plan);
  fftwf_free(q->window2);
  fftwf_free(q->buf);
  fftwf_free(q->out);
  fftwf_free(q->facc);
  free(q->acc);
  free(q->hold);
  free(q);
}

void psd_reset(psd q) {
  memset(q->acc, 0, sizeof(double) * q->nfft);
  memset(q->facc, 0, sizeof(float) * 2 * q->nfft);
  q->fcount = 0;
  q->count = 0;
  q->held = 0;
}

static void flush(psd q) {
  for (unsigned i = 0; i < q->nfft; i++) q->acc[i] += (double)q->facc[2 * i] + q->facc[2 * i + 1];
  memset(q->facc, 0, sizeof(float) * 2 * q->nfft);
  q->fcount = 0;
}

/* Four floats as one SIMD register (GCC/Clang vector extension): the build targets the baseline
 * ISA at -O2, where the auto-vectoriser leaves these loops scalar. Loads and stores go through
 * memcpy, so input blocks need no particular alignment. */
typedef float v4sf __attribute__((vector_size(16)));
static inline v4sf load4(const float *p) { v4sf v; memcpy(&v, p, sizeof v); return v; }
static inline void store4(float *p, v4sf v) { memcpy(p, &v, sizeof v); }

/* One Welch segment: window, FFT, add re^2 and im^2 (kept interleaved; summed per bin
 * at the flush). */
static void segment(psd q, const float complex *x) {
  const unsigned n2 = 2 * q->nfft;
  float *in = (float *)q->buf, *out = (float *)q->out, *acc = q->facc;
  const float *xs = (const float *)x, *w = q->window2;
  for (unsigned i = 0; i < n2; i += 4) store4(in + i, load4(xs + i) * load4(w + i));
  fftwf_execute(q->plan);
  for (unsigned i = 0; i < n2; i += 4) {
    v4sf o = load4(out + i);
    store4(acc + i, load4(acc + i) + o * o);
  }
  q->count++;
  if (++q->fcount == FLUSH_EVERY) flush(q);
}

void psd_execute(psd q, const float complex *x, size_t n) {
  size_t i = 0; /* next segment start in x */
  while (q->held > 0) {
    size_t take = q->nfft - q->held;
    if (take > n) take = n;
    memcpy(q->hold + q->held, x, take * sizeof *x);
    q->held += (unsigned)take;
    if (q->held < q->nfft) return;
    segment(q, q->hold);
    /* the next segment starts at hold[hop], which is x[hop - (nfft - take)] */
    if (q->hop + take >= q->nfft) {
      i = q->hop + take - q->nfft;
      q->held = 0;
      break;
    }
    memmove(q->hold, q->hold + q->hop, (q->nfft - q->hop) * sizeof *x);
    q->held = q->nfft - q->hop;
    x += take;
    n -= take;
  }
  for (; i + q->nfft <= n; i += q->hop) segment(q, x + i);
  if (i < n) {
    q->held = (unsigned)(n - i);
    memcpy(q->hold, x + i, q->held * sizeof *x);
  }
}

unsigned psd_num_averages(const psd q) { return q->count; }
unsigned psd_nfft(const psd q) { return q->nfft; }

void psd_get(const psd q, float *out) {
  if (q->fcount) flush(q);
  unsigned half = q->nfft / 2;
  double scale = q->count ? q->norm / q->count : 0.0;
  for (unsigned i = 0; i < q->nfft; i++) out[i] = (float)(q->acc[(i + half) % q->nfft] * scale);
}

double psd_band_power(const float *bins, unsigned nfft, double fs, double f_lo, double f_hi) {
  double df = fs / nfft;
  double sum = 0.0;
  for (unsigned i = 0; i < nfft; i++) {
    double b_lo = (i - nfft / 2.0 - 0.5) * df, b_hi = b_lo + df;
    double lo = b_lo > f_lo ? b_lo : f_lo, hi = b_hi < f_hi ? b_hi : f_hi;
    if (hi > lo) sum += bins[i] * (hi - lo) / df;
  }
  return sum;
}

/* The value at index k of x[0..n) sorted ascending: a max-heap of the k + 1 smallest values in
 * heap[0..k]. O(n log k) at worst, whatever the spectrum; no allocation. */
static float kth_smallest(const float *x, unsigned n, unsigned k, float *heap) {
  const unsigned m = k + 1;
  unsigned size = 0;
  for (unsigned i = 0; i < n; i++) {
    float v = x[i];
    unsigned c;
    if (size < m) { /* filling: sift up */
      for (c = size++; c > 0 && heap[(c - 1) / 2] < v; c = (c - 1) / 2) heap[c] = heap[(c - 1) / 2];
    } else if (v < heap[0]) { /* smaller than the largest kept: it goes, sift down */
      for (c = 0;;) {
        unsigned l = 2 * c + 1, r = l + 1, b = c;
        float bv = v;
        if (l < m && heap[l] > bv) { b = l; bv = heap[l]; }
        if (r < m && heap[r] > bv) b = r;
        if (b == c) break;
        heap[c] = heap[b];
        c = b;
      }
    } else {
      continue;
    }
    heap[c] = v;
  }
  return heap[0];
}

double psd_noise_floor(const float *bins, unsigned nfft, unsigned num_averages, float *scratch) {
  double p2 = kth_smallest(bins, nfft, nfft / 50, scratch);
  /* The average of K periodogram bins of noise is Gamma(K, mean/K); its 2nd percentile sits at
   * (1 - 1/(9K) + z/(3 sqrt K))^3 of the mean (Wilson-Hilferty, z = -2.054). With 50 % overlap and
   * this window the segments are nearly independent, so K is the segment count. The 2nd rather
   * than the 10th percentile: a busy band (carriers and their skirts over 90 % of the bins, as in
   * a wideband GSM capture) still has 2 % of clean noise, and with hundreds of averages the low
   * percentile is as steady as the 10th. */
  double k = num_averages > 1 ? num_averages : 1;
  double c = 1.0 - 1.0 / (9.0 * k) - 2.0537 / (3.0 * sqrt(k));
  double ratio = c > 0.3 ? c * c * c : 0.027;
  return p2 / ratio;
}
