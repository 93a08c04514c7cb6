/* gsm_ddc.c: channel down-converter (see gsm_ddc.h). One polyphase filter computes each output
 * sample straight from the full-rate input: output m sits at input time t = m fs / GSM_FS, split
 * into n0 = floor(t) and one of NPH sub-sample phases; the taps of phase p are the prototype
 * low-pass h at p/NPH + k, rotated by e^{jw k} (w: the channel offset in rad/sample), and the
 * output is rotated back by e^{-jw n0}. That is mixing, anti-alias filtering and resampling to
 * any rate in one dot product per output. */
#include "gsm_ddc.h"

#include <liquid/liquid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gsm_const.h"

#define NPH 32        /* sub-sample phases: timing quantised to 1/64 input sample */
#define PASS_HZ 145e3 /* GMSK main lobe of a carrier up to 25 kHz off */
#define MAX_TAPS 1024

typedef float v8sf __attribute__((vector_size(32)));

/* On x86-64, an AVX2+FMA build of the inner loop chosen at load time where the CPU has it. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DDC_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define DDC_CLONES
#endif

struct gsm_ddc_s {
  int ntaps, nf;           /* taps per phase; 2*ntaps rounded up to a multiple of 16 */
  float *a, *b;            /* per phase: re = sum a[j] w[j], im = sum b[j] w[j] over the
                            * interleaved window w = x[n0-T+1..n0] (taps time-reversed) */
  float *buf;              /* interleaved I/Q: ntaps-1 history then the new input (+ slack) */
  size_t max_in;
  double step;             /* input samples per output */
  double t;                /* time of the next output, relative to the current chunk's start */
  double complex rot;      /* e^{-jw n0} of the last output */
  int64_t n0_last;         /* its n0, relative to the current chunk's start */
  double complex *rtab;    /* e^{-jw d}, d = 0..ceil(step)+1 */
  int nrtab;
  unsigned nrot;
  size_t max_out;
  int64_t nout;            /* outputs produced so far */
};

struct gsm_ddc_proto_s {
  double fs, stop;
  int ntaps;
  float *h;                /* ntaps*NPH taps at NPH x fs, unit DC gain per phase */
};

gsm_ddc_proto gsm_ddc_proto_create(double fs) {
  if (!(fs >= 400e3) || !(fs < 1e9)) return NULL;
  struct gsm_ddc_proto_s *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  /* stop band: where the output rate folds images or aliases into the passband */
  p->fs = fs;
  p->stop = fmin(fs, GSM_FS) - PASS_HZ;
  double tw = (p->stop - PASS_HZ) / fs;
  int T = (int)ceil(60.0 / (22.0 * tw));
  if (T < 4) T = 4;
  if (T > MAX_TAPS) T = MAX_TAPS;
  p->ntaps = T;
  p->h = malloc(sizeof(float) * (size_t)T * NPH);
  if (!p->h) { free(p); return NULL; }
  /* h[p + k NPH] is the response at delay k + p/NPH input samples */
  liquid_firdes_kaiser((unsigned)(T * NPH), (float)(0.5 * (PASS_HZ + p->stop) / (fs * NPH)), 60.0f, 0.0f, p->h);
  double g = 0.0;
  for (int i = 0; i < T * NPH; i++) g += p->h[i];
  for (int i = 0; i < T * NPH; i++) p->h[i] = (float)(p->h[i] * NPH / g);
  return p;
}

void gsm_ddc_proto_destroy(gsm_ddc_proto p) {
  if (!p) return;
  free(p->h);
  free(p);
}

double gsm_ddc_proto_rate(const gsm_ddc_proto p) { return p->fs; }

/* Taps for the channel at offset_hz and a fresh state (no input seen). */
static void tune(gsm_ddc q, const gsm_ddc_proto proto, double offset_hz) {
  const double fs = proto->fs;
  const int T = proto->ntaps;
  double w = 2.0 * M_PI * offset_hz / fs;
  for (int p = 0; p < NPH; p++)
    for (int k = 0; k < T; k++) {
      double c = proto->h[p + k * NPH];
      float hr = (float)(c * cos(w * k)), hi = (float)(c * sin(w * k));
      float *a = q->a + (size_t)p * q->nf, *b = q->b + (size_t)p * q->nf;
      int j = 2 * (T - 1 - k); /* window position of x[n0-k] */
      a[j] = hr;     /* re += hr xr - hi xi */
      a[j + 1] = -hi;
      b[j] = hi;     /* im += hi xr + hr xi */
      b[j + 1] = hr;
    }
  for (int d = 0; d < q->nrtab; d++) q->rtab[d] = cexp(-I * w * d);
  memset(q->buf, 0, sizeof(float) * (2 * ((size_t)T - 1 + q->max_in) + 16));
  q->rot = 1.0;
  q->t = T - 1; /* the first output needs a full window */
  q->n0_last = T - 1;
  q->nrot = 0;
  q->nout = 0;
}

