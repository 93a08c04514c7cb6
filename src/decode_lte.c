/* decode_lte.c: the "lte" cs_decoder: finds every LTE cell in a capture segment, decodes its MIB
 * (and SIB1 through dsp/lte/sib1_rx), measures it (TS 36.214) and emits one record per cell.
 *
 * The segment's samples are kept twice, bounded: brought to 1.92 Msps (an integer decimation by
 * floor(fs / 1.92 MHz) with liquid-dsp's Kaiser taps through dsp/decim, then liquid-dsp's polyphase
 * resamp for what is left, if anything) for
 * cell search and PBCH, and at the recording's own rate for the full-bandwidth grids (SIB1,
 * RSRP/RSSI over the whole carrier). See docs/lte.md. The buffers, the rate converters and the
 * cell receiver are kept from segment to segment (a scan's dwells): buffers grow only when a
 * segment needs more than any before, converters are remade only when the rate changes. */
#include <liquid/liquid.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bigbuf.h"
#include "decim.h"
#include "lte/lte_cellgrid.h"
#include "lte/lte_mib.h"
#include "lte/lte_rx.h"
#include "lte/lte_search.h"
#include "lte/sib1_rx.h"
#include "cellsurvey/bands.h"
#include "decode_lte.h"

#include "gsmtap.h"

#define SPAN_1920 (LTE_RX_SPAN + 64)    /* 1.92 Msps samples kept: all that lte_rx reads */
#define NATIVE_SPAN_S 0.22              /* full-rate seconds kept for the grids: the first frame
                                           start and the MEAS_SUBFRAMES after it (11 SIB1s) */
#define MAX_NATIVE_BYTES (20u << 20)    /* and at most this much (114 ms at 23.04 Msps) */
#define CHUNK 8192
#define RS_M 13                         /* resamp semi-length */
#define MEAS_SUBFRAMES 200               /* subframes averaged for RSRP/RSSI/SINR */
#define CANCEL_SNR 4.0f                 /* REs of a cancelled cell above 4x its noise */

typedef struct {
  double fs, center;
  decim dec;                  /* integer decimation by ndec (NULL when ndec = 1) */
  resamp_crcf rs;             /* the remaining rational step (NULL when exact) */
  unsigned ndec;               /* 0 when the recording is at 1.92 Msps */
  double delay;               /* filter delay in input samples */
  float complex *x192;        /* may alias native */
  size_t n192, cap192;
  float complex *native;      /* NULL when the rate is not a multiple of 15 kHz */
  size_t nnat, capnat;
  unsigned nfft;              /* fs / 15 kHz, 0 if not whole */
  float complex *tmp;         /* NULL when already at 1.92 Msps */
  lte_rx rx;
  lte_rx_cell cells[LTE_RX_MAX_CELLS];
  cs_gsmtap *gsmtap;
  int user_band;              /* --band lteN, 0 when not given */
  cs_cell_record recs[LTE_RX_MAX_CELLS];
  /* kept across segments: what the pointers above use */
  float complex *natbuf, *buf192, *tmpbuf;
  size_t natbuf_len, buf192_len;
  decim dec_kept;             /* for dec_kept_m, dec_kept_len */
  unsigned dec_kept_m, dec_kept_len;
  resamp_crcf rs_kept;        /* for rs_kept_r */
  double rs_kept_r;
  float rx_cfo;               /* the search range lte_rx was made for */
} lte_dec;

static void dec_destroy(void *state) {
  lte_dec *d = state;
  if (!d) return;
  decim_destroy(d->dec_kept);
  if (d->rs_kept) resamp_crcf_destroy(d->rs_kept);
  free(d->natbuf);
  free(d->buf192);
  free(d->tmpbuf);
  lte_rx_destroy(d->rx);
  free(d);
}

static void *dec_create(void) { return calloc(1, sizeof(lte_dec)); }

/* *buf holds at least n samples (grown, never shrunk; the contents are not kept). */
static float complex *reserve(float complex **buf, size_t *len, size_t n) {
  if (n > *len) {
    free(*buf);
    *buf = bigbuf_alloc(sizeof(float complex) * n);
    *len = *buf ? n : 0;
  }
  return *buf;
}

