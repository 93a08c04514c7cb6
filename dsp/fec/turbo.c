/* turbo.c: LTE turbo encoder and iterative max-log-MAP decoder (TS 36.212 5.1.3.2). */
#include "fec/turbo.h"

#include <stdlib.h>
#include <string.h>

#include "fec/qpp.h"

#define NS 8                 /* constituent encoder states */
#define NEG_INF (-1e30f)
#define EXT_SCALE 0.75f      /* extrinsic scaling of max-log-MAP */

struct turbo_s {
  unsigned max_k;
  uint16_t *pi;              /* QPP permutation for cur_k */
  unsigned cur_k;
  float *alpha;              /* [(max_k+4) * NS] forward metrics */
  float *ls, *lsi;           /* systematic LLRs, natural and interleaved order (k+3 incl. tail) */
  float *lp1, *lp2;          /* parity LLRs (k+3) */
  float *la, *le;            /* a priori and extrinsic (k) */
  float *ext1;               /* decoder 1 extrinsic, natural order */
};

/* State s = r1<<2 | r2<<1 | r3, r1 the most recent register. TS 36.212 5.1.3.2.1:
 * feedback a = u ^ r2 ^ r3 (g0 = 1 + D^2 + D^3), parity z = a ^ r1 ^ r3 (g1 = 1 + D + D^3). */
static inline unsigned rsc_next(unsigned s, unsigned u) {
  unsigned a = u ^ ((s >> 1) & 1) ^ (s & 1);
  return (a << 2) | (s >> 1);
}
static inline unsigned rsc_parity(unsigned s, unsigned u) {
  unsigned a = u ^ ((s >> 1) & 1) ^ (s & 1);
  return a ^ (s >> 2) ^ (s & 1);
}

turbo turbo_create(unsigned max_k) {
  if (max_k < LTE_QPP_KMIN || max_k > LTE_QPP_KMAX) return NULL;
  turbo q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->max_k = max_k;
  q->pi = malloc(max_k * sizeof *q->pi);
  q->alpha = malloc((size_t)(max_k + 4) * NS * sizeof(float));
  size_t n = max_k + 4;
  q->ls = malloc(n * sizeof(float));
  q->lsi = malloc(n * sizeof(float));
  q->lp1 = malloc(n * sizeof(float));
  q->lp2 = malloc(n * sizeof(float));
  q->la = malloc(n * sizeof(float));
  q->le = malloc(n * sizeof(float));
  q->ext1 = malloc(n * sizeof(float));
  if (!q->pi || !q->alpha || !q->ls || !q->lsi || !q->lp1 || !q->lp2 || !q->la || !q->le || !q->ext1) {
    turbo_destroy(q);
    return NULL;
  }
  return q;
}

void turbo_destroy(turbo q) {
  if (!q) return;
  free(q->pi);
  free(q->alpha);
  free(q->ls);
  free(q->lsi);
  free(q->lp1);
  free(q->lp2);
  free(q->la);
  free(q->le);
  free(q->ext1);
  free(q);
}

static int set_k(turbo q, unsigned k) {
  if (k > q->max_k) return 0;
  if (k == q->cur_k) return 1;
  if (!lte_qpp_build(k, q->pi)) return 0;
  q->cur_k = k;
  return 1;
}

/* One constituent encoder over k bits plus 3 termination steps: z[0..k+2], tail inputs x[k..k+2]. */
static void rsc_encode(const uint8_t *u, unsigned k, uint8_t *x_tail, uint8_t *z) {
  unsigned s = 0;
  for (unsigned i = 0; i < k; i++) {
    z[i] = (uint8_t)rsc_parity(s, u[i] & 1);
    s = rsc_next(s, u[i] & 1);
  }
  for (unsigned i = 0; i < 3; i++) { /* TS 36.212 5.1.3.2.2: input = feedback, a = 0 */
    unsigned t = ((s >> 1) & 1) ^ (s & 1);
    x_tail[i] = (uint8_t)t;
    z[k + i] = (uint8_t)rsc_parity(s, t);
    s = rsc_next(s, t);
  }
}

