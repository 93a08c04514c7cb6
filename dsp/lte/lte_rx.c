/* lte_rx.c: cell search + PSS tracking + PBCH/MIB over a 1.92 Msps recording (see lte_rx.h). */
#include "lte/lte_rx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bigbuf.h"
#include "lte/lte_cancel.h"
#include "lte/lte_chest.h"
#include "lte/lte_mib.h"
#include "lte/lte_ofdm.h"
#include "lte/lte_pbch.h"
#include "lte/lte_search.h"
#include "lte/lte_seq.h"

#define FS LTE_FS_SEARCH
#define MAX_CAND 24
#define NEAR_HZ 10000.0        /* co-channel search half-width around the cells found */
#define MAX_FRAMES 128        /* PBCH frames kept per candidate (1.28 s) */
#define MAX_TTI 6                /* 40 ms TTIs tried per candidate (240 ms of signal) */
#define MAX_TTI_COUNT 4          /* decoded TTIs counted once the MIB is found */
#define MIN_CRS_CORR 0.15       /* after a MIB */
#define MIN_AGREEMENT 0.1f      /* PBCH frames outside the decoded TTI vs the re-encoded MIB
                                   (real cells measured >= 0.28; chance ~0 +- 0.03) */
#define MIN_AGREEMENT_TTI 0.5f  /* the same within the decoded TTI only */
#define MIN_CRS_CORR_EARLY 0.12 /* before decoding: clearly no CRS */
#define MIN_CRS_CORR_PRECHECK 0.1 /* the same from the search's frequency, before decode_at */
#define WORK_SPAN LTE_RX_SPAN   /* found cells are cancelled from a copy of the decoded part */

struct lte_rx_s {
  lte_search search;
  lte_ofdm ofdm[2];          /* [cp_extended], 6 PRB at 128 */
  lte_chest chest[2];
  lte_pbch pbch;
  float complex *re;         /* [14][72] */
  float complex *h[4];
  float *llr;                /* [3 port hypotheses][MAX_FRAMES][480] */
  int have[MAX_FRAMES];
  float rsrp[MAX_FRAMES], nv[MAX_FRAMES], rssi[MAX_FRAMES], crs_b[MAX_FRAMES];
  float complex crs_a[MAX_FRAMES];
  lte_search_cand cand[MAX_CAND];
  float complex *work;       /* the decoded part, with found cells cancelled */
  lte_cancel cancel;
  uint8_t enc[4 * LTE_PBCH_MAX_BITS];
};

lte_rx lte_rx_create(float max_cfo_hz) {
  lte_rx q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->search = lte_search_create(max_cfo_hz);
  q->pbch = lte_pbch_create();
  q->re = malloc(sizeof(float complex) * 14 * 72);
  q->llr = malloc(sizeof(float) * 3 * MAX_FRAMES * LTE_PBCH_MAX_BITS);
  q->work = bigbuf_alloc(sizeof(float complex) * WORK_SPAN);
  q->cancel = lte_cancel_create();
  int ok = q->search && q->pbch && q->re && q->llr && q->work && q->cancel;
  for (int e = 0; e < 2 && ok; e++) {
    q->ofdm[e] = lte_ofdm_create(128, 6, e);
    q->chest[e] = lte_chest_create(6, e);
    ok = q->ofdm[e] && q->chest[e];
  }
  for (int p = 0; p < 4 && ok; p++) ok = (q->h[p] = malloc(sizeof(float complex) * 14 * 72)) != NULL;
  if (!ok) { lte_rx_destroy(q); return NULL; }
  return q;
}

void lte_rx_destroy(lte_rx q) {
  if (!q) return;
  lte_search_destroy(q->search);
  lte_pbch_destroy(q->pbch);
  for (int e = 0; e < 2; e++) { lte_ofdm_destroy(q->ofdm[e]); lte_chest_destroy(q->chest[e]); }
  for (int p = 0; p < 4; p++) free(q->h[p]);
  free(q->re);
  free(q->llr);
  free(q->work);
  lte_cancel_destroy(q->cancel);
  free(q);
}