static int dec_start(void *state, const cs_spectrum *spec, const cs_pipeline_opts *o, cs_err *err) {
  lte_dec *d = state;
  d->dec = NULL; d->rs = NULL; d->tmp = NULL; d->native = NULL; d->x192 = NULL;
  d->ndec = 0; d->delay = 0; d->n192 = d->nnat = 0; d->capnat = 0; d->nfft = 0;
  if (spec->sample_rate < 1.92e6 * 0.999) return 0; /* PSS/SSS/PBCH need 1.08 MHz */
  d->fs = spec->sample_rate;
  d->center = spec->center_hz;
  d->user_band = 0;
  if (o->band_hint && !strncasecmp(o->band_hint, "lte", 3)) d->user_band = atoi(o->band_hint + 3); /* --band lte3 */
  double ratio = 1.92e6 / d->fs;
  double nf = d->fs / 15000.0;
  if (fabs(nf - round(nf)) < 1e-6) d->nfft = (unsigned)lround(nf);
  int same = fabs(ratio - 1.0) < 1e-9;
  float cfo = o->lte_cfo_search_hz > 0 ? (float)o->lte_cfo_search_hz : (float)CS_LTE_CFO_SEARCH_DEFAULT_HZ;
  /* a segment of unknown length may be as long as the buffers */
  double len = spec->num_samples ? (double)spec->num_samples : 1e12;
  d->cap192 = len * ratio + 64 < SPAN_1920 ? (size_t)(len * ratio) + 64 : SPAN_1920;
  if (d->nfft) {
    double span = NATIVE_SPAN_S * d->fs;
    if (same && span < SPAN_1920) span = SPAN_1920; /* the same samples serve lte_rx */
    if (span > MAX_NATIVE_BYTES / sizeof(float complex)) span = MAX_NATIVE_BYTES / sizeof(float complex);
    d->capnat = len < span ? (size_t)len : (size_t)span;
    d->native = reserve(&d->natbuf, &d->natbuf_len, d->capnat ? d->capnat : 1);
  }
  if (same && d->native) {
    d->x192 = d->native;
    d->cap192 = d->capnat;
  } else {
    d->x192 = reserve(&d->buf192, &d->buf192_len, d->cap192);
    if (!same) {
      d->ndec = (unsigned)floor(d->fs / 1.92e6 + 1e-9);
      if (d->ndec < 1) d->ndec = 1; /* just under 1.92 Msps: the rational step alone */
      if (d->ndec > 64) d->ndec = 64;
      if (d->ndec >= 2) {
        /* liquid-dsp's Kaiser design (as firdecim_crcf_create_kaiser makes it, unity gain), cut
         * off at the Nyquist frequency of fs / ndec, only as long as the band the search and the
         * PBCH read needs: flat to 540 kHz (the central 72 subcarriers) plus the frequency
         * search, 60 dB down from where aliases would fold into that */
        const double fi = d->fs / d->ndec, fp = 540e3 + fmin(cfo, CS_LTE_CFO_SEARCH_MAX_HZ);
        unsigned h_len = estimate_req_filter_len((float)((fi - 2.0 * fp) / d->fs), 60.0f) | 1u;
        if (!d->dec_kept || d->dec_kept_m != d->ndec || d->dec_kept_len != h_len) {
          float *h = malloc(sizeof(float) * h_len);
          decim_destroy(d->dec_kept);
          d->dec_kept = NULL;
          if (h) {
            liquid_firdes_kaiser(h_len, 0.5f / (float)d->ndec, 60.0f, 0.0f, h);
            for (unsigned k = 0; k < h_len; k++) h[k] /= (float)d->ndec;
            d->dec_kept = decim_create(d->ndec, h, h_len);
            free(h);
          }
          d->dec_kept_m = d->ndec;
          d->dec_kept_len = h_len;
        } else {
          decim_reset(d->dec_kept);
        }
        d->dec = d->dec_kept;
        d->delay = (h_len - 1) / 2.0;
      }
      double r = 1.92e6 / (d->fs / d->ndec);
      if (fabs(r - 1.0) > 1e-9) {
        if (!d->rs_kept || d->rs_kept_r != r) {
          if (d->rs_kept) resamp_crcf_destroy(d->rs_kept);
          d->rs_kept = resamp_crcf_create((float)r, RS_M, 0.45f * (float)r, 60.0f, 64);
          d->rs_kept_r = r;
        } else {
          resamp_crcf_reset(d->rs_kept);
        }
        d->rs = d->rs_kept;
        d->delay += (double)d->ndec * RS_M;
      }
      if (!d->tmpbuf) d->tmpbuf = malloc(sizeof(float complex) * (2 * CHUNK + 16));
      d->tmp = d->tmpbuf;
    }
  }
  if (!d->rx || d->rx_cfo != cfo) {
    lte_rx_destroy(d->rx);
    d->rx = lte_rx_create(cfo);
    d->rx_cfo = cfo;
  }
  if (!d->x192 || (d->nfft && !d->native) || (!same && (!d->tmp || (d->ndec >= 2 && !d->dec))) ||
      !d->rx) {
    cs_fail(err, CS_ERR_ENV, "out of memory for the LTE decoder");
    return -1;
  }
  return 1;
}