int turbo_encode(turbo q, const uint8_t *c, unsigned k, uint8_t *d0, uint8_t *d1, uint8_t *d2) {
  if (!set_k(q, k)) return 0;
  uint8_t *ci = (uint8_t *)q->le; /* scratch: k bytes fit in (k+4) floats */
  uint8_t x1[3], x2[3];
  for (unsigned i = 0; i < k; i++) ci[i] = c[q->pi[i]] & 1;
  rsc_encode(c, k, x1, d1);
  uint8_t z2k[3];
  /* encoder 2 parity into d2, its 3 tail parities saved before d2's tail is laid out */
  rsc_encode(ci, k, x2, d2);
  z2k[0] = d2[k];
  z2k[1] = d2[k + 1];
  z2k[2] = d2[k + 2];
  uint8_t z1k[3] = {d1[k], d1[k + 1], d1[k + 2]};
  for (unsigned i = 0; i < k; i++) d0[i] = c[i] & 1;
  /* TS 36.212 5.1.3.2.2 tail bit positions */
  d0[k] = x1[0];  d0[k + 1] = z1k[1]; d0[k + 2] = x2[0];  d0[k + 3] = z2k[1];
  d1[k] = z1k[0]; d1[k + 1] = x1[2];  d1[k + 2] = z2k[0]; d1[k + 3] = x2[2];
  d2[k] = x1[1];  d2[k + 1] = z1k[2]; d2[k + 2] = x2[1];  d2[k + 3] = z2k[2];
  return 1;
}

static inline float fmaxx(float a, float b) { return a > b ? a : b; }

/* The trellis of rsc_next/rsc_parity written out. With gamma0 = lu + lz and gamma1 = lu - lz
 * (lu, lz: half LLRs of the input and parity bit), the branch metric of input 0 from state s is
 * gamma0 for s in {0, 1, 6, 7} and gamma1 for s in {2, 3, 4, 5}; input 1 has the opposite sign.
 * Input 0 leads s -> {0, 4, 5, 1, 2, 6, 7, 3}[s], input 1 s -> {4, 0, 1, 5, 6, 2, 3, 7}[s]. */

/* alpha(i+1) from alpha(i): state n (and n + 4) is reached from 2(n mod 4) and 2(n mod 4) + 1. */
static inline void fwd_step(const float *a, float g0, float g1, float *an) {
  const float ge[4] = {g0, -g1, g1, -g0}; /* metric from the even predecessor into n = 0..3 */
  for (int j = 0; j < 4; j++) {
    float e = a[2 * j], o = a[2 * j + 1];
    an[j] = fmaxx(e + ge[j], o - ge[j]);
    an[j + 4] = fmaxx(e - ge[j], o + ge[j]);
  }
  float norm = an[0];
  for (int j = 0; j < 8; j++) an[j] -= norm;
}

/* beta(i) from beta(i+1) = b; also the best metric over input-0 and input-1 branches given a. */
static inline void bwd_step(const float *a, float g0, float g1, const float *b, float *bn, float *m0, float *m1) {
  float t[8][2] = {
    {g0 + b[0], -g0 + b[4]}, {g0 + b[4], -g0 + b[0]}, {g1 + b[5], -g1 + b[1]}, {g1 + b[1], -g1 + b[5]},
    {g1 + b[2], -g1 + b[6]}, {g1 + b[6], -g1 + b[2]}, {g0 + b[7], -g0 + b[3]}, {g0 + b[3], -g0 + b[7]},
  };
  float x0 = NEG_INF, x1 = NEG_INF;
  for (int s = 0; s < 8; s++) {
    bn[s] = fmaxx(t[s][0], t[s][1]);
    x0 = fmaxx(x0, a[s] + t[s][0]);
    x1 = fmaxx(x1, a[s] + t[s][1]);
  }
  float norm = bn[0];
  for (int s = 0; s < 8; s++) bn[s] -= norm;
  *m0 = x0;
  *m1 = x1;
}

