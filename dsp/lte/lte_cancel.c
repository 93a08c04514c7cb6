/* lte_cancel.c: cancellation of a found cell (see lte_cancel.h). */
#include "lte/lte_cancel.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lte/lte_chest.h"
#include "lte/lte_mib.h"
#include "lte/lte_ofdm.h"
#include "lte/lte_pbch.h"
#include "lte/lte_search.h"
#include "lte/lte_seq.h"

#define FS LTE_FS_SEARCH
/* The parts: subframes starting before split, and PSS/SSS starting before split + SYNC_LEAD
 * (past the end of any such subframe), go in part 0. Every subframe then sees the PSS/SSS it
 * overlaps already removed, and the rest in order, as in one pass. */
#define SYNC_LEAD 2048

struct lte_cancel_s {
  lte_ofdm ofdm[2];          /* [cp_extended], 6 PRB at 128 */
  lte_chest chest[2];
  lte_pbch pbch;
  float complex *re, *h[4];  /* [14][72] */
  float complex tmpl[200];   /* one regenerated PSS/SSS */
  float complex *model;      /* [14][72] regenerated CRS + PBCH */
  float complex crs[20][3][220]; /* CRS of the cell: [ns][l = 0, 1, n_sl-3] */
  fftwf_complex *ib;         /* 128-point inverse FFT for the PSS/SSS regeneration */
  fftwf_plan iplan;
  uint8_t enc[4 * LTE_PBCH_MAX_BITS];
};

lte_cancel lte_cancel_create(void) {
  lte_cancel q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->pbch = lte_pbch_create();
  q->re = malloc(sizeof(float complex) * 14 * 72);
  q->model = malloc(sizeof(float complex) * 14 * 72);
  q->ib = fftwf_alloc_complex(128);
  if (q->ib) q->iplan = fftwf_plan_dft_1d(128, q->ib, q->ib, FFTW_BACKWARD, FFTW_ESTIMATE);
  int ok = q->pbch && q->re && q->model && q->iplan;
  for (int e = 0; e < 2 && ok; e++) {
    q->ofdm[e] = lte_ofdm_create(128, 6, e);
    q->chest[e] = lte_chest_create(6, e);
    ok = q->ofdm[e] && q->chest[e];
  }
  for (int p = 0; p < 4 && ok; p++) ok = (q->h[p] = malloc(sizeof(float complex) * 14 * 72)) != NULL;
  if (!ok) { lte_cancel_destroy(q); return NULL; }
  return q;
}

void lte_cancel_destroy(lte_cancel q) {
  if (!q) return;
  for (int e = 0; e < 2; e++) { lte_ofdm_destroy(q->ofdm[e]); lte_chest_destroy(q->chest[e]); }
  for (int p = 0; p < 4; p++) free(q->h[p]);
  lte_pbch_destroy(q->pbch);
  free(q->re);
  free(q->model);
  if (q->iplan) fftwf_destroy_plan(q->iplan);
  fftwf_free(q->ib);
  free(q);
}

/* Subtract a found cell's PSS and SSS (TS 36.211 6.11) from w[0..n): each occurrence is
 * regenerated with the cell's fractional timing and frequency, scaled by its least-squares gain.
 * Uncovers weaker co-channel cells whose synchronisation signals it hid. */
static void cancel_sync(lte_cancel q, float complex *w, size_t n, const lte_rx_cell *c,
                        size_t split, int part) {
  const int tdd = c->cell.tdd, ext = c->cell.cp_extended, nid2 = c->cell.pci % 3;
  const double f = c->cfo_hz / FS;
  float complex dp[62];
  float ds[2][62];
  lte_pss(nid2, dp);
  lte_sss(c->cell.pci / 3, nid2, 0, ds[0]);
  lte_sss(c->cell.pci / 3, nid2, 1, ds[1]);
  const double half = c->frame_len / 2;
  const double cp = ext ? 32 : 9;
  for (int h = -1; c->frame0 + h * half < (double)n; h++) {
    for (int which = 0; which < 2; which++) {
      double u = c->frame0 + h * half +
                 (which ? lte_sss_offset(tdd, ext) : lte_pss_offset(tdd, ext)) * half / LTE_HALF_FRAME;
      long s0 = (long)floor(u - cp);
      if (s0 < 0 || (size_t)(s0 + 128 + 40) > n) continue;
      if ((s0 >= (long)(split + SYNC_LEAD)) != part) continue;
      int len = (int)ceil(u + 128 - s0);
      float complex *t = q->tmpl;
      const int sf5 = ((h % 2) + 2) % 2;
      /* the symbol is 128-periodic from its CP on: one inverse FFT of the sequence with the
       * fractional start as a phase ramp gives every sample */
      double delta = u - (double)s0;
      float complex *b = (float complex *)q->ib;
      for (int k = 0; k < 128; k++) b[k] = 0;
      for (int k = 0; k < 62; k++) {
        int fk = k - 31 < 0 ? k - 31 : k - 30;
        float complex d = which ? ds[sf5][k] : dp[k];
        b[lte_bin(k - 31, 128)] = d * (float complex)cexp(-I * 2.0 * M_PI * fk * delta / 128.0);
      }
      fftwf_execute(q->iplan);
      float complex rot = (float complex)cexp(I * 2.0 * M_PI * f * (double)s0);
      float complex st = (float complex)cexp(I * 2.0 * M_PI * f);
      for (int i = 0; i < len; i++) {
        t[i] = b[i % 128] * rot;
        rot *= st;
      }
      float complex num = 0;
      float den = 0;
      for (int i = 0; i < len; i++) { num += w[s0 + i] * conjf(t[i]); den += crealf(t[i] * conjf(t[i])); }
      if (den <= 0) continue;
      float complex g = num / den;
      for (int i = 0; i < len; i++) w[s0 + i] -= g * t[i];
    }
  }
}