/* Returns 0 once both buffers are full: the rest of the segment is not used. */
static int dec_execute(void *state, const float complex *x, size_t n, const cs_block_info *info) {
  (void)info;
  lte_dec *d = state;
  if (d->native && d->nnat < d->capnat) {
    size_t m = d->capnat - d->nnat < n ? d->capnat - d->nnat : n;
    if (x != d->native + d->nnat) memcpy(d->native + d->nnat, x, sizeof(float complex) * m);
    d->nnat += m; /* read straight into it (dec_buffer): nothing to copy */
  }
  if (!d->tmp) { /* already 1.92 Msps */
    if (d->x192 == d->native) d->n192 = d->nnat;
    else if (d->n192 < d->cap192) {
      size_t m = d->cap192 - d->n192 < n ? d->cap192 - d->n192 : n;
      memcpy(d->x192 + d->n192, x, sizeof(float complex) * m);
      d->n192 += m;
    }
    return d->n192 < d->cap192 || (d->native && d->nnat < d->capnat);
  }
  size_t i = 0;
  while (i < n && d->n192 < d->cap192) {
    /* decimate (at most CHUNK outputs into tmp), then the rational step into tmp + CHUNK */
    size_t m = (size_t)(CHUNK - 1) * d->ndec;
    if (m > n - i) m = n - i;
    size_t ny = m;
    if (d->dec) ny = decim_execute(d->dec, x + i, m, d->tmp);
    else memcpy(d->tmp, x + i, sizeof(float complex) * m);
    i += m;
    const float complex *y = d->tmp;
    unsigned nout = (unsigned)ny;
    if (d->rs) {
      resamp_crcf_execute_block(d->rs, d->tmp, (unsigned)ny, d->tmp + CHUNK, &nout);
      y = d->tmp + CHUNK;
    }
    size_t k = d->cap192 - d->n192 < nout ? d->cap192 - d->n192 : nout;
    memcpy(d->x192 + d->n192, y, sizeof(float complex) * k);
    d->n192 += k;
  }
  return d->n192 < d->cap192 || (d->native && d->nnat < d->capnat);
}

/* The rest of the full-rate buffer, for the pipeline to read into. */
static float complex *dec_buffer(void *state, size_t *max) {
  lte_dec *d = state;
  if (!d->native || d->nnat >= d->capnat) return NULL;
  if (*max > d->capnat - d->nnat) *max = d->capnat - d->nnat;
  return d->native + d->nnat;
}

static void dec_set_gsmtap(void *state, cs_gsmtap *g) { ((lte_dec *)state)->gsmtap = g; }

/* An LTE RRC message as one GSMTAP v2 datagram: ARFCN field = EARFCN when it fits 14 bits,
 * frame number = SFN. */
static void gsmtap_lte(cs_gsmtap *g, int sub_type, const uint8_t *pdu, size_t len,
                       const cs_cell_record *r) {
  uint8_t b[GSMTAP_HDR_LEN + 256];
  int arfcn = r->earfcn >= 0 && r->earfcn < 0x4000 ? r->earfcn : 0;
  int snr = isfinite(r->sinr_db) ? (int)lround(r->sinr_db) : 0;
  size_t n = gsmtap_pack(b, sizeof b, GSMTAP_TYPE_LTE_RRC, arfcn, 0, 0, sub_type, 0,
                         r->sfn >= 0 ? (uint32_t)r->sfn : 0, 0, snr, pdu, len);
  if (n) cs_gsmtap_send(g, b, n);
}

static const char *ng_name(lte_phich_ng ng) {
  static const char *s[4] = {"1/6", "1/2", "1", "2"};
  return s[ng & 3];
}

