/* decode_gsm.c: the pipeline's GSM decoder. create() takes every GSM channel of the segment that
 * the spectrum shows occupied (band from --band or from the frequencies), runs one gsm_rx per
 * candidate on the same sample blocks (one pass over the capture for all carriers), feeds the
 * decoded blocks to the System Information parsers and to GSMTAP, and finish() reports one record
 * per carrier whose SCH decoded (a carrier without SCH is not a cell). The carrier table, the
 * receivers and the down-converter prototype are kept from segment to segment (a scan's dwells):
 * a receiver is reset for its next channel, a new one made only when a segment has more
 * candidates than any before or the sample rate changes. */
#include "decode_gsm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/bands.h"
#include "gsm/gsm_const.h"
#include "gsm/gsm_rx.h"
#include "gsm/gsm_rxlev.h"
#include "gsm/gsm_si.h"
#include "gsmtap.h"

#define OCCUPIED_RATIO 2.0 /* channel power at least 3 dB above the noise in 200 kHz */
#define ADJACENT_RATIO 4.0 /* 6 dB */
#define GMSK_SHAPE_DB 2.0
#define MAX_CARRIERS 512
#define CHANNEL_HZ 200e3 /* GSM channel spacing, TS 45.005 2 */

typedef struct {
  cs_gsm_band band;
  int arfcn;
  double freq_hz, power_dbfs;
  gsm_rx rx;
  gsm_si_cell si;
  cs_gsmtap *gsmtap; /* --gsmtap destination or NULL */
} carrier;

typedef struct {
  carrier *c;          /* MAX_CARRIERS; the first n are this segment's candidates */
  int n;
  int nrx;             /* c[0..nrx-1].rx exist (kept from earlier segments) */
  gsm_ddc_proto proto; /* for the current rate, made on the first candidate */
} gsm_dec;

/* Only System Information leaves the process: CCCH blocks also carry Paging Requests with
 * subscriber identities (IMSI/TMSI, TS 44.018 9.1.22-9.1.24) and assignments, which cellsurvey
 * never stores, prints or forwards (docs/security.md). */
static int is_system_information(int mt) {
  return mt == GSM_MT_SI1 || mt == GSM_MT_SI2 || mt == GSM_MT_SI2BIS || mt == GSM_MT_SI2TER ||
         mt == GSM_MT_SI2QUATER || mt == GSM_MT_SI3 || mt == GSM_MT_SI4 || mt == GSM_MT_SI13;
}

static void on_block(void *ctx, const gsm_block *b) {
  carrier *c = ctx;
  int mt = gsm_si_parse(&c->si, b->l2, sizeof b->l2);
  if (c->gsmtap && is_system_information(mt)) {
    uint8_t pkt[GSMTAP_HDR_LEN + 23];
    gsm_rx_stats st;
    gsm_rx_get_stats(c->rx, &st);
    int sub, chan = gsmtap_ts0_channel(b->block, c->si.ccch_conf, b->fn, &sub);
    size_t n = gsmtap_pack(pkt, sizeof pkt, GSMTAP_TYPE_UM, c->arfcn, c->band == CS_PCS1900, 0, chan, sub, b->fn,
                           (int)lround(c->power_dbfs), isfinite(st.snr_db) ? (int)lround(st.snr_db) : 0,
                           b->l2, sizeof b->l2);
    cs_gsmtap_send(c->gsmtap, pkt, n);
  }
}

static void destroy(void *state) {
  gsm_dec *d = state;
  if (!d) return;
  for (int i = 0; i < d->nrx; i++) gsm_rx_destroy(d->c[i].rx);
  gsm_ddc_proto_destroy(d->proto);
  free(d->c);
  free(d);
}

static void *create(void) {
  gsm_dec *d = calloc(1, sizeof *d);
  if (d && !(d->c = calloc(MAX_CARRIERS, sizeof *d->c))) { free(d); d = NULL; }
  return d;
}

/* The receiver of candidate slot k on the channel at off: the slot's own, reset, or a new one. */
static int tune_rx(gsm_dec *d, int k, double off) {
  carrier *c = &d->c[k];
  if (k < d->nrx && gsm_rx_reset(c->rx, d->proto, off, on_block, c)) return 1;
  gsm_rx rx = gsm_rx_create(d->proto, off, on_block, c);
  if (!rx) return 0;
  if (k < d->nrx) gsm_rx_destroy(c->rx);
  else d->nrx++;
  c->rx = rx;
  return 1;
}

