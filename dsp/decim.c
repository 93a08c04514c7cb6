/* decim.c: FIR decimator (see decim.h). */
#include "decim.h"

#include <stdlib.h>
#include <string.h>

/* two outputs' dot products over the taps (dot2 below) */
typedef void (*dot2_fn)(const float *, const float complex *, unsigned, unsigned, float complex *);

struct decim_s {
  unsigned D;
  unsigned L;            /* taps rounded up to a multiple of 4 (zero taps at the oldest end) */
  float *h2;             /* taps oldest first, each twice: multiplies interleaved I/Q directly */
  float complex *w;      /* the last L - 1 input samples, then up to L - 1 new ones */
  unsigned skip;         /* input samples to pass before the next output position */
  dot2_fn dot2;          /* dot2 or its AVX2 form, picked for this CPU */
};

typedef float v4sf __attribute__((vector_size(16)));

/* sum_k h[k] w[k] over L (a multiple of 4) taps for two outputs at once, the windows w and w + D
 * (D = 0: one output, twice): two complex samples per vector, two sums per output, each tap
 * vector loaded once for both. */
static void dot2(const float *h2, const float complex *w, unsigned D, unsigned L, float complex *y) {
  v4sf a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0}, b0 = {0, 0, 0, 0}, b1 = {0, 0, 0, 0};
  const float *wf = (const float *)w, *vf = (const float *)(w + D), *end = h2 + 2 * (size_t)L;
  for (; h2 < end; h2 += 8, wf += 8, vf += 8) {
    v4sf x0, x1, z0, z1, t0, t1;
    memcpy(&t0, h2, sizeof t0);
    memcpy(&t1, h2 + 4, sizeof t1);
    memcpy(&x0, wf, sizeof x0);
    memcpy(&x1, wf + 4, sizeof x1);
    memcpy(&z0, vf, sizeof z0);
    memcpy(&z1, vf + 4, sizeof z1);
    a0 += x0 * t0;
    a1 += x1 * t1;
    b0 += z0 * t0;
    b1 += z1 * t1;
  }
  a0 += a1;
  b0 += b1;
  const float ri[4] = {a0[0] + a0[2], a0[1] + a0[3], b0[0] + b0[2], b0[1] + b0[3]};
  memcpy(y, ri, sizeof ri);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
typedef float v8sf __attribute__((vector_size(32)));

/* dot2 with 8-float (AVX) vectors where the CPU has AVX2: lanes 0-3 of each accumulator are the
 * first of dot2's two 4-float sums and lanes 4-7 the second, each added in the same order with
 * separate multiplies and adds (no FMA), so the results are the same bit for bit. */
__attribute__((target("avx2"))) static void dot2_avx2(const float *h2, const float complex *w,
                                                     unsigned D, unsigned L, float complex *y) {
  v8sf a = {0, 0, 0, 0, 0, 0, 0, 0}, b = {0, 0, 0, 0, 0, 0, 0, 0};
  const float *wf = (const float *)w, *vf = (const float *)(w + D), *end = h2 + 2 * (size_t)L;
  for (; h2 < end; h2 += 8, wf += 8, vf += 8) {
    v8sf t, x, z;
    memcpy(&t, h2, sizeof t);
    memcpy(&x, wf, sizeof x);
    memcpy(&z, vf, sizeof z);
    a += x * t;
    b += z * t;
  }
  v4sf a0 = {a[0], a[1], a[2], a[3]}, a1 = {a[4], a[5], a[6], a[7]};
  v4sf b0 = {b[0], b[1], b[2], b[3]}, b1 = {b[4], b[5], b[6], b[7]};
  a0 += a1;
  b0 += b1;
  const float ri[4] = {a0[0] + a0[2], a0[1] + a0[3], b0[0] + b0[2], b0[1] + b0[3]};
  memcpy(y, ri, sizeof ri);
}

static dot2_fn pick_dot2(void) { return __builtin_cpu_supports("avx2") ? dot2_avx2 : dot2; }
#else
static dot2_fn pick_dot2(void) { return dot2; }
#endif

decim decim_create(unsigned D, const float *h, unsigned h_len) {
  if (D < 1 || h_len < 1) return NULL;
  decim q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->D = D;
  q->L = (h_len + 3) & ~3u;
  q->h2 = calloc(2 * (size_t)q->L, sizeof(float));
  q->w = malloc(sizeof(float complex) * 2 * q->L);
  if (!q->h2 || !q->w) { decim_destroy(q); return NULL; }
  /* w[j + k] (or x[j - (L - 1) + k]), k = 0..L-1, for the output at input j: tap h[L - 1 - k] */
  for (unsigned k = 0; k < h_len; k++) q->h2[2 * (q->L - 1 - k)] = q->h2[2 * (q->L - 1 - k) + 1] = h[k];
  q->dot2 = pick_dot2();
  decim_reset(q);
  return q;
}

void decim_destroy(decim q) {
  if (!q) return;
  free(q->h2);
  free(q->w);
  free(q);
}

void decim_reset(decim q) {
  memset(q->w, 0, sizeof(float complex) * (q->L - 1));
  q->skip = 0;
}

/* One output: the window w, through dot2 with D = 0. */
static float complex one(const decim q, const float complex *w) {
  float complex y[2];
  q->dot2(q->h2, w, 0, q->L, y);
  return y[0];
}

size_t decim_execute(decim q, const float complex *x, size_t n, float complex *y) {
  const size_t H = q->L - 1, D = q->D;
  size_t out = 0, j = q->skip; /* input sample j is an output position: window x[j - H .. j] */
  if (j < n && j < H) { /* windows that start in the history: x's first samples after it */
    size_t m = n < H ? n : H;
    memcpy(q->w + H, x, sizeof(float complex) * m);
    for (; j < m; j += D) y[out++] = one(q, q->w + j);
  }
  /* the rest straight from x */
  for (; j + D < n; j += 2 * D, out += 2) q->dot2(q->h2, x + j - H, q->D, q->L, y + out);
  for (; j < n; j += D) y[out++] = one(q, x + j - H);
  q->skip = (unsigned)(j - n);
  /* the history: the last H samples of the stream */
  if (n >= H) {
    memcpy(q->w, x + n - H, sizeof(float complex) * H);
  } else {
    memmove(q->w, q->w + n, sizeof(float complex) * (H - n));
    memcpy(q->w + H - n, x, sizeof(float complex) * n);
  }
  return out;
}