static float complex corr_at(const lte_rx q, const float complex *x, int u, long t, double f) {
  float complex a = 0;
  float complex rot = (float complex)cexp(-I * 2.0 * M_PI * f * (double)t);
  float complex st = (float complex)cexp(-I * 2.0 * M_PI * f);
  const float complex *pt = lte_search_pss(q->search, u);
  for (int i = 0; i < 128; i++) { a += x[t + i] * rot * conjf(pt[i]); rot *= st; }
  return a;
}

/* Track the PSS of a candidate over the whole recording: weighted line fit of the peak positions
 * (timing, sample rate offset) and the frequency from the phase between consecutive PSS. */
static void track(lte_rx q, const float complex *x, size_t n, const lte_search_cand *c,
                  double *a_out, double *b_out, double *r5_out) {
  const int u = c->nid2;
  double f = c->cfo_hz / FS;
  double b = LTE_HALF_FRAME;
  double sw = 0, sh = 0, st = 0, shh = 0, sht = 0;
  double pos = c->pss_pos;
  float complex prev = 0, dacc = 0;
  int hprev = -10;
  for (int h = 0;; h++) {
    double pred = c->pss_pos + h * b;
    if (sw > 0 && h > 2) { /* follow the fitted line as it forms */
      double den = sw * shh - sh * sh;
      if (den > 0) {
        double bb = (sw * sht - sh * st) / den, aa = (st - bb * sh) / sw;
        pred = aa + bb * h;
      }
    }
    long t = lround(pred);
    if (t - 3 < 0) continue;
    if ((size_t)(t + 3 + 128) > n) break;
    float e[7];
    float complex cc[7];
    int bi = 0;
    for (int d = -3; d <= 3; d++) {
      cc[d + 3] = corr_at(q, x, u, t + d, f);
      e[d + 3] = crealf(cc[d + 3] * conjf(cc[d + 3]));
      if (e[d + 3] > e[bi]) bi = d + 3;
    }
    if (bi == 0 || bi == 6) continue;
    double den = e[bi - 1] - 2 * e[bi] + e[bi + 1];
    double frac = den < 0 ? 0.5 * (e[bi - 1] - e[bi + 1]) / den : 0;
    pos = (double)(t + bi - 3) + frac;
    double w = e[bi];
    sw += w; sh += w * h; st += w * pos; shh += w * (double)h * h; sht += w * h * pos;
    if (hprev == h - 1) dacc += cc[bi] * conjf(prev);
    prev = cc[bi];
    hprev = h;
  }
  double den = sw * shh - sh * sh;
  if (sw > 0 && den > 1e-9 * sw * sw) {
    *b_out = (sw * sht - sh * st) / den;
    *a_out = (st - *b_out * sh) / sw;
  } else {
    *b_out = LTE_HALF_FRAME;
    *a_out = c->pss_pos;
  }
  /* residual frequency from the PSS phase advance over 5 ms: precise, but only modulo 200 Hz */
  *r5_out = cabsf(dacc) > 0 ? cargf(dacc) / (2.0 * M_PI * *b_out / FS) : NAN;
}

/* Frequency error from the CRS phase between slot 0 and slot 1 symbol 0 of subframe 0 (port 0,
 * same subcarriers, 0.5 ms apart: unambiguous over +-1 kHz). Returns the phase sum. */
static float complex crs_slot_phase(const float complex *re, const float complex *r0,
                                    const float complex *r1, int pci, int ext) {
  const int nsl = ext ? 6 : 7;
  float complex z = 0;
  for (int m = 0; m < 12; m++) {
    int k = 6 * m + pci % 6;
    float complex a = re[k] * conjf(r0[m + 104]);
    float complex b = re[nsl * 72 + k] * conjf(r1[m + 104]);
    z += b * conjf(a);
  }
  return z;
}

/* Whether the CRS of the candidate's PCI are there over frames 0..nf-1: the normalised
 * correlation between neighbouring port-0 pilot estimates, |sum h[m+1] h[m]*| / sum |h[m]|^2, is
 * about SINR / (SINR + 1) for a real cell and 1/sqrt(pilots) for a wrong PCI or noise. */
static int crs_present(const lte_rx q, int nf, double min_corr) {
  float complex a = 0;
  double b = 0;
  for (int j = 0; j < nf; j++)
    if (q->have[j]) { a += q->crs_a[j]; b += q->crs_b[j]; }
  return b > 0 && cabs(a) / b >= min_corr;
}

