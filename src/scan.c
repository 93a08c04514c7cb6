/* scan.c: the band-scan planner (see scan.h): band list, sweep steps, dwells held in a memory
 * source, the pipeline over each dwell, step diagnostics, and riding out a vanished device. */
#include "scan.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cellsurvey/calibration.h"
#include "cellsurvey/memsource.h"
#include "cellsurvey/soapy.h"
#include "raster.h"
#include "cellsurvey/clock.h"

#define MAX_ROWS 1024
#define MAX_SEEN 4096
#define MAX_STEP_LTE 16
#define MAX_STEP_GSM 256
#define MAX_LTE 64
#define MAX_STEPS 128
#define GSM_CH_HZ 200e3

typedef struct {
  cs_rat rat;
  int channel, local_id; /* (ARFCN, BSIC) or (EARFCN, PCI) */
  char band[16];
} seen_key;

typedef struct {
  cs_cell_record r;
  cs_gps_fix fix;       /* the fix stamped on it */
  int step;
} held_rec;

typedef struct {
  cs_channel ch;
  int band_idx, step;  /* where it was found */
  int decoded;
} lte_carrier;

typedef struct {
  cs_scan_step diag;
  double gsm_hz[MAX_STEP_GSM]; /* occupied GSM channels */
  int n_gsm;
  int cells;
  int earlier;                 /* its carriers already decoded from an earlier band */
} step_state;

struct cs_scan {
  cs_scan_opts o;
  cs_source *src, *mem;
  cs_pipeline pipe;            /* kept across dwells: decoders, buffers, FFTW plans */
  double *raster_tmp;          /* cs_raster_lte's working space, raster_len doubles */
  unsigned raster_len;
  cs_scan_radio radio;
  double rate, usable;
  cs_channel *rows;
  seen_key *seen;
  int n_seen;
  lte_carrier lte[MAX_LTE];   /* carriers found this sweep */
  int n_lte;
  double gsm_done[MAX_SEEN];  /* GSM channels decoded this sweep (Hz) */
  int n_gsm_done;
  int cells, gaps;
  step_state steps[MAX_STEPS];
  int cur, n_cur_steps, cur_band;
  cs_gps_fix fix;             /* the fix stamped on the current dwell's records */
  held_rec *held;             /* the band's records, delivered when it is swept */
  int n_held, cap_held;
  cs_gps_fix deliver_fix;     /* the fix of the record being delivered */
  cs_calibration *cal;        /* oscillator and power calibration, NULL when unreadable */
  double t_device, t_process; /* seconds in tune+capture, in the pipeline (this sweep) */
  double t_signal;            /* seconds of signal captured (this sweep) */
  cs_hotplug *hp;             /* libusb watcher (USB SDR, native hotplug), else NULL */
  char usb_driver[16];        /* hotplug driver key of the device ("hackrf", ...); "": not USB */
  int usb_n, usb_bound;       /* SDRs of that kind present; 1 when the device's USB id is known */
  cs_usb_id usb_id;
  atomic_int usb_left, usb_back; /* the device left / one of its kind arrived */
};

