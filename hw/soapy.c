/* soapy.c: a live SoapySDR device as a cs_source (see cellsurvey/soapy.h).
 *
 * Tuning applies the model quirks (device_quirks.c): manual gain, antenna by frequency, an LO
 * offset that keeps the DC spike off the wanted band (removed again with an NCO), RF calibration
 * after large retunes, and the settle transient read and dropped. Reading maps SoapySDR's status
 * codes to counters (overflow, timeout) and to CS_ERR_ENV errors that name the device. SoapySDR's
 * own log goes to a handler that keeps the last message for those errors: library code never
 * prints. */
#include "cellsurvey/soapy.h"

#include <SoapySDR/Device.h>
#include <SoapySDR/Errors.h>
#include <SoapySDR/Formats.h>
#include <liquid/liquid.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "device_quirks.h"
#include "soapy_log.h"
#include "cellsurvey/clock.h"

#define READ_CHUNK_US 100000 /* one readStream call waits at most 0.1 s */

typedef struct {
  SoapySDRDevice *dev;
  SoapySDRStream *stream;
  int active;
  cs_soapy_info info;
  const cs_quirks *quirks;
  cs_soapy_counters counters;
  cs_soapy_opts opts;
  char args[1024];
  char antenna[32];
  double ppm;
  /* tuning */
  int tuned;
  double center_hz, rate, bw_hz, gain_db, lo_offset_hz, last_cal_hz;
  nco_crcf nco;          /* removes the LO offset */
  uint64_t settle_left;  /* samples still to drop */
  /* stream position */
  int segment;
  uint64_t sample_index, segment_start;
  double segment_time;   /* UTC of the segment's first delivered sample */
  int failed;            /* a stream error was reported: the device is gone */
} soapy_src;

static const struct cs_source_ops soapy_ops;