/* Neighbour-pilot correlation terms of one subframe-0 grid (6 PRB) for crs_present(). */
static void crs_terms(const float complex *re, float complex (*r)[220], int pci, int ext,
                      float complex *a, float *b) {
  const int ns = ext ? 12 : 14, nsl = ns / 2;
  const int ls[4] = {0, nsl - 3, nsl, ns - 3};
  float complex sa = 0;
  float sb = 0;
  for (int i = 0; i < 4; i++) {
    int v = (i % 2 == 0) ? 0 : 3; /* port 0: v = 0 at l = 0, 3 at l = nsl-3 */
    int k0 = (v + pci % 6) % 6;
    float complex prev = 0;
    for (int m = 0; m < 12; m++) {
      float complex h = re[ls[i] * 72 + 6 * m + k0] * conjf(r[i][m + 104]);
      if (m) sa += h * conjf(prev);
      sb += crealf(h * conjf(h));
      prev = h;
    }
  }
  *a = sa;
  *b = sb * 11.0f / 12.0f;
}

/* Decode the MIB of one candidate. Returns 1 and fills cell when found. */
/* Agreement of every received frame's PBCH soft bits (port hypothesis ph) with the MIB re-encoded
 * for that frame's SFN: sum(llr * sign) / sum(|llr|). About 0.2 to 1 for a real cell, about 0 for
 * a block that passed its CRC by chance. */
static float pbch_agreement(lte_rx q, const lte_search_cand *c, int ph, int ports, int nf,
                            const lte_rx_cell *cell, int skip_tti, int *frames) {
  const int M = lte_pbch_bits(c->cp_extended);
  double num = 0, den = 0;
  int tti = -1;
  *frames = 0;
  for (int j = 0; j < nf; j++) {
    if (!q->have[j]) continue;
    int sfn = (cell->cell.sfn + j) % 1024;
    if (sfn / 4 == skip_tti) continue;
    ++*frames;
    if (sfn / 4 != tti) {
      uint8_t mib[24];
      lte_mib_with_sfn(cell->mib, sfn, mib);
      lte_pbch_encode(q->pbch, c->pci, c->cp_extended, ports, mib, q->enc);
      tti = sfn / 4;
    }
    const float *l = q->llr + ((size_t)ph * MAX_FRAMES + j) * LTE_PBCH_MAX_BITS;
    const uint8_t *e = q->enc + (sfn % 4) * M;
    for (int i = 0; i < M; i++) {
      num += e[i] ? -l[i] : l[i];
      den += fabsf(l[i]);
    }
  }
  return den > 0 ? (float)(num / den) : 0.0f;
}

/* The measurements of one demodulated subframe 0 (q->re, ns symbols): TS 36.214 RSSI over the
 * central 72 subcarriers (mean power of the OFDM symbols that carry the port 0 reference signals)
 * and the CRS statistics; every port is estimated on its own (statistics from port 0), into q->h,
 * so one 4-port estimate serves the 1-, 2- and 4-port hypotheses. */
static float measure_subframe(lte_rx q, lte_chest ch, int pci, int ns, lte_chest_stats *st) {
  const int nsl = ns / 2, rs_l[4] = {0, nsl - 3, nsl, ns - 3};
  double e = 0;
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 72; k++) e += crealf(q->re[rs_l[i] * 72 + k] * conjf(q->re[rs_l[i] * 72 + k]));
  lte_chest_set_cell(ch, pci, 4);
  lte_chest_execute(ch, q->re, 0, q->h, st);
  return (float)(e / 4.0);
}

/* Demodulate every frame's subframe 0 with the given timing and frequency, check the CRS, decode
 * the PBCH. Returns 1 and fills cell on a MIB, 0 without a MIB, -1 when the CRS of the PCI are
 * not there (a 200 Hz frequency step would not change that). */
