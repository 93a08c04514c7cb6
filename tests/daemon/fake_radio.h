/* fake_radio.h: a tunable fake cs_source for planner tests: complex Gaussian noise plus
 * optional GSM-like tones and an OFDM-like LTE carrier at absolute frequencies, visible when
 * inside the tuned span; fault injection (unplug after N reads, refuse M reopens, full-scale
 * clipping, overflow counts). */
#ifndef CS_FAKE_RADIO_H
#define CS_FAKE_RADIO_H

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

typedef struct {
  /* scene */
  double noise_rms;          /* per I/Q component */
  double tone_hz[8]; int n_tones; double tone_amp;
  double lte_hz; int lte_subcarriers; double lte_amp; /* 0: none */
  int clip;                  /* deliver a full-scale square wave */
  /* faults */
  long fail_after_reads;     /* >0: the read after this many reads fails (unplug) */
  int refuse_reopens;        /* opens refused after an unplug */
  uint64_t overflow_every;   /* an overflow counted every N reads (0: never) */
  /* observed */
  int opens, closes, tunes, reads_total;
  double tuned_hz[4096], tuned_rate[4096];
  long reads;
  uint64_t overflows;
  int gone;
  /* state */
  double center, rate, t;
  int segment;
  uint64_t index;
  uint32_t rng;
} fake_radio;

static inline float fake_gauss(fake_radio *f) {
  float s = 0;
  for (int i = 0; i < 4; i++) { f->rng = f->rng * 1664525u + 1013904223u; s += (float)(f->rng >> 8) / 16777216.0f - 0.5f; }
  return s * 1.7320508f; /* sum of 4 uniforms: variance 4/12 -> scale to 1 */
}

static cs_status fake_read(void *self, float complex *out, size_t max, size_t *n, cs_block_info *info, cs_err *err) {
  fake_radio *f = self;
  if (f->gone) return cs_fail(err, CS_ERR_ENV, "fake radio: device unplugged");
  if (f->fail_after_reads > 0 && f->reads >= f->fail_after_reads) {
    f->gone = 1;
    f->fail_after_reads = 0;
    return cs_fail(err, CS_ERR_ENV, "fake radio: device unplugged");
  }
  f->reads++;
  f->reads_total++;
  if (f->overflow_every && f->reads % f->overflow_every == 0) f->overflows++;
  size_t k = max < 8192 ? max : 8192;
  double dt = 1.0 / f->rate;
  for (size_t i = 0; i < k; i++) {
    float complex x = f->noise_rms * (fake_gauss(f) + I * fake_gauss(f));
    double t = f->t + i * dt;
    for (int j = 0; j < f->n_tones; j++) {
      double off = f->tone_hz[j] - f->center;
      if (fabs(off) < f->rate / 2) x += f->tone_amp * cexp(I * 2 * M_PI * off * t);
    }
    if (f->lte_subcarriers) {
      double off = f->lte_hz - f->center;
      if (fabs(off) < f->rate / 2)
        for (int s = -f->lte_subcarriers / 2; s <= f->lte_subcarriers / 2; s++)
          if (s) x += f->lte_amp * cexp(I * (2 * M_PI * (off + 15e3 * s) * t + s * s * 0.7));
    }
    if (f->clip) x = ((f->index + i) / 8 % 2 ? 1.0f : -1.0f) * (1 + I);
    out[i] = x;
  }
  memset(info, 0, sizeof *info);
  info->center_hz = f->center;
  info->sample_rate = f->rate;
  info->sample_index = f->index;
  info->segment = f->segment;
  info->time_unix = NAN;
  info->lat = info->lon = info->alt = NAN;
  f->index += k;
  f->t += k * dt;
  *n = k;
  return CS_OK;
}

static cs_status fake_tune(void *self, double center, double rate, double bw, double gain, cs_err *err) {
  fake_radio *f = self;
  if (f->gone) return cs_fail(err, CS_ERR_ENV, "fake radio: device unplugged");
  if (f->tunes < 4096) { f->tuned_hz[f->tunes] = center; f->tuned_rate[f->tunes] = rate; }
  f->tunes++;
  f->center = center;
  f->rate = rate;
  f->segment++;
  return CS_OK;
}

static void fake_close(void *self) {
  fake_radio *f = self;
  f->closes++;
}

static const struct cs_source_ops fake_ops = {fake_read, fake_tune, NULL, fake_close};

static cs_status fake_open(void *ctx, const char *args, cs_source **src, cs_scan_radio *radio, cs_err *err) {
  fake_radio *f = ctx;
  if (f->gone && f->refuse_reopens > 0) {
    f->refuse_reopens--;
    return cs_fail(err, CS_ERR_ENV, "fake radio: no such device");
  }
  f->gone = 0;
  f->reads = 0;
  f->opens++;
  cs_source *s = calloc(1, sizeof *s);
  s->ops = &fake_ops;
  s->self = f;
  strcpy(s->name, "fake");
  *src = s;
  radio->max_rate = 20e6;
  radio->usable_frac = 0.8;
  strcpy(radio->label, "fake radio");
  strcpy(radio->serial, "FAKE0001");
  return CS_OK;
}

static void fake_counters(void *ctx, cs_source *src, uint64_t *ovf, uint64_t *tmo) {
  fake_radio *f = ctx;
  *ovf = f->overflows;
  *tmo = 0;
}

static inline void fake_init(fake_radio *f) {
  memset(f, 0, sizeof *f);
  f->noise_rms = 0.003; /* about -47 dBFS total at any rate */
  f->rng = 12345;
}

#endif
