/* viterbi.c: soft-decision Viterbi decoding of rate 1/n convolutional codes (see viterbi.h).
 *
 * Shift register: reg = (input << (k-1)) | state, where state holds the previous k-1 inputs with
 * the newest in bit k-2. Output j is the parity of reg & poly[j] (so the generator's MSB taps the
 * current input, as in TS 45.003 4.1.3 and TS 36.212 5.1.3.1). Tail-biting blocks are decoded by
 * running the trellis over three copies of the block from all-equal start metrics and taking the
 * middle copy's decisions: the path has then settled into the block's own start state. */
#include "fec/viterbi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VITERBI_WRAP 3

struct viterbi_s {
  unsigned k, n, nstates, max_bits;
  uint8_t out_bits[128][3]; /* expected outputs for (state << 1 | input) */
  float sign[3][32];        /* butterfly i: +-1 per output, the pattern of state 2i, input 0 */
  float *metric, *next;
  uint8_t *decisions;       /* [step][state] oldest bit dropped on the best path into state */
};

/* Four floats as one SIMD register (GCC/Clang vector extension); same operations as the scalar
 * butterfly, four butterflies at a time. */
typedef float v4sf __attribute__((vector_size(16)));
typedef int v4si __attribute__((vector_size(16)));
typedef int8_t v4qi __attribute__((vector_size(4)));
static inline v4sf load4(const float *p) { v4sf v; memcpy(&v, p, sizeof v); return v; }
static inline void store4(float *p, v4sf v) { memcpy(p, &v, sizeof v); }

static unsigned parity(unsigned v) { return (unsigned)__builtin_parity(v); }

/* Every generator must tap the current and the oldest bit (true of the GSM and LTE codes): the
 * two branches into a state then carry complementary outputs, and so do the two branches out of
 * one, which makes each butterfly one branch metric b: +b, -b, -b, +b. */
viterbi viterbi_create(unsigned k, unsigned n, const unsigned *polys, unsigned max_bits) {
  if (k < 4 || k > 7 || n < 1 || n > 3 || max_bits == 0) return NULL;
  for (unsigned j = 0; j < n; j++)
    if (!(polys[j] & 1u) || !(polys[j] >> (k - 1) & 1u)) return NULL;
  viterbi q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->k = k;
  q->n = n;
  q->nstates = 1u << (k - 1);
  q->max_bits = max_bits;
  for (unsigned s = 0; s < q->nstates; s++)
    for (unsigned u = 0; u < 2; u++) {
      unsigned reg = (u << (k - 1)) | s;
      for (unsigned j = 0; j < n; j++) q->out_bits[s << 1 | u][j] = (uint8_t)parity(reg & polys[j]);
    }
  for (unsigned i = 0; i < q->nstates / 2; i++)
    for (unsigned j = 0; j < 3; j++) q->sign[j][i] = j < n && q->out_bits[(2 * i) << 1][j] ? -1.0f : 1.0f;
  q->metric = malloc(sizeof(float) * q->nstates);
  q->next = malloc(sizeof(float) * q->nstates);
  q->decisions = malloc((size_t)max_bits * VITERBI_WRAP * q->nstates);
  if (!q->metric || !q->next || !q->decisions) { viterbi_destroy(q); return NULL; }
  return q;
}

void viterbi_destroy(viterbi q) {
  if (!q) return;
  free(q->metric);
  free(q->next);
  free(q->decisions);
  free(q);
}

void viterbi_encode(viterbi q, const uint8_t *in, unsigned len, int tail_biting, uint8_t *out) {
  unsigned state = 0;
  if (tail_biting)
    for (unsigned i = 0; i < q->k - 1 && i < len; i++) state |= (unsigned)(in[len - 1 - i] & 1) << (q->k - 2 - i);
  for (unsigned i = 0; i < len; i++) {
    unsigned u = in[i] & 1;
    for (unsigned j = 0; j < q->n; j++) out[q->n * i + j] = q->out_bits[state << 1 | u][j];
    state = (u << (q->k - 2)) | (state >> 1);
  }
}

