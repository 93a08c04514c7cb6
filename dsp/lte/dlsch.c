/* dlsch.c: DL-SCH transport block decoder with HARQ soft combining (TS 36.212 5.1.1-5.1.4,
 * 5.3.2). */
#include "lte/dlsch.h"

#include <stdlib.h>
#include <string.h>

#include "fec/crc.h"
#include "fec/qpp.h"
#include "fec/ratematch.h"
#include "fec/turbo.h"

#define TURBO_ITER 8
#define FILLER_LLR 100.0f

int lte_cb_segment(unsigned b, lte_cb_seg *s) {
  const unsigned z = 6144, l = 24;
  memset(s, 0, sizeof *s);
  if (b == 0) return 0;
  unsigned bp;
  if (b <= z) {
    s->c = 1;
    bp = b;
  } else {
    s->c = (b + (z - l) - 1) / (z - l);
    bp = b + s->c * l;
  }
  if (s->c > LTE_MAX_CB) return 0;
  /* K+: smallest table K with C K >= B' */
  for (unsigned i = 0; i < LTE_QPP_NUM; i++)
    if (s->c * lte_qpp_size(i) >= bp) {
      s->k_plus = lte_qpp_size(i);
      if (s->c > 1) s->k_minus = i ? lte_qpp_size(i - 1) : 0;
      break;
    }
  if (!s->k_plus) return 0;
  if (s->c == 1) {
    s->c_plus = 1;
  } else {
    unsigned dk = s->k_plus - s->k_minus;
    s->c_minus = (s->c * s->k_plus - bp) / dk;
    s->c_plus = s->c - s->c_minus;
  }
  s->f = s->c_plus * s->k_plus + s->c_minus * s->k_minus - bp;
  return 1;
}

unsigned lte_cb_size(const lte_cb_seg *s, unsigned r) { return r < s->c_minus ? s->k_minus : s->k_plus; }

unsigned lte_cb_e(const lte_cb_seg *s, unsigned r, unsigned g, unsigned n_l) {
  /* 5.1.4.1.2: G' = G / (N_L Q_m), gamma = G' mod C */
  unsigned qm = 2, gp = g / (n_l * qm), gamma = gp % s->c;
  if (r <= s->c - gamma - 1) return n_l * qm * (gp / s->c);
  return n_l * qm * ((gp + s->c - 1) / s->c);
}

struct lte_dlsch_s {
  unsigned max_tbs;
  turbo dec;
  int32_t *map;         /* rate matching map of the current block */
  float *w;             /* soft buffers: LTE_MAX_CB circular buffers of wlen each */
  size_t wlen;
  float *d;             /* de-selected streams d0|d1|d2 of one block */
  uint8_t *bits;        /* decoded TB + CRC bits */
  uint8_t *cb;          /* one decoded code block */
  unsigned cur_tbs;     /* tbs the soft buffer belongs to, 0 when empty */
  unsigned combined;
};

lte_dlsch lte_dlsch_create(unsigned max_tbs) {
  lte_cb_seg s;
  if (!lte_cb_segment(max_tbs + 24, &s)) return NULL;
  lte_dlsch q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->max_tbs = max_tbs;
  unsigned kmax = s.k_plus, dmax = kmax + 4;
  q->wlen = 3 * lte_rm_kpi(dmax);
  q->dec = turbo_create(kmax);
  q->map = malloc(q->wlen * sizeof *q->map);
  q->w = calloc(q->wlen * s.c, sizeof *q->w);
  q->d = malloc(3 * dmax * sizeof *q->d);
  q->bits = malloc(s.c * kmax + 8);
  q->cb = malloc(kmax);
  if (!q->dec || !q->map || !q->w || !q->d || !q->bits || !q->cb) {
    lte_dlsch_destroy(q);
    return NULL;
  }
  return q;
}

void lte_dlsch_destroy(lte_dlsch q) {
  if (!q) return;
  turbo_destroy(q->dec);
  free(q->map);
  free(q->w);
  free(q->d);
  free(q->bits);
  free(q->cb);
  free(q);
}

void lte_dlsch_reset(lte_dlsch q) {
  q->cur_tbs = 0;
  q->combined = 0;
}

unsigned lte_dlsch_combined(const lte_dlsch q) { return q->combined; }

typedef struct {
  unsigned skip;   /* filler bits not covered by the CRC */
  uint64_t poly;
} cb_check_arg;

/* The all-zero word passes every CRC, and a decoder fed (nearly) erased soft bits, e.g. one
 * redundancy version without systematic bits, tends to fall into it: never accept it. */
static int all_zero(const uint8_t *bits, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    if (bits[i]) return 0;
  return 1;
}

/* Early stop: a code block of a multi-block TB carries CRC24B; a single block carries the whole
 * TB's CRC24A (5.1.1, 5.1.2). */