/* Power density (noise removed) in [lo, hi] Hz from the centre. */
static double density(const cs_spectrum *spec, double nd, double lo, double hi) {
  return (cs_spectrum_band_power(spec, lo, hi) - nd * (hi - lo)) / (hi - lo);
}

/* How GMSK-shaped the spectrum around off is: the centre 80 kHz against each 40 kHz edge at
 * 60..100 kHz, the weaker side, best over carrier offsets up to 25 kHz, in dB. A GMSK carrier
 * gives about 4 dB, the flat inside of an LTE or other wideband signal about 0 dB. */
static double gmsk_shape_db(const cs_spectrum *spec, double off) {
  double nd = spec->noise_per_bin / (spec->sample_rate / spec->nfft), best = -99.0;
  for (double sh = -25e3; sh <= 25e3; sh += 12.5e3) {
    double f = off + sh;
    double c = density(spec, nd, f - 40e3, f + 40e3);
    double l = density(spec, nd, f - 100e3, f - 60e3), r = density(spec, nd, f + 60e3, f + 100e3);
    double e = fmax(fmax(l, r), 1e-30 * fabs(c) + 1e-300);
    if (c > 0) best = fmax(best, 10.0 * log10(c / e));
  }
  return best;
}

/* Power centroid (noise removed) of the spectrum in [lo, hi] Hz from the centre. */
static double centroid(const cs_spectrum *spec, double lo, double hi) {
  double df = spec->sample_rate / spec->nfft, sw = 0.0, swf = 0.0;
  for (unsigned i = 0; i < spec->nfft; i++) {
    double f = ((double)i - spec->nfft / 2.0) * df, w = spec->bins[i] - spec->noise_per_bin;
    if (f >= lo && f <= hi && w > 0) { sw += w; swf += w * f; }
  }
  return sw > 0 ? swf / sw : 0.5 * (lo + hi);
}

/* A channel at off weaker than its neighbour on side (-1 / +1) by more than ADJACENT_RATIO: is
 * it more than that neighbour's GMSK skirt? A GMSK spectrum is symmetric about its carrier, so
 * the skirt it puts into this channel is what it puts into the mirror channel on its other side
 * (taken about the neighbour's measured centre, which may be up to 25 kHz off). A real carrier
 * fills the centre 80 kHz with at least the noise density and 6 dB more than the mirror holds.
 * *skirt: the neighbour's power in this 200 kHz (the mirror's, noise removed). */
static int beside_strong(const cs_spectrum *spec, double off, int side, double *skirt) {
  const double fs = spec->sample_rate, nd = spec->noise_per_bin / (fs / spec->nfft);
  double s0 = off + side * CHANNEL_HZ, sc = centroid(spec, s0 - 80e3, s0 + 80e3);
  double m = 2.0 * sc - off; /* mirror of this channel about the neighbour */
  if (fabs(m) + 100e3 > 0.45 * fs) return 0;
  double c = density(spec, nd, off - 40e3, off + 40e3), cm = density(spec, nd, m - 40e3, m + 40e3);
  if (!(c > nd && c > ADJACENT_RATIO * fmax(cm, 0.0))) return 0;
  *skirt = fmax(cs_spectrum_band_power(spec, m - 100e3, m + 100e3) - cs_spectrum_noise_power(spec, 200e3), 0.0);
  return 1;
}