static int decode_at(lte_rx q, const float complex *x, size_t n, const lte_search_cand *c,
                     double f0, double flen, double cfo_hz, lte_rx_cell *cell) {
  const int ext = c->cp_extended;
  lte_ofdm od = q->ofdm[ext];
  lte_chest ch = q->chest[ext];
  const double f = cfo_hz / FS;
  int nf = 0;
  static const int port_hyp[3] = {1, 2, 4};
  float complex rseq[4][220];
  {
    const int nsl = ext ? 6 : 7;
    lte_crs_seq(c->pci, 0, 0, !ext, rseq[0]);
    lte_crs_seq(c->pci, 0, nsl - 3, !ext, rseq[1]);
    lte_crs_seq(c->pci, 1, 0, !ext, rseq[2]);
    lte_crs_seq(c->pci, 1, nsl - 3, !ext, rseq[3]);
  }
  /* what is read: the CRS of 4 ports (estimates, RSSI, CRS check) and the PBCH, slot 1 l = 0..3 */
  const int ns = lte_ofdm_n_symb(od);
  const unsigned rows = lte_crs_rows(ns, 4) | 0xfu << (ns / 2);
  memset(q->have, 0, sizeof q->have);
  for (int j = 0; j < MAX_FRAMES; j++) {
    double t0 = f0 + j * flen;
    if (j == 8 && !crs_present(q, j, MIN_CRS_CORR_EARLY)) return -1; /* no CRS of this PCI */
    if (t0 + 1920 + 8 > (double)n) break;
    nf = j + 1;
    if (!lte_ofdm_demod(od, x, n, t0, f, rows, q->re)) continue;
    q->have[j] = 1;
    crs_terms(q->re, rseq, c->pci, ext, &q->crs_a[j], &q->crs_b[j]);
    lte_chest_stats st;
    q->rssi[j] = measure_subframe(q, ch, c->pci, ns, &st);
    q->rsrp[j] = st.rsrp;
    q->nv[j] = st.noise_var;
    for (int ph = 0; ph < 3; ph++)
      lte_pbch_llr(q->re, q->h, 6, ext, c->pci, port_hyp[ph], st.noise_var,
                   q->llr + ((size_t)ph * MAX_FRAMES + j) * LTE_PBCH_MAX_BITS);
  }
  if (!nf) return 0;
  if (!crs_present(q, nf, MIN_CRS_CORR)) return -1; /* not this PCI: no other frequency helps */
  /* CRS present? (the PCI's reference signals, not just a PSS/SSS look-alike) */
  double rs = 0, nv = 0, rssi = 0;
  int cnt = 0;
  for (int j = 0; j < nf; j++)
    if (q->have[j]) { rs += q->rsrp[j]; nv += q->nv[j]; rssi += q->rssi[j]; cnt++; }
  /* PBCH: every SFN alignment r (frame j has SFN mod 4 = (r + j) % 4), every TTI */
  for (int ph = 0; ph < 3; ph++)
    for (int r = 0; r < 4; r++) {
      int found = 0;
      for (int g = -1; (g * 4 - r) < nf && g < MAX_TTI && found < MAX_TTI_COUNT; g++) {
        const float *fr[4] = {NULL, NULL, NULL, NULL};
        int any = 0, jfirst = -1;
        for (int s = 0; s < 4; s++) {
          int j = g * 4 + s - r;
          if (j < 0 || j >= nf || !q->have[j]) continue;
          fr[s] = q->llr + ((size_t)ph * MAX_FRAMES + j) * LTE_PBCH_MAX_BITS;
          if (jfirst < 0) jfirst = j;
          any = 1;
        }
        if (!any) continue;
        uint8_t mib[24];
        if (!lte_pbch_decode(q->pbch, c->pci, ext, port_hyp[ph], fr, mib)) continue;
        lte_cell tmp = {0};
        if (!lte_mib_unpack(mib, 0, &tmp)) continue;
        if (!found) {
          memset(cell, 0, sizeof *cell);
          cell->cell = tmp;
          memcpy(cell->mib, mib, 24);
          cell->mib_frame = jfirst;
          /* SFN of frame index 0: the TTI starts at frame g*4 - r with SFN = tmp.sfn (mod 4 = 0) */
          int sfn0 = tmp.sfn - (g * 4 - r);
          cell->cell.sfn = ((sfn0 % 1024) + 1024) % 1024;
        }
        found++;
      }
      if (!found) continue;
      /* a block can pass a 16-bit CRC by chance: the other frames must agree with it too */
      int others, skip = ((cell->cell.sfn + cell->mib_frame) % 1024) / 4;
      float agree = pbch_agreement(q, c, ph, port_hyp[ph], nf, cell, skip, &others);
      if (others < 2) { /* a one-TTI recording: its own frames, which the decoder fitted */
        if (pbch_agreement(q, c, ph, port_hyp[ph], nf, cell, -1, &others) < MIN_AGREEMENT_TTI) continue;
      } else if (agree < MIN_AGREEMENT) continue;
      cell->cell.pci = c->pci;
      cell->cell.ports = port_hyp[ph];
      cell->cell.cp_extended = ext;
      cell->cell.tdd = c->tdd;
      cell->frame0 = f0;
      cell->frame_len = flen;
      cell->n_frames = nf;
      cell->cfo_hz = cfo_hz;
      cell->sro_ppm = (flen / (2.0 * LTE_HALF_FRAME) - 1.0) * 1e6;
      cell->mib_count = found;
      cell->rsrp = (float)(rs / cnt);
      cell->noise_var = (float)(nv / cnt);
      cell->rssi = (float)(rssi / cnt);
      return 1;
    }
  return 0;
}