static void sib1_to_record(const lte_sib1 *s, cs_cell_record *r) {
  r->n_plmns = s->n_plmn < CS_MAX_PLMNS ? s->n_plmn : CS_MAX_PLMNS;
  for (int i = 0; i < r->n_plmns; i++) {
    snprintf(r->plmns[i].mcc, sizeof r->plmns[i].mcc, "%s", s->plmn[i].mcc);
    snprintf(r->plmns[i].mnc, sizeof r->plmns[i].mnc, "%s", s->plmn[i].mnc);
  }
  if (r->n_plmns) r->plmn = r->plmns[0];
  r->tac = (int)s->tac;
  r->cell_identity = s->cell_identity;
  r->cell_barred = s->cell_barred;
  r->q_rxlevmin_dbm = s->q_rxlevmin_dbm;
  r->freq_band_indicator = s->freq_band_indicator;
  snprintf(r->band, sizeof r->band, "%d", s->freq_band_indicator);
  /* overlapping bands number the same frequency differently (739 MHz: EARFCN 5110 in band 12,
   * 5830 in band 17): the cell's own band decides */
  if (isfinite(r->freq_hz)) {
    int band;
    int earfcn = cs_lte_dl_hz_to_earfcn(r->freq_hz, s->freq_band_indicator, &band);
    if (earfcn >= 0 && band == s->freq_band_indicator) r->earfcn = earfcn;
  }
  snprintf(r->sib1_status, sizeof r->sib1_status, "decoded");
}

/* Why SIB1 did not decode, from the receiver's counters. */
static void sib1_why(const lte_sib1_rx q, cs_cell_record *r) {
  lte_sib1_rx_stats st;
  lte_sib1_rx_get_stats(q, &st);
  const char *why = !st.sib1_subframes ? "no SIB1 subframe in capture"
                    : !st.dci_found    ? "no SI-RNTI DCI found"
                    : st.uper_fail     ? "SIB1 message not decodable"
                                       : "transport block CRC failed";
  snprintf(r->sib1_status, sizeof r->sib1_status, "%s", why);
}

enum { FB_MEASURE = 1, FB_SIB1 = 2, FB_CANCEL = 4 };

/* The full-bandwidth pass over one cell at the recording's rate, subframe by subframe.
 * FB_MEASURE: the TS 36.214 measurements over the whole carrier; FB_SIB1: the SIB1 subframes
 * through the SIB1 receiver; FB_CANCEL: subtract the cell's significant REs from the samples
 * afterwards, so weaker co-channel cells are decoded without it. A pass can stop at a sample
 * (fb_run's until) and go on later: a chain of co-channel cells cancels each one only as far as
 * the weaker cells after it read. */
typedef struct {
  const lte_rx_cell *c;
  cs_cell_record *r;
  int what;
  lte_cellgrid g;
  lte_sib1_rx sib;          /* NULL without FB_SIB1 */
  int sib_ok;
  double delta;             /* the 1.92 Msps timing tied to this rate (input samples) */
  int j, sf, more;          /* the next subframe; whether frame j had any subframe inside */
  int finished;
  int cnt, used;
  double rsrp, nv, rssi;
} fb_pass;

/* Returns 0 (and p->g NULL) when the cell is wider than the captured bandwidth. delta: the
 * timing tie an earlier pass of this cell found, or NULL to find it here. */
static int fb_open(lte_dec *d, fb_pass *p, const lte_rx_cell *c, cs_cell_record *r, int what,
                   const double *delta) {
  memset(p, 0, sizeof *p);
  p->c = c;
  p->r = r;
  p->what = what;
  if (!d->native || d->nfft < (unsigned)(12 * c->cell.n_prb + 1)) return 0;
  p->g = lte_cellgrid_create(d->nfft, &c->cell);
  p->sib = (what & FB_SIB1) ? lte_sib1_rx_create(&c->cell) : NULL;
  if (!p->g || ((what & FB_SIB1) && !p->sib)) {
    lte_cellgrid_destroy(p->g);
    lte_sib1_rx_destroy(p->sib);
    p->g = NULL;
    p->sib = NULL;
    return 0;
  }
  if (delta) {
    p->delta = *delta;
    return 1;
  }
  const double R = d->fs / 1.92e6;
  const double D = d->delay; /* input samples */
  const int radius = (int)R + 3 + (d->rs ? (int)(R * RS_M) : 0); /* resamp delay is approximate */
  const double cfo = c->cfo_hz / d->fs;
  const double poff = lte_pss_offset(c->cell.tdd, c->cell.cp_extended);
  /* tie the 1.92 Msps timing to this rate with the PSS, averaged over a few frames */
  double sum = 0, wsum = 0;
  for (int j = 0; j < c->n_frames && j < 8; j++) {
    double guess = (lte_rx_subframe_start(c, j, 0) + poff) * R - D;
    float qual = 0;
    double t = lte_cellgrid_pss_refine(p->g, d->native, d->nnat, guess, cfo, radius, &qual);
    if (!isfinite(t)) continue;
    sum += qual * (t - guess);
    wsum += qual;
  }
  p->delta = wsum > 0 ? sum / wsum : 0.0;
  return 1;
}