static int start(void *state, const cs_spectrum *spec, const cs_pipeline_opts *o, cs_err *err) {
  gsm_dec *d = state;
  const char *band_hint = o->band_hint;
  static const cs_gsm_band all[] = {CS_RGSM900, CS_DCS1800, CS_GSM850, CS_PCS1900, CS_GSM450, CS_GSM480};
  const double fs = spec->sample_rate, fc = spec->center_hz;
  d->n = 0;
  if (fs < 400e3 || fc <= 0) return 0;
  cs_gsm_band hint = band_hint ? cs_gsm_band_parse(band_hint) : CS_GSM_NONE;
  const cs_gsm_band *bands = hint != CS_GSM_NONE ? &hint : all;
  int nbands = hint != CS_GSM_NONE ? 1 : (int)(sizeof all / sizeof *all);
  const double noise = cs_spectrum_noise_power(spec, 200e3);
  for (int b = 0; b < nbands; b++) {
    int r[4];
    cs_gsm_band_arfcns(bands[b], &r[0], &r[1], &r[2], &r[3]);
    for (int k = 0; k < 4; k += 2)
      for (int a = r[k]; r[k] >= 0 && a <= r[k + 1] && d->n < MAX_CARRIERS; a++) {
        double f = cs_gsm_arfcn_to_dl_hz(bands[b], a), off = f - fc;
        if (fabs(off) + 100e3 > 0.45 * fs) continue;
        double p = cs_spectrum_band_power(spec, off - 100e3, off + 100e3);
        if (!(p > OCCUPIED_RATIO * noise)) continue;
        /* GMSK leaks about 15 dB below a carrier into each neighbouring channel: a channel
         * weaker than a neighbour by more than ADJACENT_RATIO is that leakage, unless its
         * centre holds more than the neighbour's skirt (a weaker carrier beside a strong one;
         * like every candidate it is a cell only once its SCH decodes) */
        double pl = cs_spectrum_band_power(spec, off - 300e3, off - 100e3);
        double pr = cs_spectrum_band_power(spec, off + 100e3, off + 300e3), skirt = 0.0;
        if (p * ADJACENT_RATIO < fmax(pl, pr) && !beside_strong(spec, off, pl > pr ? -1 : 1, &skirt)) continue;
        /* inside a wide signal (both neighbours as strong): only a GMSK-shaped channel */
        if (pl * ADJACENT_RATIO > p && pr * ADJACENT_RATIO > p && gmsk_shape_db(spec, off) < GMSK_SHAPE_DB) continue;
        /* designed on the first candidate (most LTE segments have none), kept while the rate stays */
        if (!d->proto || gsm_ddc_proto_rate(d->proto) != fs) {
          gsm_ddc_proto_destroy(d->proto);
          if (!(d->proto = gsm_ddc_proto_create(fs))) { cs_fail(err, CS_ERR_ENV, "out of memory"); return -1; }
        }
        carrier *c = &d->c[d->n];
        gsm_si_init(&c->si);
        c->band = bands[b];
        c->arfcn = a;
        c->freq_hz = f;
        c->power_dbfs = 10.0 * log10(fmax(p - noise - skirt, 1e-30)); /* carrier power, noise (and a strong neighbour's skirt) removed */
        if (!tune_rx(d, d->n, off)) { d->n = 0; cs_fail(err, CS_ERR_ENV, "out of memory"); return -1; }
        d->n++;
      }
  }
  return d->n > 0;
}

static int execute(void *state, const float complex *x, size_t n, const cs_block_info *info) {
  gsm_dec *d = state;
  for (int i = 0; i < d->n; i++) gsm_rx_execute(d->c[i].rx, x, n);
  return 1; /* the whole segment: more bursts, more System Information */
}

/* Same frame timing: frame numbers and burst positions agree (independent base stations are
 * never aligned to the same FN at the same instant; an image or spur of a carrier always is). */
static int same_timing(const gsm_rx_stats *a, const gsm_rx_stats *b) {
  if (a->sync_pos < 0 || b->sync_pos < 0) return 0;
  int64_t dfn = ((int64_t)b->sync_fn - a->sync_fn) % GSM_HYPERFRAME;
  if (dfn > GSM_HYPERFRAME / 2) dfn -= GSM_HYPERFRAME;
  if (dfn < -GSM_HYPERFRAME / 2) dfn += GSM_HYPERFRAME;
  int64_t expect = a->sync_pos + dfn * GSM_FRAME_SAMPLES;
  return llabs(b->sync_pos - expect) <= 16;
}

/* Same cell seen on another channel: an image, spur or leakage of a stronger carrier (a cell has
 * one BCCH carrier): same BSIC and either the same frame timing or the same global cell identity. */
static int is_copy(const carrier *c, const gsm_rx_stats *sc, const carrier *o, const gsm_rx_stats *so) {
  if (sc->bsic != so->bsic || o->power_dbfs < c->power_dbfs) return 0;
  if (o->power_dbfs == c->power_dbfs && o < c) return 0; /* equal power: keep the first */
  const gsm_si_cell *a = &c->si, *b = &o->si;
  int same_cgi = a->cell_id >= 0 && a->cell_id == b->cell_id && a->lac == b->lac && !strcmp(a->mcc, b->mcc) &&
                 !strcmp(a->mnc, b->mnc);
  return same_cgi || same_timing(sc, so);
}