/* Subtract a found cell's reference signals and PBCH from w[0..n): both are known exactly once
 * the MIB is (TS 36.211 6.10.1, 6.6 re-encoded, SFBC 6.3.4.3), and are regenerated through the
 * channel estimated on every subframe. Only what the cell is known to send is removed, so a
 * co-sited weaker cell on the same REs stays intact. */
static void cancel_known(lte_cancel q, float complex *w, size_t n, const lte_rx_cell *c,
                         size_t split, int part) {
  const int ext = c->cell.cp_extended, ports = c->cell.ports, pci = c->cell.pci;
  const int ns = ext ? 12 : 14, nsl = ns / 2, M = lte_pbch_bits(ext);
  lte_ofdm od = q->ofdm[ext];
  lte_chest ch = q->chest[ext];
  lte_chest_set_cell(ch, pci, ports);
  const double f = c->cfo_hz / FS;
  float complex *g = q->model;
  for (int nsn = 0; nsn < 20; nsn++)
    for (int li = 0; li < 3; li++) lte_crs_seq(pci, nsn, li == 0 ? 0 : li == 1 ? 1 : nsl - 3, !ext, q->crs[nsn][li]);
  for (int j = -1;; j++) {
    int more = 0;
    /* this frame's MIB: the decoded one with its SFN field (bits 6..13) moved on */
    int sfn = ((c->cell.sfn + j) % 1024 + 1024) % 1024;
    uint8_t mib[24];
    lte_mib_with_sfn(c->mib, sfn, mib);
    lte_pbch_encode(q->pbch, pci, ext, ports, mib, q->enc);
    const uint8_t *e = q->enc + (sfn % 4) * M;
    for (int sf = 0; sf < 10; sf++) {
      double t0 = lte_rx_subframe_start(c, j, sf);
      if (t0 + 1920 > (double)n) continue;
      more = 1;
      if ((t0 >= (double)split) != part) continue;
      if (!lte_ofdm_demod(od, w, n, t0, f, lte_crs_rows(ns, ports), q->re)) continue; /* what lte_chest reads */
      lte_chest_execute(ch, q->re, sf, q->h, NULL);
      memset(g, 0, sizeof(float complex) * ns * 72);
      for (int slot = 0; slot < 2; slot++) { /* CRS, TS 36.211 6.10.1.2 */
        int nsn = 2 * sf + slot;
        for (int li = 0; li < 3; li++) {
          int l = li == 0 ? 0 : li == 1 ? 1 : nsl - 3;
          const float complex *r = q->crs[nsn][li];
          for (int p = 0; p < ports; p++) {
            int v;
            if (p < 2 && li == 1) continue;
            if (p >= 2 && li != 1) continue;
            if (p < 2) v = (p == 0) == (li == 0) ? 0 : 3;
            else v = p == 2 ? 3 * (nsn % 2) : 3 + 3 * (nsn % 2);
            int lsub = slot * nsl + l;
            for (int m = 0; m < 12; m++) {
              int k = 6 * m + (v + pci % 6) % 6;
              g[lsub * 72 + k] += q->h[p][lsub * 72 + k] * r[m + 104];
            }
          }
        }
      }
      if (sf == 0) { /* PBCH, TS 36.211 6.6.4 with 6.3.4.3 precoding */
        int i = 0, np = 0, pair = 0, pos[2];
        float complex d[2];
        const float a = (float)M_SQRT1_2;
        for (int lp = 0; lp < 4; lp++)
          for (int k = 0; k < 72; k++) {
            if ((lp < 2 || (ext && lp == 3)) && k % 3 == pci % 3) continue;
            int o = (nsl + lp) * 72 + k;
            d[np] = ((1 - 2 * e[i]) + I * (1 - 2 * e[i + 1])) * a;
            i += 2;
            if (ports == 1) { g[o] += q->h[0][o] * d[0]; continue; }
            pos[np++] = o;
            if (np < 2) continue;
            np = 0;
            int pa = 0, pb = 1;
            if (ports == 4) { pa = pair % 2 ? 1 : 0; pb = pair % 2 ? 3 : 2; }
            pair++;
            g[pos[0]] += a * (q->h[pa][pos[0]] * d[0] - q->h[pb][pos[0]] * conjf(d[1]));
            g[pos[1]] += a * (q->h[pa][pos[1]] * d[1] + q->h[pb][pos[1]] * conjf(d[0]));
          }
      }
      lte_ofdm_subtract(od, w, n, t0, f, g, 1e-30f);
    }
    if (!more && j >= 0) break;
  }
}

void lte_cancel_execute(lte_cancel q, float complex *w, size_t n, const lte_rx_cell *c,
                        size_t split, int part) {
  cancel_sync(q, w, n, c, split, part);
  cancel_known(q, w, n, c, split, part);
}