/* Process the pass's subframes that end before input sample until; returns 1 when it stopped
 * there with subframes still to do, 0 when the pass is finished. */
static int fb_run(lte_dec *d, fb_pass *p, double until) {
  const lte_rx_cell *c = p->c;
  const double R = d->fs / 1.92e6, D = d->delay, sf_len = d->fs * 1e-3;
  const double cfo = c->cfo_hz / d->fs;
  while (!p->finished) {
    const int measure = (p->what & FB_MEASURE) != 0, cancel = (p->what & FB_CANCEL) != 0;
    if (p->sf == 10) { /* frame j done */
      /* 200 ms of measurements is plenty; SIB1 and cancellation may want more */
      if (!p->more || ((!measure || p->cnt >= MEAS_SUBFRAMES) && !cancel && (!p->sib || p->sib_ok))) {
        p->finished = 1;
        break;
      }
      p->j++;
      p->sf = 0;
      p->more = 0;
    }
    const int sf = p->sf;
    if (c->cell.tdd && sf != 0 && sf != 5) { p->sf++; continue; } /* always downlink in TDD */
    double t0 = lte_rx_subframe_start(c, p->j, sf) * R - D + p->delta;
    if (t0 + sf_len > (double)d->nnat) { p->sf++; continue; }
    if (t0 + sf_len > until) return 1;
    p->more = 1;
    p->sf++;
    int sfn = (c->cell.sfn + p->j) % 1024;
    int sib1_sf = sf == 5 && sfn % 2 == 0; /* SIB1: subframe 5 of even SFNs (TS 36.331 5.2.1.2) */
    /* demodulated only when measured, cancelled or a SIB1 still to decode; only the RS
     * symbols when just measured */
    const int meas_sf = measure && p->cnt < MEAS_SUBFRAMES, sib_sf = p->sib && !p->sib_ok && sib1_sf;
    if (!meas_sf && !cancel && !sib_sf) continue;
    lte_subframe_grid grid;
    lte_cellgrid_meas m;
    const int whole = cancel || sib_sf;
    if (whole ? !lte_cellgrid_subframe(p->g, d->native, d->nnat, t0, cfo, sf, sfn, &grid, &m)
              : !lte_cellgrid_measure(p->g, d->native, d->nnat, t0, cfo, sf, &m))
      continue;
    p->used++;
    if (sib_sf && lte_sib1_rx_execute(p->sib, &grid) == 1) {
      p->sib_ok = 1;
      sib1_to_record(lte_sib1_rx_result(p->sib), p->r);
      size_t len;
      const uint8_t *pdu = lte_sib1_rx_pdu(p->sib, &len);
      if (d->gsmtap && pdu) gsmtap_lte(d->gsmtap, GSMTAP_LTE_RRC_BCCH_DL_SCH, pdu, len, p->r);
    }
    /* measured before this subframe is cancelled: the grid holds every cell's signal */
    if (meas_sf) {
      p->rsrp += m.crs.rsrp;
      p->nv += m.crs.noise_var;
      p->rssi += m.rssi;
      p->cnt++;
    }
    if (cancel) lte_cellgrid_cancel(p->g, d->native, d->nnat, t0, cfo, CANCEL_SNR * m.crs.noise_var);
  }
  return 0;
}

/* Finish the pass: the measurements and SIB1 status into the record. Returns 0 when no subframe
 * could be used (the cell is wider than the recording, or not in it at this rate). */