/* One trellis step: butterfly add-compare-select into q->next, decisions into dec. Butterfly i
 * joins states 2i and 2i+1 (differing in the oldest bit) into states i (input 0) and i + N/2
 * (input 1). */
static void step(viterbi q, const float *soft, uint8_t *dec) {
  const unsigned half = q->nstates / 2;
  const float s0 = soft[0], s1 = q->n > 1 ? soft[1] : 0.0f, s2 = q->n > 2 ? soft[2] : 0.0f;
  const v4sf v0 = {s0, s0, s0, s0}, v1 = {s1, s1, s1, s1}, v2 = {s2, s2, s2, s2};
  const float *m = q->metric;
  float *nx = q->next;
  for (unsigned i = 0; i < half; i += 4) { /* butterflies i..i+3 */
    v4sf b = load4(q->sign[0] + i) * v0 + load4(q->sign[1] + i) * v1 + load4(q->sign[2] + i) * v2;
    v4sf lo = load4(m + 2 * i), hi = load4(m + 2 * i + 4);
    v4sf m0 = __builtin_shufflevector(lo, hi, 0, 2, 4, 6), m1 = __builtin_shufflevector(lo, hi, 1, 3, 5, 7);
    v4sf a0 = m0 + b, a1 = m1 - b, c0 = m0 - b, c1 = m1 + b;
    v4si da = a1 > a0, dc = c1 > c0;
    store4(nx + i, (v4sf)(((v4si)a1 & da) | ((v4si)a0 & ~da)));
    store4(nx + i + half, (v4sf)(((v4si)c1 & dc) | ((v4si)c0 & ~dc)));
    v4qi ba = __builtin_convertvector(-da, v4qi), bc = __builtin_convertvector(-dc, v4qi);
    memcpy(dec + i, &ba, 4);
    memcpy(dec + i + half, &bc, 4);
  }
  /* keep metrics bounded: state 0 is always reachable, so its metric is finite */
  const float t = nx[0];
  const v4sf top = {t, t, t, t};
  for (unsigned s = 0; s < q->nstates; s += 4) store4(nx + s, load4(nx + s) - top);
  q->next = q->metric;
  q->metric = nx;
}

float viterbi_decode(viterbi q, const float *soft, unsigned len, int tail_biting, uint8_t *out) {
  if (len == 0 || len > q->max_bits) return -INFINITY;
  unsigned copies = tail_biting ? VITERBI_WRAP : 1;
  for (unsigned s = 0; s < q->nstates; s++) q->metric[s] = tail_biting || s == 0 ? 0.0f : -1e30f;
  for (unsigned c = 0; c < copies; c++)
    for (unsigned i = 0; i < len; i++) step(q, soft + q->n * i, q->decisions + ((size_t)c * len + i) * q->nstates);
  unsigned state = 0;
  float best = q->metric[0], second = -INFINITY;
  if (tail_biting) {
    for (unsigned s = 1; s < q->nstates; s++) if (q->metric[s] > best) { best = q->metric[s]; state = s; }
  }
  for (unsigned s = 0; s < q->nstates; s++)
    if (s != state && q->metric[s] > second) second = q->metric[s];
  /* trace back through every copy; the middle copy (or the only one) gives the bits */
  unsigned keep = tail_biting ? 1 : 0;
  for (int c = (int)copies - 1; c >= 0; c--)
    for (int i = (int)len - 1; i >= 0; i--) {
      if ((unsigned)c == keep) out[i] = (uint8_t)(state >> (q->k - 2));
      const uint8_t *dec = q->decisions + ((size_t)c * len + (unsigned)i) * q->nstates;
      state = ((state << 1) & (q->nstates - 1)) | dec[state];
    }
  return best - second;
}