static int try_candidate(lte_rx q, const float complex *x, size_t n, const lte_search_cand *c,
                         lte_rx_cell *cell) {
  const int ext = c->cp_extended;
  double a, b, r5;
  track(q, x, n, c, &a, &b, &r5);
  double flen = 2.0 * b;
  double poff = lte_pss_offset(c->tdd, ext);
  /* PSS index h0 of the first frame (from the search's parity) */
  int h0 = (int)lround((c->frame_start + poff - c->pss_pos) / LTE_HALF_FRAME);
  double f0 = a + b * h0 - poff * (b / LTE_HALF_FRAME);
  while (f0 - flen >= -1e-6 * flen) { f0 -= flen; }
  while (f0 < -4.0) f0 += flen; /* first frame whose subframe 0 starts inside (the FFT window
                                  starts inside the CP, so a few samples early is fine) */

  lte_ofdm od = q->ofdm[ext];
  double cfo;
  /* frequency: the search's estimate, corrected by the CRS phase over 0.5 ms (+-1 kHz), then by
   * the PSS phase over 5 ms (+-100 Hz) */
  {
    const int nsl = lte_ofdm_n_symb(od) / 2;
    float complex rseq[4][220], z = 0;
    lte_crs_seq(c->pci, 0, 0, !ext, rseq[0]);
    lte_crs_seq(c->pci, 0, nsl - 3, !ext, rseq[1]);
    lte_crs_seq(c->pci, 1, 0, !ext, rseq[2]);
    lte_crs_seq(c->pci, 1, nsl - 3, !ext, rseq[3]);
    int nf = 0;
    for (int j = 0; j < 8; j++, nf++) {
      double t0 = f0 + j * flen;
      if (!lte_ofdm_demod(od, x, n, t0, c->cfo_hz / FS, lte_crs_rows(2 * nsl, 1), q->re)) break;
      z += crs_slot_phase(q->re, rseq[0], rseq[2], c->pci, ext);
      q->have[j] = 1;
      crs_terms(q->re, rseq, c->pci, ext, &q->crs_a[j], &q->crs_b[j]);
    }
    /* the CRS of this PCI clearly absent over these frames (as decode_at would find them after
     * 8, with some margin for the search's coarser frequency): not a cell */
    if (nf == 8 && !crs_present(q, nf, MIN_CRS_CORR_PRECHECK)) return 0;
    double fs_slot = FS / (flen / 20.0); /* 1 / slot duration */
    double dcrs = cabsf(z) > 0 ? cargf(z) / (2.0 * M_PI) * fs_slot : 0.0;
    double fr = dcrs;
    if (isfinite(r5)) {
      double span = FS / b; /* 200 Hz */
      fr = r5 + span * round((dcrs - r5) / span);
    }
    cfo = c->cfo_hz + fr;
  }
  /* the 200 Hz ambiguity is resolved by the CRS estimate; when interference biases it, the
   * neighbouring branches get their chance */
  static const double alt[3] = {0.0, 1.0, -1.0};
  for (int i = 0; i < 3; i++) {
    int rc = decode_at(q, x, n, c, f0, flen, cfo + alt[i] * FS / b, cell);
    if (rc) return rc > 0;
  }
  return 0;
}