static int fb_close(fb_pass *p) {
  cs_cell_record *r = p->r;
  if (p->sib && !p->sib_ok) sib1_why(p->sib, r);
  lte_cellgrid_destroy(p->g);
  lte_sib1_rx_destroy(p->sib);
  p->g = NULL;
  p->sib = NULL;
  if (!p->used) return 0;
  if ((p->what & FB_MEASURE) && p->cnt) {
    double rsrp = p->rsrp / p->cnt, nv = p->nv / p->cnt, rssi = p->rssi / p->cnt;
    r->rsrp_dbfs = 10 * log10(rsrp > 0 ? rsrp : 1e-20);
    r->rssi_dbfs = 10 * log10(rssi > 0 ? rssi : 1e-20);
    r->rsrq_db = 10 * log10(p->c->cell.n_prb * (rsrp > 0 ? rsrp : 1e-20) / (rssi > 0 ? rssi : 1e-20));
    r->sinr_db = 10 * log10((rsrp > 0 ? rsrp : 1e-20) / (nv > 0 ? nv : 1e-20));
  }
  return 1;
}

/* One cell's whole pass. Returns 0 when the cell is wider than the captured bandwidth; *delta
 * (may be NULL) gets the timing tie. */
static int full_band(lte_dec *d, const lte_rx_cell *c, cs_cell_record *r, int what, double *delta) {
  fb_pass p;
  if (!fb_open(d, &p, c, r, what, NULL)) return 0;
  if (delta) *delta = p.delta;
  fb_run(d, &p, INFINITY);
  return fb_close(&p);
}

/* Co-channel cells (strongest first): the strongest measured, its SIB1 decoded and itself
 * cancelled, then SIB1 of each next cell, each cancelled before the next. A cell is cancelled
 * only as far as a weaker one still reads: the passes advance together to a horizon that grows
 * by a SIB1 period at a time, each a little behind the one before it (so that it reads only
 * samples every stronger cell has been cancelled from), and a cell's cancellation stops once no
 * weaker cell still wants its SIB1. The weaker cells keep the timing tie of their measurement
 * pass (delta[i]), made on the samples as received. Returns whether the strongest cell had a
 * full-band pass (the others were measured before). */
static int chain(lte_dec *d, int n, cs_cell_record *rec, const int *full, const double *delta) {
  fb_pass P[LTE_RX_MAX_CELLS];
  const double guard = 2e-3 * d->fs, step = 20e-3 * d->fs; /* 2 ms; a SIB1 period */
  if (!fb_open(d, &P[0], &d->cells[0], &rec[0], FB_MEASURE | FB_SIB1 | FB_CANCEL, NULL)) return 0;
  for (int i = 1; i < n; i++) {
    P[i] = (fb_pass){0};
    /* a cell without a full-band measurement (wider than the recording) has no SIB1 here */
    if (!full[i] || !fb_open(d, &P[i], &d->cells[i], &rec[i], FB_SIB1 | (i + 1 < n ? FB_CANCEL : 0), &delta[i]))
      P[i].finished = 1;
  }
  int busy = 1;
  for (double horizon = step; busy; horizon += step) {
    busy = 0;
    for (int i = 0; i < n; i++) {
      /* cancelled only while a weaker cell still reads */
      int later_reads = 0;
      for (int k = i + 1; k < n; k++) later_reads |= !P[k].finished && P[k].sib && !P[k].sib_ok;
      if (!later_reads) P[i].what &= ~FB_CANCEL;
      busy |= fb_run(d, &P[i], horizon >= (double)d->nnat ? INFINITY : horizon - i * guard);
    }
  }
  for (int i = 0; i < n; i++) fb_close(&P[i]);
  return P[0].used > 0;
}

/* The first band of the cell's duplex mode whose downlink holds freq (2645 MHz is band 7 for an
 * FDD cell, band 41 for a TDD one); 0 if none. */
static int band_hint(double freq, int tdd) {
  int n;
  const cs_lte_band_info *b = cs_lte_bands(&n);
  double mhz = freq / 1e6;
  for (int i = 0; i < n; i++) {
    double hi = b[i].f_dl_low_mhz + 0.1 * (b[i].n_dl_last - b[i].n_dl_first + 1);
    if (b[i].tdd == tdd && mhz >= b[i].f_dl_low_mhz && mhz < hi) return b[i].band;
  }
  return 0;
}

static int by_rsrp(const void *a, const void *b) {
  float x = ((const lte_rx_cell *)a)->rsrp, y = ((const lte_rx_cell *)b)->rsrp;
  return (x < y) - (x > y);
}

