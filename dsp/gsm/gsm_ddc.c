/* gsm_ddc.c: channel down-converter (see gsm_ddc.h). */
#include "gsm_ddc.h"

#include <liquid/liquid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gsm_const.h"

typedef float v4sf __attribute__((vector_size(16)));

#define PASS_HZ 145e3 /* GMSK main lobe of a carrier up to 25 kHz off */

struct gsm_ddc_s {
  int D, ntaps, phase;
  int nf;                  /* 2*ntaps rounded up to a multiple of 8 */
  float *a, *b;            /* complex taps (time-reversed) as real dot-product weights on the
                            * interleaved window: re = sum a[j] w[j], im = sum b[j] w[j] */
  float *buf;              /* interleaved I/Q: ntaps-1 history then the new input (+ slack) */
  size_t max_in;
  double w;                /* output rotation per output sample (rad) */
  float complex rot, rstep;
  unsigned nrot;
  float complex *dec;      /* stage-1 output */
  resamp_crcf rs;          /* NULL when fs/D == GSM_FS */
  size_t max_out;
};

gsm_ddc gsm_ddc_create(double fs, double offset_hz, size_t max_in) {
  if (!(fs >= 400e3) || max_in == 0) return NULL;
  struct gsm_ddc_s *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->D = (int)floor(fs / GSM_FS * (1.0 + 1e-9));
  if (q->D < 1) q->D = 1;
  double fd = fs / q->D;
  /* stage 1: pass +-PASS_HZ, stop where fd aliases into the passband */
  double stop = fd - PASS_HZ;
  double tw = (stop - PASS_HZ) / fs;
  int n = q->D == 1 ? 1 : (int)ceil(60.0 / (22.0 * tw)) | 1;
  if (n > 511) n = 511;
  q->ntaps = n;
  q->max_in = max_in;
  q->nf = (2 * n + 7) / 8 * 8;
  q->a = calloc((size_t)q->nf, sizeof(float));
  q->b = calloc((size_t)q->nf, sizeof(float));
  q->buf = calloc(2 * (n - 1 + max_in) + 8, sizeof(float));
  size_t ndec = max_in / q->D + 2;
  q->dec = malloc(sizeof(float complex) * ndec);
  double r = GSM_FS / fd;
  q->max_out = (size_t)ceil(ndec * r) + 16;
  float *h = malloc(sizeof(float) * n);
  if (!q->a || !q->b || !q->buf || !q->dec || !h) { free(h); gsm_ddc_destroy(q); return NULL; }
  if (n == 1) h[0] = 1.0f;
  else liquid_firdes_kaiser((unsigned)n, (float)(0.5 * (PASS_HZ + stop) / fs), 60.0f, 0.0f, h);
  double g = 0.0;
  for (int k = 0; k < n; k++) g += h[k];
  /* bandpass taps h[k] e^{j w0 k} on the unshifted input; tap k multiplies x[n-k] */
  double w0 = 2.0 * M_PI * offset_hz / fs;
  for (int k = 0; k < n; k++) {
    double a = w0 * k;
    float hr = (float)(h[k] / g * cos(a)), hi = (float)(h[k] / g * sin(a));
    int j = 2 * (n - 1 - k);
    q->a[j] = hr;     /* re += hr xr - hi xi */
    q->a[j + 1] = -hi;
    q->b[j] = hi;     /* im += hi xr + hr xi */
    q->b[j + 1] = hr;
  }
  free(h);
  memset(q->buf, 0, sizeof(float) * 2 * (n - 1));
  q->w = -w0 * q->D;
  q->rot = 1.0f;
  q->rstep = (float complex)cexp(I * q->w);
  if (fabs(r - 1.0) > 1e-9) {
    q->rs = resamp_crcf_create((float)r, 3, 0.45f, 60.0f, 32);
    if (!q->rs) { gsm_ddc_destroy(q); return NULL; }
  }
  return q;
}

void gsm_ddc_destroy(gsm_ddc q) {
  if (!q) return;
  if (q->rs) resamp_crcf_destroy(q->rs);
  free(q->a);
  free(q->b);
  free(q->buf);
  free(q->dec);
  free(q);
}

size_t gsm_ddc_max_out(const gsm_ddc q) { return q->max_out; }

void gsm_ddc_execute(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny) {
  const int T = q->ntaps, D = q->D;
  float *b = q->buf;
  memcpy(b + 2 * (T - 1), x, sizeof(float) * 2 * n);
  size_t nd = 0;
  /* outputs at inputs whose running index is a multiple of D; phase = inputs until the next */
  for (size_t i = (size_t)q->phase; i < n; i += (size_t)D) {
    const float *s = b + 2 * i; /* window x[i-T+1 .. i] */
    /* two real dot products over the interleaved window, four lanes at a time */
    v4sf ar = {0}, ai = {0}, ar2 = {0}, ai2 = {0};
    for (int j = 0; j < q->nf; j += 8) {
      v4sf w0, w1, a0, a1, b0, b1;
      memcpy(&w0, s + j, sizeof w0);
      memcpy(&w1, s + j + 4, sizeof w1);
      memcpy(&a0, q->a + j, sizeof a0);
      memcpy(&a1, q->a + j + 4, sizeof a1);
      memcpy(&b0, q->b + j, sizeof b0);
      memcpy(&b1, q->b + j + 4, sizeof b1);
      ar += a0 * w0;
      ai += b0 * w0;
      ar2 += a1 * w1;
      ai2 += b1 * w1;
    }
    ar += ar2;
    ai += ai2;
    float complex v = (ar[0] + ar[1] + ar[2] + ar[3]) + I * (ai[0] + ai[1] + ai[2] + ai[3]);
    q->dec[nd++] = v * q->rot;
    q->rot *= q->rstep;
    if (++q->nrot == 1024) { q->nrot = 0; q->rot /= cabsf(q->rot); }
    q->phase = (int)(i + (size_t)D - n); /* valid when the loop ends */
  }
  if (nd == 0) q->phase -= (int)n;
  memmove(b, b + 2 * n, sizeof(float) * 2 * (T - 1));
  if (!q->rs) {
    memcpy(y, q->dec, sizeof(float complex) * nd);
    *ny = nd;
    return;
  }
  unsigned nw, total = 0;
  for (size_t i = 0; i < nd; i++) {
    resamp_crcf_execute(q->rs, q->dec[i], y + total, &nw);
    total += nw;
  }
  *ny = total;
}