/* SI2quater neighbours into the record (as many as it holds). */
static void si2quater_to_record(const gsm_si_cell *si, cs_cell_record *r) {
  r->n_utran = 0;
  for (int i = 0; i < si->n_utran && r->n_utran < CS_MAX_UTRAN; i++) {
    cs_utran_neighbour *u = &r->utran[r->n_utran++];
    u->uarfcn = si->utran[i].uarfcn;
    u->n_sc = 0;
    for (int x = 0; x < 512 && u->n_sc < CS_MAX_UTRAN_SC; x++)
      if ((si->utran[i].sc[x >> 3] >> (x & 7)) & 1) u->sc[u->n_sc++] = (int16_t)x;
  }
  r->n_eutran = 0;
  for (int i = 0; i < si->n_eutran && r->n_eutran < CS_MAX_EUTRAN; i++) {
    const gsm_eutran_nb *e = &si->eutran[i];
    r->eutran[r->n_eutran++] = (cs_eutran_neighbour){e->earfcn, e->meas_bw_prb, e->priority, e->thresh_high,
                                                     e->thresh_low, e->qrxlevmin};
  }
}

static void finish(void *state, const cs_cell_record *base, cs_record_sink sink, void *ctx) {
  gsm_dec *d = state;
  for (int i = 0; i < d->n; i++) {
    carrier *c = &d->c[i];
    gsm_rx_stats st;
    gsm_rx_get_stats(c->rx, &st);
    if (st.bsic < 0) continue; /* no SCH: not a cell */
    int copy = 0;
    for (int j = 0; j < d->n && !copy; j++) {
      gsm_rx_stats so;
      if (j == i) continue;
      gsm_rx_get_stats(d->c[j].rx, &so);
      copy = so.bsic >= 0 && is_copy(c, &st, &d->c[j], &so);
    }
    if (copy) continue;
    cs_cell_record r = *base;
    r.rat = CS_RAT_GSM;
    snprintf(r.band, sizeof r.band, "%s", cs_gsm_band_name(c->band));
    r.arfcn = c->arfcn;
    r.freq_hz = c->freq_hz;
    r.bsic = st.bsic;
    const gsm_si_cell *si = &c->si;
    if (si->mcc[0]) {
      memcpy(r.plmn.mcc, si->mcc, sizeof r.plmn.mcc);
      memcpy(r.plmn.mnc, si->mnc, sizeof r.plmn.mnc);
    }
    r.lac = si->lac;
    r.cell_id = si->cell_id;
    if (gsm_si_has_neighbours(si)) r.n_neighbours = gsm_si_neighbours(si, r.neighbours, CS_MAX_NEIGHBOURS);
    if (r.n_neighbours > CS_MAX_NEIGHBOURS) r.n_neighbours = CS_MAX_NEIGHBOURS;
    r.si_seen = si->si_seen;
    r.gprs = si->gprs;
    r.rac = si->rac;
    r.nmo = si->nmo;
    if (si->si_seen & GSM_SEEN_SI2QUATER) si2quater_to_record(si, &r);
    r.cell_barred = si->cell_barred;
    r.power_dbfs = c->power_dbfs;
    if (r.calibrated && isfinite(r.power_dbm)) r.rxlev = gsm_rxlev(r.power_dbm);
    r.snr_db = st.snr_db;
    r.cfo_hz = st.cfo_hz;
    r.cfo_ppm = st.cfo_hz / c->freq_hz * 1e6;
    r.decode_count = (int)st.blocks_ok;
    sink(ctx, &r);
  }
}

static void set_gsmtap(void *state, cs_gsmtap *g) {
  gsm_dec *d = state;
  for (int i = 0; i < d->n; i++) d->c[i].gsmtap = g;
}

const cs_decoder cs_decoder_gsm = {
    .name = "gsm", .needs_spectrum = 1, .create = create, .start = start, .execute = execute, .finish = finish, .destroy = destroy,
    .set_gsmtap = set_gsmtap,
};