/* When full_band could not run (the carrier is wider than the recording, or the rate has no
 * whole FFT size): the measurements over the central 6 PRB from the 1.92 Msps part. */
static void measured_fallback(const lte_dec *d, const lte_rx_cell *c, cs_cell_record *r) {
  double rsrp = c->rsrp > 0 ? c->rsrp : 1e-20, rssi = c->rssi > 0 ? c->rssi : 1e-20;
  r->rsrp_dbfs = 10 * log10(rsrp);
  r->rssi_dbfs = 10 * log10(rssi);
  r->rsrq_db = 10 * log10(6 * rsrp / rssi);
  r->sinr_db = 10 * log10(rsrp / (c->noise_var > 0 ? c->noise_var : 1e-20));
  snprintf(r->sib1_status, sizeof r->sib1_status, "%s",
           !d->nfft ? "sample rate not a multiple of 15 kHz" : "outside captured bandwidth");
}

static void dec_finish(void *state, const cs_cell_record *base, cs_record_sink sink, void *ctx) {
  lte_dec *d = state;
  int n = lte_rx_execute(d->rx, d->x192, d->n192, d->cells, LTE_RX_MAX_CELLS);
  qsort(d->cells, (size_t)n, sizeof *d->cells, by_rsrp); /* strongest first */
  cs_cell_record *rec = d->recs;
  int full[LTE_RX_MAX_CELLS];
  double delta[LTE_RX_MAX_CELLS]; /* the timing tie of each cell's measurement pass */
  for (int i = 0; i < n; i++) {
    const lte_rx_cell *c = &d->cells[i];
    cs_cell_record *r = &rec[i];
    *r = *base;
    r->rat = CS_RAT_LTE;
    snprintf(r->duplex, sizeof r->duplex, "%s", c->cell.tdd ? "TDD" : "FDD");
    r->freq_hz = d->center > 0 ? d->center : NAN;
    int band = 0;
    int hint = d->user_band > 0 ? d->user_band : band_hint(d->center, c->cell.tdd);
    if (d->center > 0) r->earfcn = cs_lte_dl_hz_to_earfcn(d->center, hint, &band);
    if (r->earfcn >= 0) snprintf(r->band, sizeof r->band, "%d", band);
    r->pci = c->cell.pci;
    r->n_prb = c->cell.n_prb;
    r->ports = c->cell.ports;
    snprintf(r->cp, sizeof r->cp, "%s", c->cell.cp_extended ? "extended" : "normal");
    snprintf(r->phich_duration, sizeof r->phich_duration, "%s",
             c->cell.phich_extended ? "extended" : "normal");
    snprintf(r->phich_resource, sizeof r->phich_resource, "%s", ng_name(c->cell.ng));
    r->sfn = c->cell.sfn;
    r->cfo_hz = c->cfo_hz;
    r->cfo_ppm = d->center > 0 ? c->cfo_hz / d->center * 1e6 : NAN;
    r->decode_count = c->mib_count;
    if (d->gsmtap) { /* BCCH-BCH-Message: the 24 MIB bits in 3 bytes */
      uint8_t mib[3] = {0};
      for (int b = 0; b < 24; b++) mib[b / 8] |= (uint8_t)(c->mib[b] << (7 - b % 8));
      gsmtap_lte(d->gsmtap, GSMTAP_LTE_RRC_BCCH_BCH, mib, 3, r);
    }
    /* one cell: one pass; several: the others measured on the untouched samples first (RSSI
     * counts every cell), then the chain of SIB1 decodes and cancellations */
    if (n == 1) full[i] = full_band(d, c, r, FB_MEASURE | FB_SIB1, NULL);
    else if (i > 0) full[i] = full_band(d, c, r, FB_MEASURE, &delta[i]);
    else continue; /* after the others */
    if (!full[i]) measured_fallback(d, c, r);
  }
  if (n > 1 && !chain(d, n, rec, full, delta)) measured_fallback(d, &d->cells[0], &rec[0]);
  for (int i = 0; i < n; i++) sink(ctx, &rec[i]);
}

const cs_decoder cs_decoder_lte = {
    .name = "lte",
    .create = dec_create,
    .start = dec_start,
    .execute = dec_execute,
    .buffer = dec_buffer,
    .finish = dec_finish,
    .destroy = dec_destroy,
    .set_gsmtap = dec_set_gsmtap,
};