/* Max-log-MAP over k information steps and 3 termination steps (the input forced to the
 * feedback value). ls, lp: k+3 values; la: k a priori; le: k extrinsic out (scaled). */
static void map_decode(turbo q, const float *ls, const float *lp, const float *la, unsigned k, float *le) {
  float *al = q->alpha;
  for (unsigned s = 0; s < NS; s++) al[s] = NEG_INF;
  al[0] = 0;
  for (unsigned i = 0; i < k; i++) {
    float lu = 0.5f * (ls[i] + la[i]), lz = 0.5f * lp[i];
    fwd_step(al + (size_t)i * NS, lu + lz, lu - lz, al + (size_t)(i + 1) * NS);
  }
  /* termination steps: only the forced-input branches; beta over them from state 0 */
  float beta[NS], bn[NS];
  for (unsigned s = 0; s < NS; s++) beta[s] = NEG_INF;
  beta[0] = 0;
  for (unsigned i = k + 3; i-- > k;) {
    float lu = 0.5f * ls[i], lz = 0.5f * lp[i];
    for (unsigned s = 0; s < NS; s++) {
      unsigned u = ((s >> 1) ^ s) & 1;
      float g = (u ? -lu : lu) + (rsc_parity(s, u) ? -lz : lz);
      bn[s] = g + beta[rsc_next(s, u)];
    }
    float norm = bn[0];
    for (unsigned s = 0; s < NS; s++) beta[s] = bn[s] - norm;
  }
  for (unsigned i = k; i-- > 0;) {
    float lu = 0.5f * (ls[i] + la[i]), lz = 0.5f * lp[i], m0, m1;
    bwd_step(al + (size_t)i * NS, lu + lz, lu - lz, beta, bn, &m0, &m1);
    for (unsigned s = 0; s < NS; s++) beta[s] = bn[s];
    le[i] = EXT_SCALE * ((m0 - m1) - ls[i] - la[i]);
  }
}

int turbo_decode(turbo q, const float *d0, const float *d1, const float *d2, unsigned k,
                 unsigned max_iter, turbo_check_fn check, void *arg, uint8_t *out) {
  if (!set_k(q, k)) return -1;
  const uint16_t *pi = q->pi;
  /* TS 36.212 5.1.3.2.2: de-multiplex the tail bits of both encoders */
  float *ls = q->ls, *lsi = q->lsi, *lp1 = q->lp1, *lp2 = q->lp2;
  for (unsigned i = 0; i < k; i++) {
    ls[i] = d0[i];
    lsi[i] = d0[pi[i]];
    lp1[i] = d1[i];
    lp2[i] = d2[i];
  }
  ls[k] = d0[k];      ls[k + 1] = d2[k];      ls[k + 2] = d1[k + 1];
  lp1[k] = d1[k];     lp1[k + 1] = d0[k + 1]; lp1[k + 2] = d2[k + 1];
  lsi[k] = d0[k + 2]; lsi[k + 1] = d2[k + 2]; lsi[k + 2] = d1[k + 3];
  lp2[k] = d1[k + 2]; lp2[k + 1] = d0[k + 3]; lp2[k + 2] = d2[k + 3];

  float *la = q->la, *le = q->le, *ext1 = q->ext1;
  memset(la, 0, k * sizeof(float));
  for (unsigned it = 1; it <= max_iter; it++) {
    map_decode(q, ls, lp1, la, k, ext1);
    for (unsigned i = 0; i < k; i++) la[i] = ext1[pi[i]];
    map_decode(q, lsi, lp2, la, k, le);
    /* le is in interleaved order: a priori for decoder 1 is le de-interleaved */
    for (unsigned i = 0; i < k; i++) la[pi[i]] = le[i];
    for (unsigned i = 0; i < k; i++) out[i] = (ls[i] + ext1[i] + la[i]) < 0;
    if (check && check(out, k, arg)) return (int)it;
  }
  return 0;
}