static void copy_str(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

/* ---- open ---- */
static void fill_info(soapy_src *s) {
  cs_soapy_info *in = &s->info;
  char *k = SoapySDRDevice_getDriverKey(s->dev);
  copy_str(in->driver, sizeof in->driver, k);
  SoapySDR_free(k);
  k = SoapySDRDevice_getHardwareKey(s->dev);
  copy_str(in->hardware, sizeof in->hardware, k);
  SoapySDR_free(k);
  SoapySDRKwargs hw = SoapySDRDevice_getHardwareInfo(s->dev);
  SoapySDRKwargs given = SoapySDRKwargs_fromString(s->args);
  const char *serial = SoapySDRKwargs_get(&hw, "serial");
  if (!serial) serial = SoapySDRKwargs_get(&given, "serial");
  copy_str(in->serial, sizeof in->serial, serial);
  s->quirks = cs_quirks_find(in->driver);
  copy_str(in->model, sizeof in->model, s->quirks->model);
  snprintf(in->label, sizeof in->label, "%s%s%s", in->driver, in->serial[0] ? " serial " : "",
           in->serial);
  SoapySDRKwargs_clear(&hw);
  SoapySDRKwargs_clear(&given);

  size_t n = 0;
  SoapySDRRange *fr = SoapySDRDevice_getFrequencyRange(s->dev, SOAPY_SDR_RX, 0, &n);
  in->min_freq_hz = n ? fr[0].minimum : 0;
  in->max_freq_hz = n ? fr[n - 1].maximum : 0;
  SoapySDR_free(fr);
  double dev_max = 0;
  SoapySDRRange *rr = SoapySDRDevice_getSampleRateRange(s->dev, SOAPY_SDR_RX, 0, &n);
  for (size_t i = 0; i < n; i++) dev_max = fmax(dev_max, rr[i].maximum);
  SoapySDR_free(rr);
  in->min_rate = s->quirks->min_rate;
  in->max_rate = s->quirks->max_rate;
  if (dev_max > 0 && dev_max < in->max_rate) in->max_rate = dev_max;
  in->usable_bw_frac = s->quirks->usable_bw_frac;
  in->lo_offset_hz = s->quirks->dc_offset_hz;
  in->adc_bits = s->quirks->adc_bits;
  SoapySDRRange g = SoapySDRDevice_getGainRange(s->dev, SOAPY_SDR_RX, 0);
  in->gain_min_db = g.minimum;
  in->gain_max_db = g.maximum;
  in->settle_s = s->quirks->settle_s;
  /* a device that knows its own settle time (the simulator does) overrides the table */
  char *st = SoapySDRDevice_readSetting(s->dev, "settle_time");
  if (st && *st) {
    double v = atof(st);
    if (v >= 0 && v < 10) in->settle_s = v;
  }
  SoapySDR_free(st);
  if (!isnan(s->opts.settle_s)) in->settle_s = s->opts.settle_s;
}

cs_status cs_soapy_open(const char *args, const cs_soapy_opts *opts, cs_source **out, cs_err *err) {
  *out = NULL;
  cs_soapy_log_init();
  cs_soapy_log_clear();
  soapy_src *s = calloc(1, sizeof *s);
  cs_source *src = calloc(1, sizeof *src);
  if (!s || !src) {
    free(s);
    free(src);
    return cs_fail(err, CS_ERR_ENV, "out of memory opening device '%s'", args);
  }
  copy_str(s->args, sizeof s->args, args);
  s->opts.read_timeout_s = 2.0;
  s->opts.settle_s = NAN;
  if (opts) {
    if (opts->read_timeout_s > 0) s->opts.read_timeout_s = opts->read_timeout_s;
    s->opts.settle_s = opts->settle_s;
    s->opts.lo_offset_hz = opts->lo_offset_hz;
  }
  s->ppm = 0;
  s->segment = -1;
  s->dev = SoapySDRDevice_makeStrArgs(args);
  if (!s->dev) {
    cs_status st = cs_fail(err, CS_ERR_ENV, "cannot open SDR '%s': %s", args, cs_soapy_log_last());
    free(s);
    free(src);
    return st;
  }
  fill_info(s);
  s->nco = nco_crcf_create(LIQUID_VCO);
  s->stream = SoapySDRDevice_setupStream(s->dev, SOAPY_SDR_RX, SOAPY_SDR_CF32, NULL, 0, NULL);
  if (!s->stream) {
    cs_status st = cs_fail(err, CS_ERR_ENV, "SDR '%s': cannot set up an RX stream: %s", args, cs_soapy_log_last());
    nco_crcf_destroy(s->nco);
    SoapySDRDevice_unmake(s->dev);
    free(s);
    free(src);
    return st;
  }
  src->ops = &soapy_ops;
  src->self = s;
  snprintf(src->name, sizeof src->name, "%s", args);
  *out = src;
  return CS_OK;
}

/* ---- tune ---- */
static void pick_antenna(soapy_src *s, double f) {
  const cs_quirk_band *b = cs_quirks_band(s->quirks, f);
  if (!b || !b->antennas[0]) return;
  size_t n = 0;
  char **have = SoapySDRDevice_listAntennas(s->dev, SOAPY_SDR_RX, 0, &n);
  for (int i = 0; i < 3 && b->antennas[i]; i++) {
    for (size_t j = 0; j < n; j++) {
      if (strcmp(have[j], b->antennas[i])) continue;
      if (strcmp(s->antenna, have[j]) && SoapySDRDevice_setAntenna(s->dev, SOAPY_SDR_RX, 0, have[j]) == 0)
        copy_str(s->antenna, sizeof s->antenna, have[j]);
      SoapySDRStrings_clear(&have, n);
      return;
    }
  }
  SoapySDRStrings_clear(&have, n);
}

/* LO offset: with room between the wanted band and the band edge, move the DC spike out of the
 * wanted band entirely; else move it by the model's offset (off the channel raster). */
static double lo_offset_for(const soapy_src *s, double rate, double bw) {
  double off = s->opts.lo_offset_hz != 0 ? s->opts.lo_offset_hz : s->quirks->dc_offset_hz;
  if (off == 0) return 0;
  double clean = rate * s->quirks->usable_bw_frac;
  if (bw > 0 && bw + 2 * 50e3 < clean / 2) return bw / 2 + (clean / 2 - bw / 2) / 2;
  return off;
}

static cs_status soapy_tune(void *self, double center_hz, double rate, double bw, double gain_db,
                            cs_err *err) {
  soapy_src *s = self;
  const char *dev = s->info.label;
  if (s->failed) return cs_fail(err, CS_ERR_ENV, "SDR %s is gone (unplugged?); reopen it", dev);
  /* below min_rate the device still decides (a HackRF runs 1.92 Msps, with some aliasing) */
  if (!(rate > 0) || rate > s->info.max_rate * 1.0001)
    return cs_fail(err, CS_ERR_INPUT, "SDR %s: sample rate %.6g not supported (max %.6g on %s)",
                   dev, rate, s->info.max_rate, s->info.model);
  if (s->info.max_freq_hz > 0 && (center_hz < s->info.min_freq_hz || center_hz > s->info.max_freq_hz))
    return cs_fail(err, CS_ERR_INPUT, "SDR %s: %.6f MHz is outside its range %.3f-%.3f MHz", dev,
                   center_hz / 1e6, s->info.min_freq_hz / 1e6, s->info.max_freq_hz / 1e6);
  cs_soapy_log_clear();
  double lo = lo_offset_for(s, rate, bw > 0 ? bw : rate * s->quirks->usable_bw_frac);
  if (!s->tuned || rate != s->rate) {
    if (SoapySDRDevice_setSampleRate(s->dev, SOAPY_SDR_RX, 0, rate) != 0)
      return cs_fail(err, CS_ERR_ENV, "SDR %s: cannot set sample rate %.6g: %s", dev, rate, cs_soapy_log_last());
  }
  double analog_bw = bw > 0 ? fmin(rate, bw + 2 * fabs(lo)) : rate;
  /* not every device has a settable filter (the simulator, some RTL tuners): best effort */
  if (SoapySDRDevice_setBandwidth(s->dev, SOAPY_SDR_RX, 0, analog_bw) != 0) cs_soapy_log_clear();
  if (SoapySDRDevice_hasGainMode(s->dev, SOAPY_SDR_RX, 0))
    SoapySDRDevice_setGainMode(s->dev, SOAPY_SDR_RX, 0, false); /* AGC off: powers must be comparable */
  if (isnan(gain_db)) {
    const cs_quirk_band *b = cs_quirks_band(s->quirks, center_hz);
    gain_db = b ? b->gain_db : (s->info.gain_min_db + s->info.gain_max_db) / 2;
  }
  if (s->info.gain_max_db > s->info.gain_min_db)
    gain_db = fmin(fmax(gain_db, s->info.gain_min_db), s->info.gain_max_db);
  if (SoapySDRDevice_setGain(s->dev, SOAPY_SDR_RX, 0, gain_db) != 0)
    return cs_fail(err, CS_ERR_ENV, "SDR %s: cannot set gain %.1f dB: %s", dev, gain_db, cs_soapy_log_last());
  pick_antenna(s, center_hz);
  /* the oscillator runs ppm fast: ask for less so the real LO lands where we want it */
  double f_dev = (center_hz + lo) / (1.0 + s->ppm * 1e-6);
  if (SoapySDRDevice_setFrequency(s->dev, SOAPY_SDR_RX, 0, f_dev, NULL) != 0)
    return cs_fail(err, CS_ERR_ENV, "SDR %s: cannot tune to %.6f MHz: %s", dev, f_dev / 1e6, cs_soapy_log_last());
  if (s->quirks->recal_step_hz > 0 &&
      (!s->tuned || fabs(center_hz - s->last_cal_hz) > s->quirks->recal_step_hz)) {
    char bwtxt[32];
    snprintf(bwtxt, sizeof bwtxt, "%.0f", analog_bw);
    if (SoapySDRDevice_writeChannelSetting(s->dev, SOAPY_SDR_RX, 0, "CALIBRATE", bwtxt) == 0)
      s->counters.calibrations++;
    cs_soapy_log_clear();
    s->last_cal_hz = center_hz;
  }
  if (!s->active) {
    if (SoapySDRDevice_activateStream(s->dev, s->stream, 0, 0, 0) != 0)
      return cs_fail(err, CS_ERR_ENV, "SDR %s: cannot start streaming: %s", dev, cs_soapy_log_last());
    s->active = 1;
  }
  s->tuned = 1;
  s->center_hz = center_hz;
  s->rate = rate;
  s->bw_hz = bw > 0 ? bw : rate * s->quirks->usable_bw_frac;
  s->gain_db = SoapySDRDevice_getGain(s->dev, SOAPY_SDR_RX, 0);
  s->lo_offset_hz = lo;
  s->info.lo_offset_hz = lo;
  nco_crcf_reset(s->nco);
  nco_crcf_set_frequency(s->nco, (float)(2.0 * M_PI * lo / rate));
  s->settle_left = (uint64_t)ceil(s->info.settle_s * rate);
  s->segment++;
  s->segment_start = s->sample_index;
  s->segment_time = NAN;
  s->counters.retunes++;
  return CS_OK;
}

/* ---- read ---- */
static cs_status stream_error(soapy_src *s, int rc, cs_err *err) {
  s->failed = 1;
  return cs_fail(err, CS_ERR_ENV, "SDR %s stopped streaming (%s): unplugged or failed: %s",
                 s->info.label, SoapySDR_errToStr(rc), cs_soapy_log_last());
}

/* Is the device still enumerated? (tells an unplug from a stall after timeouts) */
static int still_present(const soapy_src *s) {
  SoapySDRKwargs q = SoapySDRKwargs_fromString(s->args);
  if (s->info.serial[0]) SoapySDRKwargs_set(&q, "serial", s->info.serial);
  size_t n = 0;
  SoapySDRKwargs *l = SoapySDRDevice_enumerate(&q, &n);
  SoapySDRKwargsList_clear(l, n);
  SoapySDRKwargs_clear(&q);
  return n > 0;
}

static cs_status soapy_read(void *self, float complex *out, size_t max, size_t *n,
                            cs_block_info *info, cs_err *err) {
  soapy_src *s = self;
  *n = 0;
  if (s->failed) return cs_fail(err, CS_ERR_ENV, "SDR %s is gone (unplugged?); reopen it", s->info.label);
  if (!s->tuned) return cs_fail(err, CS_ERR_INPUT, "SDR %s: read before tune", s->info.label);
  double waited = 0;
  for (;;) {
    void *buffs[1] = {out};
    int flags = 0;
    long long t_ns = 0;
    size_t want = max;
    if (s->settle_left > 0 && want > s->settle_left) want = (size_t)s->settle_left;
    if (want > (1u << 20)) want = 1u << 20;
    cs_soapy_log_clear();
    int rc = SoapySDRDevice_readStream(s->dev, s->stream, buffs, want, &flags, &t_ns, READ_CHUNK_US);
    if (rc == SOAPY_SDR_OVERFLOW) {
      s->counters.overflows++; /* samples were lost; the stream carries on */
      continue;
    }
    if (rc == SOAPY_SDR_TIMEOUT || rc == 0) {
      s->counters.timeouts += rc == SOAPY_SDR_TIMEOUT;
      waited += READ_CHUNK_US * 1e-6;
      if (waited < s->opts.read_timeout_s) continue;
      if (!still_present(s)) {
        s->failed = 1;
        return cs_fail(err, CS_ERR_ENV, "SDR %s disappeared (unplugged?): no samples for %.1f s",
                       s->info.label, waited);
      }
      return cs_fail(err, CS_ERR_ENV, "SDR %s: read timed out (no samples for %.1f s)",
                     s->info.label, waited);
    }
    if (rc < 0) return stream_error(s, rc, err);
    waited = 0;
    if (s->settle_left > 0) { /* transient after the retune: drop */
      uint64_t d = (uint64_t)rc < s->settle_left ? (uint64_t)rc : s->settle_left;
      s->settle_left -= d;
      s->counters.discarded += d;
      continue;
    }
    size_t k = (size_t)rc;
    if (s->lo_offset_hz != 0) nco_crcf_mix_block_up(s->nco, out, out, (unsigned)k);
    if (isnan(s->segment_time)) s->segment_time = cs_clock_s(CLOCK_REALTIME) - (double)k / s->rate;
    memset(info, 0, sizeof *info);
    info->center_hz = s->center_hz;
    info->sample_rate = s->rate;
    info->sample_index = s->sample_index;
    info->segment_start = s->segment_start;
    info->segment = s->segment;
    info->time_unix = s->segment_time + (double)(s->sample_index - s->segment_start) / s->rate;
    info->lat = info->lon = info->alt = NAN;
    s->sample_index += k;
    s->counters.samples += k;
    *n = k;
    return CS_OK;
  }
}

static void soapy_close(void *self) {
  soapy_src *s = self;
  if (!s) return;
  if (s->active) SoapySDRDevice_deactivateStream(s->dev, s->stream, 0, 0);
  SoapySDRDevice_closeStream(s->dev, s->stream);
  SoapySDRDevice_unmake(s->dev);
  nco_crcf_destroy(s->nco);
  free(s);
}

static const struct cs_source_ops soapy_ops = {
    .read = soapy_read, .tune = soapy_tune, .seek = NULL, .close = soapy_close};

/* ---- accessors ---- */
int cs_soapy_is(const cs_source *src) { return src && src->ops == &soapy_ops; }

const cs_soapy_info *cs_soapy_get_info(const cs_source *src) { return &((soapy_src *)src->self)->info; }

void cs_soapy_get_counters(const cs_source *src, cs_soapy_counters *c) {
  *c = ((soapy_src *)src->self)->counters;
}

void cs_soapy_get_tuning(const cs_source *src, double *center_hz, double *rate, double *bw_hz,
                         double *gain_db, char *antenna, size_t antenna_cap) {
  const soapy_src *s = src->self;
  if (center_hz) *center_hz = s->center_hz;
  if (rate) *rate = s->rate;
  if (bw_hz) *bw_hz = s->bw_hz;
  if (gain_db) *gain_db = s->gain_db;
  if (antenna && antenna_cap) copy_str(antenna, antenna_cap, s->antenna);
}

void cs_soapy_set_ppm(cs_source *src, double ppm) { ((soapy_src *)src->self)->ppm = ppm; }