/* The measurements (RSRP, noise, RSSI: every frame's subframe 0, as decode_at takes them) again
 * on the samples as received: a cell found after others were cancelled from the work copy was
 * measured without them, but RSSI counts every cell (TS 36.214 5.1.3) and the noise estimate
 * their interference, as in the full-band measurements. */
static void measure_received(lte_rx q, const float complex *x, size_t n, lte_rx_cell *cell) {
  lte_ofdm od = q->ofdm[cell->cell.cp_extended];
  lte_chest ch = q->chest[cell->cell.cp_extended];
  double rs = 0, nv = 0, rssi = 0;
  int cnt = 0;
  for (int j = 0; j < cell->n_frames; j++) {
    if (!lte_ofdm_demod(od, x, n, cell->frame0 + j * cell->frame_len, cell->cfo_hz / FS,
                        lte_crs_rows(lte_ofdm_n_symb(od), 4), q->re))
      continue;
    lte_chest_stats st;
    rssi += measure_subframe(q, ch, cell->cell.pci, lte_ofdm_n_symb(od), &st);
    rs += st.rsrp;
    nv += st.noise_var;
    cnt++;
  }
  if (!cnt) return;
  cell->rsrp = (float)(rs / cnt);
  cell->noise_var = (float)(nv / cnt);
  cell->rssi = (float)(rssi / cnt);
}

int lte_rx_execute(lte_rx q, const float complex *x, size_t n, lte_rx_cell *cells, int max) {
  size_t nw = n < WORK_SPAN ? n : WORK_SPAN;
  memcpy(q->work, x, sizeof(float complex) * nw);
  const size_t split = LTE_SEARCH_SPAN;
  int found = 0, pending = 0; /* cells[pending..]: part 1 of their cancellation not done yet */
  int untouched = 0;          /* cells[0..untouched) were measured before any cancellation */
  for (int round = 0; round < 4 && found < max; round++) {
    /* after the first round: only around the frequency of the cells found (co-channel cells
     * share the receiver's offset) */
    double f_lo = -1e12, f_hi = 1e12;
    if (round > 0) {
      f_lo = 1e12;
      f_hi = -1e12;
      for (int k = 0; k < found; k++) {
        if (cells[k].cfo_hz - NEAR_HZ < f_lo) f_lo = cells[k].cfo_hz - NEAR_HZ;
        if (cells[k].cfo_hz + NEAR_HZ > f_hi) f_hi = cells[k].cfo_hz + NEAR_HZ;
      }
    }
    int nc = lte_search_execute_range(q->search, q->work, nw, f_lo, f_hi, q->cand, MAX_CAND);
    int fresh = found;
    for (int i = 0; i < nc && found < max; i++) {
      /* not a PCI found already; and once a cell is found, only near its frequency: co-channel
       * cells share the receiver's offset (eNB clocks are within 0.05-0.25 ppm, TS 36.104 6.5),
       * so a candidate far from it is the found cell's own PSS seen at another frequency
       * hypothesis (the Zadoff-Chu time-frequency ambiguity) or noise */
      int dup = 0, near = found == 0;
      for (int k = 0; k < found; k++) {
        dup |= cells[k].cell.pci == q->cand[i].pci;
        near |= fabs(q->cand[i].cfo_hz - cells[k].cfo_hz) <= NEAR_HZ;
      }
      if (dup || !near) continue;
      /* a candidate reads the whole span: finish cancelling the last round's cells first */
      for (; pending < fresh; pending++) lte_cancel_execute(q->cancel, q->work, nw, &cells[pending], split, 1);
      if (try_candidate(q, q->work, nw, &q->cand[i], &cells[found])) {
        if (pending == 0 && found == untouched) untouched++;
        found++;
      }
    }
    if (found == fresh) break;
    /* the search reads only the first SEARCH_SPAN samples: the rest of the cancellation waits
     * until a new candidate needs it (after the last round, it never does) */
    for (int k = fresh; k < found; k++) lte_cancel_execute(q->cancel, q->work, nw, &cells[k], split, 0);
  }
  for (int k = untouched; k < found; k++) measure_received(q, x, nw, &cells[k]);
  return found;
}