static void logf_(cs_scan *s, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void logf_(cs_scan *s, int level, const char *fmt, ...) {
  if (!s->o.on_log) return;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  s->o.on_log(s->o.ctx, level, msg);
}

static int stopped(const cs_scan *s) { return s->o.stop && *s->o.stop; }

/* ---- bands ---- */

cs_status cs_scan_parse_bands(const char *list, cs_scan_band *bands, int max, int *n, cs_err *err) {
  *n = 0;
  char buf[512];
  if (!list || !*list) return cs_fail(err, CS_ERR_INPUT, "--bands: empty band list");
  if (strlen(list) >= sizeof buf) return cs_fail(err, CS_ERR_INPUT, "--bands: list too long");
  strcpy(buf, list);
  for (char *save = NULL, *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
    if (*n == max) return cs_fail(err, CS_ERR_INPUT, "--bands: more than %d bands", max);
    cs_scan_band b;
    memset(&b, 0, sizeof b);
    if (strlen(tok) >= sizeof b.name) return cs_fail(err, CS_ERR_INPUT, "--bands: unknown band '%s'", tok);
    for (size_t i = 0; tok[i]; i++) b.name[i] = (char)tolower((unsigned char)tok[i]);
    if (!strncmp(b.name, "lte", 3)) {
      char *end;
      long num = strtol(b.name + 3, &end, 10);
      const cs_lte_band_info *li = b.name[3] && !*end ? cs_lte_band((int)num) : NULL;
      if (!li) return cs_fail(err, CS_ERR_INPUT, "--bands: unknown E-UTRA band '%s' (lte1, lte3, lte7, lte20, ...)", tok);
      b.rat = CS_RAT_LTE;
      b.lte_band = li->band;
      b.tdd = li->tdd;
      b.lo_hz = li->f_dl_low_mhz * 1e6;
      b.hi_hz = (li->f_dl_low_mhz + 0.1 * (li->n_dl_last - li->n_dl_first + 1)) * 1e6;
    } else {
      cs_gsm_band g = cs_gsm_band_parse(b.name);
      if (g == CS_GSM_NONE)
        return cs_fail(err, CS_ERR_INPUT, "--bands: unknown band '%s' (gsm850, pgsm900, egsm900, dcs1800, pcs1900, lte<N>)", tok);
      int f1, l1, f2, l2;
      cs_gsm_band_arfcns(g, &f1, &l1, &f2, &l2);
      double lo = INFINITY, hi = -INFINITY;
      int ends[4] = {f1, l1, f2, l2};
      for (int i = 0; i < 4; i++) {
        double f = ends[i] >= 0 ? cs_gsm_arfcn_to_dl_hz(g, ends[i]) : 0;
        if (f > 0) { lo = fmin(lo, f); hi = fmax(hi, f); }
      }
      if (!(hi > 0)) return cs_fail(err, CS_ERR_INPUT, "--bands: band '%s' has no channels", tok);
      b.rat = CS_RAT_GSM;
      b.gsm_band = g;
      b.lo_hz = lo - GSM_CH_HZ / 2;
      b.hi_hz = hi + GSM_CH_HZ / 2;
    }
    bands[(*n)++] = b;
  }
  if (*n == 0) return cs_fail(err, CS_ERR_INPUT, "--bands: empty band list"); /* " , " (fuzz) */
  return CS_OK;
}

/* ---- steps ---- */

/* GSM sweeps overlap by one channel so every 200 kHz channel lies whole inside some step; LTE
 * sweeps overlap by half a step so a carrier up to half the usable width is whole in one. */
static double step_spacing(const cs_scan *s, const cs_scan_band *b) {
  return b->rat == CS_RAT_GSM ? s->usable - GSM_CH_HZ : s->usable / 2;
}

int cs_scan_band_steps(const cs_scan *s, const cs_scan_band *b) {
  double span = b->hi_hz - b->lo_hz;
  if (span <= s->usable) return 1;
  return 1 + (int)ceil((span - s->usable) / step_spacing(s, b) - 1e-9);
}

double cs_scan_step_center(const cs_scan *s, const cs_scan_band *b, int i) {
  int n = cs_scan_band_steps(s, b);
  if (n == 1) return (b->lo_hz + b->hi_hz) / 2;
  double first = b->lo_hz + s->usable / 2, last = b->hi_hz - s->usable / 2;
  return first + (last - first) * i / (n - 1);
}

/* Standard LTE rate for a carrier (TS 36.104 channel bandwidths), capped at the device. */
static double lte_rate(const cs_scan *s, int n_prb) {
  double r = n_prb <= 6 ? 1.92e6 : n_prb <= 15 ? 3.84e6 : n_prb <= 25 ? 7.68e6 : n_prb <= 50 ? 15.36e6
           : n_prb <= 75 ? 23.04e6 : 30.72e6;
  return fmin(r, s->radio.max_rate);
}

/* ---- device ---- */

static cs_status soapy_open(void *ctx, const char *args, cs_source **src, cs_scan_radio *radio, cs_err *err) {
  cs_status st = cs_soapy_open(args, NULL, src, err);
  if (st) return st;
  const cs_soapy_info *in = cs_soapy_get_info(*src);
  radio->max_rate = in->max_rate;
  radio->adc_bits = in->adc_bits;
  radio->usable_frac = in->usable_bw_frac;
  snprintf(radio->label, sizeof radio->label, "%s", in->label);
  snprintf(radio->serial, sizeof radio->serial, "%s", in->serial);
  snprintf(radio->model, sizeof radio->model, "%s", in->model);
  return CS_OK;
}

static void soapy_counters(void *ctx, cs_source *src, uint64_t *ovf, uint64_t *tmo) {
  cs_soapy_counters c;
  cs_soapy_get_counters(src, &c);
  *ovf = c.overflows;
  *tmo = c.timeouts;
}

static void counters(cs_scan *s, uint64_t *ovf, uint64_t *tmo) {
  *ovf = *tmo = 0;
  if (s->src) s->o.counters(s->o.open_ctx, s->src, ovf, tmo);
}

static cs_status open_device(cs_scan *s, cs_err *err) {
  cs_scan_radio r;
  memset(&r, 0, sizeof r);
  cs_status st = s->o.open(s->o.open_ctx, s->o.device, &s->src, &r, err);
  if (st) { s->src = NULL; return st; }
  s->radio = r;
  if (!(s->radio.usable_frac > 0 && s->radio.usable_frac <= 1)) s->radio.usable_frac = 0.8;
  if (s->cal && cs_soapy_is(s->src) && cs_calibration_apply(s->cal, s->src))
    logf_(s, 6, "%s: stored oscillator correction applied", s->radio.serial);
  return CS_OK;
}

/* ---- USB hotplug (scan.h "Faults") ---- */

/* The hotplug driver key of the device: the args' driver=, else the opened model. */
static void usb_driver_of(cs_scan *s) {
  static const char *const usb[][2] = {{"hackrf", "hackrf"}, {"lime", "lime"},     {"lms7", "lime"},
                                       {"limesdr", "lime"},  {"rtlsdr", "rtlsdr"}, {"bladerf", "bladerf"}};
  char drv[32] = "";
  const char *p = s->o.device ? strstr(s->o.device, "driver=") : NULL;
  if (p) sscanf(p + 7, "%31[^,]", drv);
  else snprintf(drv, sizeof drv, "%s", s->radio.model);
  s->usb_driver[0] = 0;
  for (size_t i = 0; i < sizeof usb / sizeof *usb; i++)
    if (!strcmp(drv, usb[i][0])) snprintf(s->usb_driver, sizeof s->usb_driver, "%s", usb[i][1]);
}

void cs_scan_usb_event(void *scan, const cs_hotplug_event *ev) {
  cs_scan *s = scan;
  if (!s->usb_driver[0] || !ev->driver || strcmp(ev->driver, s->usb_driver)) return;
  if (ev->kind == CS_HOTPLUG_ARRIVED) {
    s->usb_n++;
    s->usb_bound = s->usb_n == 1; /* two of a kind: which one is ours is unknown, read errors tell */
    s->usb_id = ev->id;
    atomic_store(&s->usb_back, 1);
    return;
  }
  if (s->usb_n > 0) s->usb_n--;
  if (s->usb_bound && !memcmp(&s->usb_id, &ev->id, sizeof ev->id)) {
    s->usb_bound = 0;
    atomic_store(&s->usb_left, 1);
  }
}

static int usb_hot(const cs_scan *s) { return s->usb_driver[0] && (s->hp || s->o.usb_events); }

/* Deliver pending USB events, waiting up to timeout_s; a failing watcher falls back to polling. */
static void usb_pump(cs_scan *s, double timeout_s) {
  if (!s->hp) {
    if (timeout_s > 0) usleep((useconds_t)(timeout_s * 1e6));
    return;
  }
  cs_err e;
  if (cs_hotplug_poll(s->hp, timeout_s, &e) == CS_OK) return;
  logf_(s, 4, "%s: polling the device instead", e.msg);
  cs_hotplug_destroy(s->hp);
  s->hp = NULL;
}

static void usb_watch(cs_scan *s) {
  usb_driver_of(s);
  if (!s->usb_driver[0] || s->o.usb_events) return;
  cs_err e;
  if (cs_hotplug_create(cs_scan_usb_event, s, 1.0, 0, &s->hp, &e) != CS_OK) {
    logf_(s, 6, "%s: polling the device instead", e.msg);
    return;
  }
  if (!cs_hotplug_native(s->hp)) { /* its own polling adds nothing to reopening */
    logf_(s, 6, "libusb has no hotplug here: polling the device");
    cs_hotplug_destroy(s->hp);
    s->hp = NULL;
  }
}

/* The device failed mid-step: close it, wait for it to come back, reopen. */
static cs_status ride_out_gap(cs_scan *s, const char *why, cs_err *err) {
  cs_scan_gap g;
  memset(&g, 0, sizeof g);
  g.start_unix = cs_clock_s(CLOCK_REALTIME);
  snprintf(g.reason, sizeof g.reason, "%s", why);
  logf_(s, 4, "device %s lost (%s): pausing, waiting for it to come back", s->o.device, why);
  cs_source_close(s->src);
  s->src = NULL;
  atomic_store(&s->usb_left, 0);
  atomic_store(&s->usb_back, 0);
  /* polling: every 0.2 s, then every second; with hotplug an arrival reopens at once */
  double next_open = 0;
  for (int tries = 0;;) {
    if (stopped(s)) return CS_OK;
    if (s->o.reopen_timeout_s > 0 && cs_clock_s(CLOCK_REALTIME) - g.start_unix > s->o.reopen_timeout_s)
      return cs_fail(err, CS_ERR_ENV, "device %s gone for more than %.0f s (%s)", s->o.device,
                     s->o.reopen_timeout_s, why);
    int hot = usb_hot(s);
    if (atomic_exchange(&s->usb_back, 0) || !hot || cs_clock_s(CLOCK_MONOTONIC) >= next_open) {
      cs_err e2 = {{0}};
      if (open_device(s, &e2) == CS_OK) break;
      if (tries == 0)
        logf_(s, 6, "reopen %s: %s (%s)", s->o.device, e2.msg,
              hot ? "waiting for it on USB" : "retrying every second");
      tries++;
      next_open = cs_clock_s(CLOCK_MONOTONIC) + (hot ? CS_SCAN_HOTPLUG_POLL_S : tries < 5 ? 0.2 : 1.0);
    }
    usb_pump(s, hot ? 0.05 : fmax(0, next_open - cs_clock_s(CLOCK_MONOTONIC)));
  }
  g.end_unix = cs_clock_s(CLOCK_REALTIME);
  s->gaps++;
  logf_(s, 5, "device %s back after %.1f s: carrying on", s->o.device, g.end_unix - g.start_unix);
  if (s->o.on_gap) s->o.on_gap(s->o.ctx, &g);
  return CS_OK;
}

/* ---- records ---- */

static int seen_before(cs_scan *s, const cs_cell_record *r) {
  seen_key k;
  memset(&k, 0, sizeof k);
  k.rat = r->rat;
  k.channel = r->rat == CS_RAT_GSM ? r->arfcn : r->earfcn;
  k.local_id = r->rat == CS_RAT_GSM ? r->bsic : r->pci;
  snprintf(k.band, sizeof k.band, "%s", r->band);
  if (k.channel < 0 && !isfinite(r->freq_hz)) return 0;
  if (k.channel < 0) k.channel = (int)lrint(r->freq_hz / 1e3);
  for (int i = 0; i < s->n_seen; i++)
    if (s->seen[i].rat == k.rat && s->seen[i].channel == k.channel &&
        s->seen[i].local_id == k.local_id && !strcmp(s->seen[i].band, k.band))
      return 1;
  if (s->n_seen < MAX_SEEN) s->seen[s->n_seen++] = k;
  return 0;
}

/* Records of a band are held until the band is swept, so that images can be told from cells. */
static void on_record(void *ctx, const cs_cell_record *r) {
  cs_scan *s = ctx;
  if (r->rat != CS_RAT_NONE && seen_before(s, r)) return; /* the same cell from an overlapping step */
  if (s->n_held == s->cap_held) {
    int cap = s->cap_held * 2;
    held_rec *h = realloc(s->held, sizeof *h * cap);
    if (!h) { logf_(s, 3, "out of memory holding records: dropping one"); return; }
    s->held = h;
    s->cap_held = cap;
  }
  held_rec *h = &s->held[s->n_held++];
  h->r = *r;
  if (s->cal && s->src && cs_soapy_is(s->src) && r->rat != CS_RAT_NONE) {
    double center, rate, bw, gain = NAN, off = 0;
    char antenna[32];
    cs_soapy_get_tuning(s->src, &center, &rate, &bw, &gain, antenna, sizeof antenna);
    cs_power_cal kind = cs_calibration_power(s->cal, s->radio.serial, s->radio.model, r->freq_hz, gain, &off);
    cs_calibration_apply_record(&h->r, kind, off);
  }
  h->fix = s->fix;
  h->step = s->cur;
  s->steps[s->cur].cells++;
}

static int gsm_identified(const cs_cell_record *r) { return r->plmn.mcc[0] && r->lac >= 0 && r->cell_id >= 0; }

/* A GSM cell broadcasts its BCCH on one ARFCN. The same identity (CGI and BSIC) on another ARFCN
 * at least CS_SCAN_IMAGE_DB weaker is an image of it (receiver or resampler images,
 * intermodulation), and so is an unidentified carrier with its BSIC that weak. */
int cs_scan_gsm_image(const cs_cell_record *r, const cs_cell_record *o) {
  if (r->rat != CS_RAT_GSM || o->rat != CS_RAT_GSM || !isfinite(r->power_dbfs) || r->bsic < 0 ||
      o->arfcn == r->arfcn || !gsm_identified(o) || o->bsic != r->bsic ||
      !(o->power_dbfs - r->power_dbfs >= CS_SCAN_IMAGE_DB))
    return 0;
  if (!gsm_identified(r)) return 1;
  return !strcmp(o->plmn.mcc, r->plmn.mcc) && !strcmp(o->plmn.mnc, r->plmn.mnc) && o->lac == r->lac &&
         o->cell_id == r->cell_id;
}

static int gsm_image(const cs_scan *s, const held_rec *a) {
  for (int j = 0; j < s->n_held; j++)
    if (cs_scan_gsm_image(&a->r, &s->held[j].r)) return 1;
  return 0;
}

static void deliver_held(cs_scan *s) {
  for (int i = 0; i < s->n_held; i++) {
    held_rec *h = &s->held[i];
    if (gsm_image(s, h)) {
      logf_(s, 7, "ARFCN %d (%.1f dBFS, BSIC %d): image of a stronger carrier with the same identity, dropped",
            h->r.arfcn, h->r.power_dbfs, h->r.bsic);
      s->steps[h->step].cells--;
      continue;
    }
    /* a dwell of 1 s or more holds SI3 and SI4 of any cell that can be decoded at all (scan.h):
     * an SCH without them is a false synchronisation or an image; its power is in the channel
     * rows (on_channels) */
    if (h->r.rat == CS_RAT_GSM && !gsm_identified(&h->r) && s->o.gsm_dwell_s >= 1.0) {
      logf_(s, 7, "ARFCN %d (%.1f dBFS, BSIC %d): no System Information in %.1f s, not reported as a cell",
            h->r.arfcn, h->r.power_dbfs, h->r.bsic, s->o.gsm_dwell_s);
      s->steps[h->step].cells--;
      continue;
    }
    s->cells++;
    s->deliver_fix = h->fix;
    if (s->o.on_record) s->o.on_record(s->o.ctx, &h->r);
  }
  s->n_held = 0;
}

static void make_base(cs_scan *s, cs_cell_record *base) {
  cs_record_init(base);
  base->time_unix = cs_clock_s(CLOCK_REALTIME);
  cs_gps_get(s->o.gps, &s->fix);
  cs_gps_apply(&s->fix, base);
  snprintf(base->device, sizeof base->device, "%s", s->radio.serial[0] ? s->radio.serial : s->o.device);
  snprintf(base->source, sizeof base->source, "%s", s->radio.label[0] ? s->radio.label : s->o.device);
}

/* ---- pass 1: detection ---- */

static int inside_lte(const cs_scan *s, double f_hz) {
  for (int j = 0; j < s->n_lte; j++)
    if (fabs(f_hz - s->lte[j].ch.freq_hz) < s->lte[j].ch.bandwidth_hz / 2 + GSM_CH_HZ / 2) return 1;
  return 0;
}

static int gsm_done(const cs_scan *s, double f_hz);

static void on_detect_spectrum(void *ctx, const cs_spectrum *sp) {
  cs_scan *s = ctx;
  step_state *ss = &s->steps[s->cur];
  cs_scan_step *st = &ss->diag;
  st->adc_dbfs = sp->total_power > 0 ? 10 * log10(sp->total_power) : -200.0;
  st->clip_frac = sp->num_samples ? (double)sp->clipped / sp->num_samples : 0.0;
  double nz = cs_spectrum_noise_power(sp, GSM_CH_HZ);
  st->noise_dbfs_200k = nz > 0 ? 10 * log10(nz) : -200.0;
  cs_channel lte[MAX_STEP_LTE];
  if (s->raster_len < sp->nfft + 1) {
    free(s->raster_tmp);
    s->raster_tmp = malloc(sizeof(double) * (sp->nfft + 1));
    s->raster_len = s->raster_tmp ? sp->nfft + 1 : 0;
  }
  int nl = cs_raster_lte(sp, 0, 0, lte, MAX_STEP_LTE, s->raster_tmp);
  if (nl > MAX_STEP_LTE) nl = MAX_STEP_LTE;
  st->lte_carriers = nl;
  for (int j = 0; j < nl; j++) {
    int known = 0;
    for (int k = 0; k < s->n_lte && !known; k++) {
      known = fabs(s->lte[k].ch.freq_hz - lte[j].freq_hz) < 50e3;
      ss->earlier += known && s->lte[k].decoded; /* decoded from an earlier band of the sweep */
    }
    if (!known && s->n_lte < MAX_LTE) {
      lte_carrier *c = &s->lte[s->n_lte++];
      memset(c, 0, sizeof *c);
      c->ch = lte[j];
      c->band_idx = s->cur_band;
      c->step = s->cur;
    }
  }
  cs_gsm_band g = cs_raster_gsm_band_for(sp->center_hz, sp->sample_rate * s->radio.usable_frac);
  int ng = g != CS_GSM_NONE ? cs_raster_gsm(sp, g, 0, s->rows, MAX_ROWS) : 0;
  if (ng > MAX_ROWS) ng = MAX_ROWS;
  ss->n_gsm = 0;
  int n_occ = 0;
  for (int i = 0; i < ng; i++) {
    if (!s->rows[i].occupied) continue;
    if (ss->n_gsm < MAX_STEP_GSM) ss->gsm_hz[ss->n_gsm++] = s->rows[i].freq_hz;
    ss->earlier += gsm_done(s, s->rows[i].freq_hz);
    s->rows[n_occ++] = s->rows[i];
  }
  st->gsm_occupied = ss->n_gsm;
  /* the occupied channels' powers are measurements in their own right (coverage without decode) */
  for (int j = 0; j < nl && n_occ < MAX_ROWS; j++) s->rows[n_occ++] = lte[j];
  if (s->o.on_channels && n_occ) {
    cs_cell_record where;
    make_base(s, &where);
    s->o.on_channels(s->o.ctx, &where, s->rows, n_occ);
  }
}

static void ignore_spectrum(void *ctx, const cs_spectrum *sp) {}

/* Capture n samples of the current tuning into the memory source. Samples lost to an overflow
 * break the burst timing a decoder relies on: such a dwell is taken again, up to 3 times. */
static cs_status dwell(cs_scan *s, double seconds, double rate, cs_err *err) {
  size_t n = (size_t)(seconds * rate);
  cs_scan_step *st = &s->steps[s->cur].diag;
  for (int attempt = 0; attempt < 3; attempt++) {
    uint64_t o0, t0, o1, t1;
    counters(s, &o0, &t0);
    cs_memsource_clear(s->mem);
    size_t got = 0;
    double tc = cs_clock_s(CLOCK_MONOTONIC);
    cs_status r = cs_memsource_capture(s->mem, s->src, n, &got, err);
    s->t_device += cs_clock_s(CLOCK_MONOTONIC) - tc;
    s->t_signal += got / rate;
    if (r) return r;
    if (got == 0) return cs_fail(err, CS_ERR_ENV, "device %s delivered no samples", s->o.device);
    counters(s, &o1, &t1);
    st->overflows += o1 - o0;
    st->timeouts += t1 - t0;
    if (o1 == o0) break;
    logf_(s, 5, "overflow during the dwell at %.3f MHz: taking it again", st->center_hz / 1e6);
  }
  return CS_OK;
}

static cs_status run_pipeline(cs_scan *s, int gsm, int lte, const char *hint,
                              void (*spec_cb)(void *, const cs_spectrum *), cs_err *err) {
  cs_cell_record base;
  make_base(s, &base);
  cs_pipeline_opts po;
  memset(&po, 0, sizeof po);
  po.decode_gsm = gsm;
  po.decode_lte = lte;
  po.band_hint = hint;
  po.on_record = on_record;
  po.on_spectrum = spec_cb;
  po.ctx = s;
  po.base = &base;
  double t0 = cs_clock_s(CLOCK_MONOTONIC);
  cs_status st = cs_pipeline_execute(s->pipe, s->mem, &po, err);
  s->t_process += cs_clock_s(CLOCK_MONOTONIC) - t0;
  if (st == CS_ERR_INPUT) { /* a decoder refused the dwell: say so, carry on with the sweep */
    logf_(s, 4, "%.3f MHz: %s", s->steps[s->cur].diag.center_hz / 1e6, err->msg);
    st = CS_OK;
  }
  return st;
}

/* Quantisation noise of an N-bit ADC (full scale +-1, complex): LSB^2/6. */
static double quant_dbfs(int bits) { return 6.0206 * (1 - bits) - 7.7815; }

static const char *verdict(const cs_scan_step *st, int adc_bits, int earlier) {
  if (st->clip_frac > 1e-3) return "clipping: lower the gain";
  if (st->overflows || st->timeouts) return "device dropped samples: lower the rate or check USB";
  if (st->adc_dbfs < quant_dbfs(adc_bits > 0 ? adc_bits : 12) + 10.0)
    return "ADC level very low: check the antenna and the gain";
  if (st->cells > 0) return "ok";
  if (earlier > 0) return "ok (its carriers were decoded with an earlier band)";
  if (st->gsm_occupied || st->lte_carriers) return "carriers seen but none decoded (weak, or not GSM/LTE)";
  return "no carrier above the noise floor: no network here";
}

static cs_status tune(cs_scan *s, double center, double rate, cs_err *err) {
  double t0 = cs_clock_s(CLOCK_MONOTONIC);
  cs_status r = s->src->ops->tune(s->src->self, center, rate, rate * s->radio.usable_frac, s->o.gain_db, err);
  s->t_device += cs_clock_s(CLOCK_MONOTONIC) - t0;
  return r;
}

/* ---- the three kinds of work unit ---- */

enum { UNIT_DETECT, UNIT_GSM, UNIT_LTE };

static int gsm_done(const cs_scan *s, double f_hz) {
  for (int i = 0; i < s->n_gsm_done; i++)
    if (fabs(s->gsm_done[i] - f_hz) < 1e3) return 1;
  return 0;
}

/* Does step i still have an occupied GSM channel that is neither decoded nor part of an LTE
 * carrier? */
static int gsm_needed(const cs_scan *s, int i) {
  const step_state *ss = &s->steps[i];
  for (int k = 0; k < ss->n_gsm; k++)
    if (!gsm_done(s, ss->gsm_hz[k]) && !inside_lte(s, ss->gsm_hz[k])) return 1;
  return 0;
}

static cs_status run_unit(cs_scan *s, const cs_scan_band *b, int kind, int idx, cs_err *err) {
  cs_status r;
  if (kind == UNIT_DETECT) {
    step_state *ss = &s->steps[idx];
    cs_scan_step *st = &ss->diag;
    memset(ss, 0, sizeof *ss);
    st->band = b->name;
    st->step = idx;
    st->n_steps = s->n_cur_steps;
    st->center_hz = cs_scan_step_center(s, b, idx);
    st->rate = s->rate;
    st->usable_hz = s->usable;
    st->time_unix = cs_clock_s(CLOCK_REALTIME);
    if ((r = tune(s, st->center_hz, s->rate, err))) return r;
    if ((r = dwell(s, s->o.detect_dwell_s, s->rate, err))) return r;
    return run_pipeline(s, 0, 0, b->name, on_detect_spectrum, err);
  }
  if (kind == UNIT_GSM) { /* every GSM carrier of the step from one dwell */
    step_state *ss = &s->steps[idx];
    if ((r = tune(s, ss->diag.center_hz, s->rate, err))) return r;
    if ((r = dwell(s, s->o.gsm_dwell_s, s->rate, err))) return r;
    if ((r = run_pipeline(s, 1, 0, b->rat == CS_RAT_GSM ? b->name : NULL, ignore_spectrum, err))) return r;
    for (int k = 0; k < ss->n_gsm && s->n_gsm_done < MAX_SEEN; k++) s->gsm_done[s->n_gsm_done++] = ss->gsm_hz[k];
    return CS_OK;
  }
  /* LTE: the carrier centred, at the rate of its bandwidth */
  lte_carrier *c = &s->lte[idx];
  char hint[16];
  if (b->rat == CS_RAT_LTE) snprintf(hint, sizeof hint, "%s", b->name);
  else snprintf(hint, sizeof hint, "lte%.12s", c->ch.band);
  double rate = lte_rate(s, c->ch.n_prb);
  if ((r = tune(s, c->ch.freq_hz, rate, err))) return r;
  if ((r = dwell(s, s->o.lte_dwell_s, rate, err))) return r;
  if ((r = run_pipeline(s, 0, 1, hint[3] ? hint : NULL, ignore_spectrum, err))) return r;
  c->decoded = 1;
  return CS_OK;
}

/* Run a unit; when the device fails, ride out the gap and take the unit again (3 times at most). */
static cs_status unit(cs_scan *s, const cs_scan_band *b, int kind, int idx, int step, cs_err *err) {
  s->cur = step;
  if (s->o.on_progress) s->o.on_progress(s->o.ctx, b->name, step, s->n_cur_steps, s->cells + s->n_held);
  for (int tries = 0;; tries++) {
    if (stopped(s)) return CS_OK;
    cs_status r;
    if (!s->src && (r = ride_out_gap(s, "device not open", err))) return r;
    if (stopped(s)) return CS_OK;
    if (usb_hot(s)) usb_pump(s, 0);
    if (atomic_exchange(&s->usb_left, 0) && (r = ride_out_gap(s, "USB: the device left the bus", err)))
      return r;
    if (stopped(s)) return CS_OK;
    cs_err e = {{0}};
    r = run_unit(s, b, kind, idx, &e);
    if (r != CS_ERR_ENV) {
      if (r) *err = e;
      return r;
    }
    if ((r = ride_out_gap(s, e.msg, err))) return r;
    if (tries == 3) {
      logf_(s, 3, "%s step %d: failed %d times, skipping it: %s", b->name, step + 1, tries + 1, e.msg);
      return CS_OK;
    }
  }
}

static cs_status sweep_band(cs_scan *s, const cs_scan_band *b, cs_err *err) {
  int n = cs_scan_band_steps(s, b);
  if (n > MAX_STEPS) return cs_fail(err, CS_ERR_INPUT, "%s: %d steps at this rate (at most %d)", b->name, n, MAX_STEPS);
  s->n_cur_steps = n;
  int lte_first = s->n_lte;
  cs_status r;
  for (int i = 0; i < n; i++)
    if ((r = unit(s, b, UNIT_DETECT, i, i, err))) return r;
  for (int i = 0; i < n && !stopped(s); i++)
    if (gsm_needed(s, i) && (r = unit(s, b, UNIT_GSM, i, i, err))) return r;
  /* carriers found in this band's steps (and earlier bands' carriers left undecoded) */
  for (int j = 0; j < s->n_lte && !stopped(s); j++) {
    if (s->lte[j].decoded) continue;
    int step = j >= lte_first ? s->lte[j].step : 0;
    if ((r = unit(s, b, UNIT_LTE, j, step, err))) return r;
  }
  if (stopped(s)) return CS_OK;
  deliver_held(s);
  for (int i = 0; i < n; i++) {
    cs_scan_step *st = &s->steps[i].diag;
    st->cells = s->steps[i].cells;
    st->verdict = verdict(st, s->radio.adc_bits, s->steps[i].earlier);
    if (s->o.on_step) s->o.on_step(s->o.ctx, st);
  }
  return CS_OK;
}

/* ---- life cycle ---- */

cs_status cs_scan_create(const cs_scan_opts *o, cs_scan **out, cs_err *err) {
  *out = NULL;
  cs_scan *s = calloc(1, sizeof *s);
  if (!s) return cs_fail(err, CS_ERR_ENV, "out of memory");
  s->o = *o;
  if (!s->o.open) { s->o.open = soapy_open; s->o.counters = soapy_counters; }
  if (!s->o.counters) return free(s), cs_fail(err, CS_ERR_INPUT, "scan: an open function needs a counters function");
  if (s->o.detect_dwell_s <= 0) s->o.detect_dwell_s = 0.03;
  if (s->o.gsm_dwell_s <= 0) s->o.gsm_dwell_s = 1.2;
  if (s->o.lte_dwell_s <= 0) s->o.lte_dwell_s = 0.2;
  s->rows = malloc(sizeof(cs_channel) * MAX_ROWS);
  s->seen = malloc(sizeof(seen_key) * MAX_SEEN);
  s->cap_held = 256;
  s->held = malloc(sizeof(held_rec) * s->cap_held);
  cs_status st = CS_OK;
  if (!s->rows || !s->seen || !s->held) st = cs_fail(err, CS_ERR_ENV, "out of memory");
  if (!st) {
    cs_err ce;
    if (cs_calibration_load(NULL, &s->cal, &ce)) { /* scan uncalibrated rather than not at all */
      logf_(s, 4, "%s: powers stay uncalibrated", ce.msg);
      s->cal = NULL;
    }
  }
  if (!st) st = open_device(s, err);
  if (!st) usb_watch(s);
  if (!st) {
    s->rate = s->o.rate > 0 ? fmin(s->o.rate, s->radio.max_rate) : fmin(20e6, s->radio.max_rate);
    s->usable = s->rate * s->radio.usable_frac;
    if (!(s->rate > 0) || s->usable <= 2 * GSM_CH_HZ)
      st = cs_fail(err, CS_ERR_INPUT, "device %s: sample rate %.0f too low to scan", s->o.device, s->rate);
  }
  if (!st) {
    double lte_max = fmin(30.72e6, s->radio.max_rate);
    double need = fmax(s->rate * fmax(s->o.gsm_dwell_s, s->o.detect_dwell_s), lte_max * s->o.lte_dwell_s);
    st = cs_memsource_create((size_t)need + 1024, "scan dwell", &s->mem, err);
  }
  if (!st && !(s->pipe = cs_pipeline_create())) st = cs_fail(err, CS_ERR_ENV, "out of memory");
  if (st) { cs_scan_destroy(s); return st; }
  *out = s;
  return CS_OK;
}

cs_status cs_scan_sweep(cs_scan *s, cs_err *err) {
  s->cells = 0;
  s->t_device = s->t_process = s->t_signal = 0;
  s->n_seen = 0;
  s->n_lte = 0;
  s->n_gsm_done = 0;
  for (int bi = 0; bi < s->o.n_bands && !stopped(s); bi++) {
    const cs_scan_band *b = &s->o.bands[bi];
    s->cur_band = bi;
    cs_status r = sweep_band(s, b, err);
    deliver_held(s); /* also when stopped or failed: nothing decoded is lost */
    if (r) return r;
    if (s->o.on_progress && !stopped(s)) s->o.on_progress(s->o.ctx, b->name, s->n_cur_steps, s->n_cur_steps, s->cells);
  }
  return CS_OK;
}

int cs_scan_cells(const cs_scan *s) { return s->cells; }
int cs_scan_gaps(const cs_scan *s) { return s->gaps; }
void cs_scan_timing(const cs_scan *s, double *device_s, double *process_s, double *signal_s) {
  *device_s = s->t_device;
  *process_s = s->t_process;
  *signal_s = s->t_signal;
}
void cs_scan_fix(const cs_scan *s, cs_gps_fix *fix) { *fix = s->deliver_fix; }

void cs_scan_destroy(cs_scan *s) {
  if (!s) return;
  cs_hotplug_destroy(s->hp);
  cs_pipeline_destroy(s->pipe);
  free(s->raster_tmp);
  cs_source_close(s->mem);
  cs_source_close(s->src);
  free(s->rows);
  free(s->seen);
  free(s->held);
  cs_calibration_free(s->cal);
  free(s);
}