static int cb_check(const uint8_t *bits, unsigned k, void *arg) {
  const cb_check_arg *a = arg;
  unsigned n = k - a->skip;
  if (all_zero(bits + a->skip, n)) return 0;
  return crc_remainder(bits + a->skip, n - 24, a->poly, 24) == crc_pack(bits + k - 24, 24);
}

int lte_dlsch_decode(lte_dlsch q, const float *llr, unsigned g, unsigned tbs, unsigned rv, unsigned n_l, uint8_t *tb) {
  lte_cb_seg s;
  if (tbs == 0 || tbs > q->max_tbs || (tbs & 7) || !g || n_l < 1 || n_l > 2) return -1;
  if (!lte_cb_segment(tbs + 24, &s)) return -1;
  if (q->cur_tbs != tbs) {
    memset(q->w, 0, q->wlen * s.c * sizeof *q->w);
    q->cur_tbs = tbs;
    q->combined = 0;
  }
  q->combined++;
  unsigned e_off = 0, out = 0, ok = 1;
  for (unsigned r = 0; r < s.c; r++) {
    unsigned k = lte_cb_size(&s, r), d = k + 4, f = r == 0 ? s.f : 0;
    unsigned kw = 3 * lte_rm_kpi(d), ncb = kw; /* N_cb = K_w: SI is not limited by N_IR */
    unsigned e = lte_cb_e(&s, r, g, n_l);
    if (e_off + e > g) return -1;
    float *w = q->w + (size_t)r * q->wlen;
    lte_rm_turbo_map(d, f, q->map);
    lte_rm_dematch_add(llr + e_off, e, q->map, ncb, lte_rm_turbo_k0(d, ncb, rv), w);
    e_off += e;
    memset(q->d, 0, 3 * d * sizeof *q->d);
    for (unsigned j = 0; j < kw; j++)
      if (q->map[j] >= 0) q->d[q->map[j]] = w[j];
    for (unsigned i = 0; i < f; i++) q->d[i] = FILLER_LLR; /* known zero filler bits */
    cb_check_arg ca = {f, s.c > 1 ? CRC_POLY_LTE24B : CRC_POLY_LTE24A};
    int it = turbo_decode(q->dec, q->d, q->d + d, q->d + 2 * d, k, TURBO_ITER, cb_check, &ca, q->cb);
    if (it <= 0) ok = 0;
    /* concatenate without filler and, for C > 1, without the CRC24B */
    unsigned keep = k - f - (s.c > 1 ? 24 : 0);
    memcpy(q->bits + out, q->cb + f, keep);
    out += keep;
  }
  if (!ok) return 0;
  if (out != tbs + 24 || all_zero(q->bits, out)) return 0;
  if (crc_remainder(q->bits, tbs, CRC_POLY_LTE24A, 24) != crc_pack(q->bits + tbs, 24)) return 0;
  for (unsigned i = 0; i < tbs / 8; i++) tb[i] = (uint8_t)crc_pack(q->bits + 8 * i, 8);
  return 1;
}

int lte_dlsch_encode(lte_dlsch q, const uint8_t *tb, unsigned tbs, unsigned rv, unsigned g, unsigned n_l, uint8_t *e) {
  lte_cb_seg s;
  if (tbs == 0 || tbs > q->max_tbs || (tbs & 7) || !g || n_l < 1 || n_l > 2) return 0;
  if (!lte_cb_segment(tbs + 24, &s)) return 0;
  uint8_t *b = q->bits, *cb = q->cb;
  uint8_t *dd = (uint8_t *)q->d; /* 3 (K+4) bytes fit in the soft stream buffer */
  for (unsigned i = 0; i < tbs / 8; i++) crc_unpack(tb[i], 8, b + 8 * i);
  crc_unpack(crc_remainder(b, tbs, CRC_POLY_LTE24A, 24), 24, b + tbs);
  unsigned in = 0, eo = 0;
  for (unsigned r = 0; r < s.c; r++) {
    unsigned k = lte_cb_size(&s, r), f = r ? 0 : s.f, n = k - f - (s.c > 1 ? 24 : 0);
    unsigned d = k + 4, kw = 3 * lte_rm_kpi(d), er = lte_cb_e(&s, r, g, n_l);
    if (eo + er > g) return 0;
    memset(cb, 0, f);
    memcpy(cb + f, b + in, n);
    in += n;
    if (s.c > 1) crc_unpack(crc_remainder(cb, k - 24, CRC_POLY_LTE24B, 24), 24, cb + k - 24);
    turbo_encode(q->dec, cb, k, dd, dd + d, dd + 2 * d);
    lte_rm_turbo_map(d, f, q->map);
    for (unsigned i = 0, j = lte_rm_turbo_k0(d, kw, rv); i < er; j = (j + 1 == kw) ? 0 : j + 1)
      if (q->map[j] >= 0) e[eo + i++] = dd[q->map[j]];
    eo += er;
  }
  return 1;
}