gsm_ddc gsm_ddc_create(const gsm_ddc_proto proto, double offset_hz, size_t max_in) {
  if (!proto || max_in == 0) return NULL;
  struct gsm_ddc_s *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  const double fs = proto->fs;
  const int T = proto->ntaps;
  q->ntaps = T;
  q->nf = (2 * T + 15) / 16 * 16;
  q->max_in = max_in;
  q->step = fs / GSM_FS;
  q->max_out = (size_t)ceil(max_in / q->step) + 4;
  q->nrtab = (int)ceil(q->step) + 2;
  q->a = calloc((size_t)q->nf * NPH, sizeof(float));
  q->b = calloc((size_t)q->nf * NPH, sizeof(float));
  q->buf = calloc(2 * ((size_t)T - 1 + max_in) + 16, sizeof(float));
  q->rtab = malloc(sizeof(double complex) * (size_t)q->nrtab);
  if (!q->a || !q->b || !q->buf || !q->rtab) { gsm_ddc_destroy(q); return NULL; }
  tune(q, proto, offset_hz);
  return q;
}

int gsm_ddc_retune(gsm_ddc q, const gsm_ddc_proto proto, double offset_hz) {
  if (!proto || proto->ntaps != q->ntaps || proto->fs / GSM_FS != q->step) return 0;
  tune(q, proto, offset_hz);
  return 1;
}

void gsm_ddc_destroy(gsm_ddc q) {
  if (!q) return;
  free(q->a);
  free(q->b);
  free(q->buf);
  free(q->rtab);
  free(q);
}

size_t gsm_ddc_max_out(const gsm_ddc q) { return q->max_out; }

DDC_CLONES
static void run(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny, int64_t period,
                int64_t phase, int64_t width) {
  const int T = q->ntaps;
  float *buf = q->buf;
  /* buffer index j holds input time j - (T-1) of this chunk */
  memcpy(buf + 2 * (T - 1), x, sizeof(float) * 2 * n);
  size_t m = 0;
  for (;;) {
    double tt = q->t + (T - 1); /* in buffer coordinates */
    int64_t n0 = (int64_t)floor(tt);
    int p = (int)((tt - (double)n0) * NPH + 0.5);
    if (p == NPH) { p = 0; n0++; }
    if (n0 > (int64_t)(n + T - 2)) break; /* window end beyond this chunk */
    int64_t d = n0 - q->n0_last;
    q->rot *= d < q->nrtab ? q->rtab[d] : cexp(-I * carg(q->rtab[1]) * (double)d);
    q->n0_last = n0;
    int64_t k = q->nout++;
    if (period > 0 && ((k - phase) % period + period) % period >= width) {
      y[m++] = 0.0f;
      q->t += q->step;
      continue;
    }
    const float *s = buf + 2 * (n0 - (T - 1));
    const float *a = q->a + (size_t)p * q->nf, *b = q->b + (size_t)p * q->nf;
    v8sf ar = {0}, ai = {0}, ar2 = {0}, ai2 = {0};
    for (int j = 0; j < q->nf; j += 16) {
      v8sf w0, w1, a0, a1, b0, b1;
      memcpy(&w0, s + j, sizeof w0);
      memcpy(&w1, s + j + 8, sizeof w1);
      memcpy(&a0, a + j, sizeof a0);
      memcpy(&a1, a + j + 8, sizeof a1);
      memcpy(&b0, b + j, sizeof b0);
      memcpy(&b1, b + j + 8, sizeof b1);
      ar += a0 * w0;
      ai += b0 * w0;
      ar2 += a1 * w1;
      ai2 += b1 * w1;
    }
    ar += ar2;
    ai += ai2;
    float complex v = ((ar[0] + ar[4]) + (ar[1] + ar[5]) + (ar[2] + ar[6]) + (ar[3] + ar[7])) +
                      I * ((ai[0] + ai[4]) + (ai[1] + ai[5]) + (ai[2] + ai[6]) + (ai[3] + ai[7]));
    y[m++] = v * (float complex)q->rot;
    if (++q->nrot == 1024) { q->nrot = 0; q->rot /= cabs(q->rot); }
    q->t += q->step;
  }
  /* next chunk: times shift by n */
  q->t -= (double)n;
  q->n0_last -= (int64_t)n;
  memmove(buf, buf + 2 * n, sizeof(float) * 2 * (T - 1));
  *ny = m;
}

void gsm_ddc_execute(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny) {
  run(q, x, n, y, ny, 0, 0, 0);
}

void gsm_ddc_execute_gated(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny,
                           int64_t period, int64_t phase, int64_t width) {
  run(q, x, n, y, ny, period, phase, width);
}
