/* sim_device.c: the simulated SDR (see sim.h).
 *
 * At tuned centre f and rate R the scene (sim_mix.c: every capture overlapping the band,
 * resampled and placed at its frequency) is summed with receiver noise; a retune transient, the
 * gain and ADC clipping follow. Capture play positions follow the device's stream clock, so a
 * capture carries on across retunes as a real transmitter would. Faults (overflow, stalls,
 * unplug) and the device's presence are decided here too. */
#include "sim.h"

#include <SoapySDR/Errors.h>
#include <SoapySDR/Types.h>
#include <complex.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sim_mix.h"
#include "sim_scene.h"
#include "cellsurvey/clock.h"

#define NOISE_LEN (1u << 18) /* unit complex Gaussian table, read from random offsets */

/* ---- presence: when does a device disappear (per serial, per process) ---- */
typedef struct {
  char serial[64];
  double t0;          /* wall clock when first seen */
  double gone_after;  /* 0: never */
  double gone_for;    /* 0: for good */
} presence;

static presence registry[32];
static int n_registry;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static void sleep_s(double s) {
  if (s <= 0) return;
  struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
  nanosleep(&ts, NULL);
}

static presence presence_get(const char *serial, double gone_after, double gone_for) {
  pthread_mutex_lock(&registry_lock);
  presence *p = NULL;
  for (int i = 0; i < n_registry; i++)
    if (!strcmp(registry[i].serial, serial)) p = &registry[i];
  if (!p && n_registry < (int)(sizeof registry / sizeof *registry)) {
    p = &registry[n_registry++];
    snprintf(p->serial, sizeof p->serial, "%s", serial);
    p->t0 = cs_clock_s(CLOCK_MONOTONIC);
  }
  presence out = {{0}, cs_clock_s(CLOCK_MONOTONIC), gone_after, gone_for};
  if (p) {
    p->gone_after = gone_after;
    p->gone_for = gone_for;
    out = *p;
  }
  pthread_mutex_unlock(&registry_lock);
  return out;
}

static double gone_start(const presence *p) { return p->gone_after > 0 ? p->t0 + p->gone_after : INFINITY; }

static int gone_at(const presence *p, double t) {
  if (p->gone_after <= 0 || t < gone_start(p)) return 0;
  return p->gone_for <= 0 || t < gone_start(p) + p->gone_for;
}

/* ---- args ---- */
typedef struct {
  char scene[4096], serial[64];
  double settle_ms, noise_dbfs, seed, dc_dbfs;
  int realtime;
  double overflow_every, overflow_samples, timeout_every, timeout_for, gone_after, gone_for;
} sim_args;

static int num_arg(const SoapySDRKwargs *kw, const char *key, double *v, double lo, double hi,
                   char *err, size_t cap) {
  const char *s = SoapySDRKwargs_get(kw, key);
  if (!s) return 0;
  char *end;
  double x = strtod(s, &end);
  if (end == s || *end || !(x >= lo && x <= hi)) {
    snprintf(err, cap, "cellsurvey-sim: %s=%s is not a number in [%g, %g]", key, s, lo, hi);
    return -1;
  }
  *v = x;
  return 0;
}

static int parse_args(const char *markup, sim_args *a, char *err, size_t cap) {
  memset(a, 0, sizeof *a);
  a->settle_ms = 5;
  a->noise_dbfs = -80;
  a->dc_dbfs = -400; /* off */
  a->seed = 1;
  a->overflow_samples = 4096;
  a->timeout_for = 0.5;
  SoapySDRKwargs kw = SoapySDRKwargs_fromString(markup);
  const char *scene = SoapySDRKwargs_get(&kw, "scene");
  if (!scene || !*scene) scene = getenv("CELLSURVEY_SIM_SCENE");
  snprintf(a->scene, sizeof a->scene, "%s", scene ? scene : "");
  const char *serial = SoapySDRKwargs_get(&kw, "serial");
  if (serial && *serial) snprintf(a->serial, sizeof a->serial, "%s", serial);
  else {
    uint32_t h = 2166136261u; /* FNV-1a of the scene path: a stable serial per scene */
    for (const char *p = a->scene; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    snprintf(a->serial, sizeof a->serial, "sim-%08x", h);
  }
  double rt = 0;
  int bad = num_arg(&kw, "settle_ms", &a->settle_ms, 0, 10000, err, cap) ||
            num_arg(&kw, "noise_dbfs", &a->noise_dbfs, -200, 0, err, cap) ||
            num_arg(&kw, "dc_dbfs", &a->dc_dbfs, -400, 0, err, cap) ||
            num_arg(&kw, "seed", &a->seed, 0, 4e9, err, cap) ||
            num_arg(&kw, "realtime", &rt, 0, 1, err, cap) ||
            num_arg(&kw, "overflow_every", &a->overflow_every, 0, 1e9, err, cap) ||
            num_arg(&kw, "overflow_samples", &a->overflow_samples, 1, 1e9, err, cap) ||
            num_arg(&kw, "timeout_every", &a->timeout_every, 0, 1e9, err, cap) ||
            num_arg(&kw, "timeout_for", &a->timeout_for, 0, 1e9, err, cap) ||
            num_arg(&kw, "gone_after", &a->gone_after, 0, 1e9, err, cap) ||
            num_arg(&kw, "gone_for", &a->gone_for, 0, 1e9, err, cap);
  a->realtime = rt > 0;
  SoapySDRKwargs_clear(&kw);
  return bad ? -1 : 0;
}

int sim_find(const char *args, char *serial, size_t serial_cap, char *scene, size_t scene_cap) {
  sim_args a;
  char err[256];
  struct stat sb;
  if (parse_args(args, &a, err, sizeof err) != 0) return 0;
  SoapySDRKwargs kw = SoapySDRKwargs_fromString(args);
  const char *drv = SoapySDRKwargs_get(&kw, "driver"), *ser = SoapySDRKwargs_get(&kw, "serial");
  int asked = drv && !strcmp(drv, "cellsurvey-sim"), foreign_serial = !drv && ser;
  SoapySDRKwargs_clear(&kw);
  /* a generic listing shows the simulator only when a scene is configured; a bare serial=...
   * is some real radio's and never matches the simulator */
  if (foreign_serial || (!asked && !a.scene[0])) return 0;
  if (a.scene[0] && (stat(a.scene, &sb) != 0 || !S_ISDIR(sb.st_mode))) return 0; /* bad scene */
  presence p = presence_get(a.serial, a.gone_after, a.gone_for);
  if (gone_at(&p, cs_clock_s(CLOCK_MONOTONIC))) return 0;
  snprintf(serial, serial_cap, "%s", a.serial);
  snprintf(scene, scene_cap, "%s", a.scene);
  return 1;
}

/* ---- device ---- */
struct sim_dev {
  sim_args a;
  sim_scene *scene;
  presence pres;
  double t_open;
  double rate, freq, gain, bw;
  int active, dead, dirty;
  sim_mix *mix;                     /* the scene at the current tuning */
  double stream_time;               /* seconds of samples produced (the device clock) */
  uint64_t settle_k, settle_total;  /* position in the current retune transient */
  double settle_phase;
  double next_overflow, next_timeout, stall_until;
  double rt_wall0, rt_stream0;      /* realtime pacing reference */
  uint64_t rng;
  float complex noise[NOISE_LEN];
  float complex scratch[SIM_MTU];
};

static double uniform(uint64_t *s) { /* xorshift64*, (0,1) */
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return ((double)((*s * 2685821657736338717ull) >> 11) + 0.5) / 9007199254740992.0;
}

static float complex gauss(uint64_t *s, double sigma) { /* complex, E|z|^2 = sigma^2 */
  double r = sigma * sqrt(-log(uniform(s))), th = 2 * M_PI * uniform(s);
  return (float)(r * cos(th)) + I * (float)(r * sin(th));
}

/* 0, or -1 when out of memory */
static int generate(sim_dev *d, float complex *out, size_t n) {
  if (d->dirty) {
    sim_mix_destroy(d->mix);
    d->mix = sim_mix_create(d->scene, d->freq, d->rate, d->stream_time);
    if (!d->mix) return -1;
    d->dirty = 0;
  }
  double g = pow(10.0, (d->gain - SIM_REF_GAIN_DB) / 20.0);
  double noise_sigma = sqrt(pow(10.0, d->a.noise_dbfs / 10.0) * d->rate / 1e6);
  float dc = (float)sqrt(pow(10.0, d->a.dc_dbfs / 10.0)); /* LO leakage: a spike at DC */
  size_t k0 = (size_t)(uniform(&d->rng) * NOISE_LEN);
  for (size_t i = 0; i < n; i++) out[i] = (float)noise_sigma * d->noise[(k0 + i) & (NOISE_LEN - 1)] + dc;
  sim_mix_add(d->mix, out, n);
  /* retune transient: the PLL pulls in from 50 kHz off while a burst decays */
  double tau = d->settle_total / 5.0 + 1;
  for (size_t i = 0; i < n && d->settle_k < d->settle_total; i++, d->settle_k++) {
    double k = (double)d->settle_k;
    d->settle_phase += 2 * M_PI * 50e3 * exp(-k / tau) / d->rate;
    out[i] = out[i] * cexpf(I * (float)d->settle_phase) + gauss(&d->rng, 0.5 * exp(-k / (2 * tau)));
  }
  for (size_t i = 0; i < n; i++) { /* gain, then the ADC clips at full scale */
    float re = (float)(g * crealf(out[i])), im = (float)(g * cimagf(out[i]));
    re = re > 1 ? 1 : re < -1 ? -1 : re;
    im = im > 1 ? 1 : im < -1 ? -1 : im;
    out[i] = re + I * im;
  }
  d->stream_time += (double)n / d->rate;
  return 0;
}

sim_dev *sim_open(const char *args, char *err, size_t cap) {
  sim_dev *d = calloc(1, sizeof *d);
  if (!d) {
    snprintf(err, cap, "cellsurvey-sim: out of memory");
    return NULL;
  }
  if (parse_args(args, &d->a, err, cap) != 0) {
    free(d);
    return NULL;
  }
  d->pres = presence_get(d->a.serial, d->a.gone_after, d->a.gone_for);
  d->t_open = cs_clock_s(CLOCK_MONOTONIC);
  if (gone_at(&d->pres, d->t_open)) {
    snprintf(err, cap, "cellsurvey-sim: device %s is not connected", d->a.serial);
    free(d);
    return NULL;
  }
  /* no scene: an empty band, receiver noise only */
  d->scene = d->a.scene[0] ? sim_scene_load(d->a.scene, err, cap) : calloc(1, sizeof *d->scene);
  if (!d->scene) {
    if (!d->a.scene[0]) snprintf(err, cap, "cellsurvey-sim: out of memory");
    free(d);
    return NULL;
  }
  d->rate = 2e6;
  d->freq = d->scene->n ? d->scene->cap[0].center_hz : 1e9;
  d->gain = SIM_REF_GAIN_DB;
  d->bw = d->rate;
  d->dirty = 1;
  d->rng = (uint64_t)d->a.seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < NOISE_LEN; i++) d->noise[i] = gauss(&d->rng, 1.0);
  d->next_overflow = d->a.overflow_every;
  d->next_timeout = d->a.timeout_every;
  return d;
}

void sim_close(sim_dev *d) {
  if (!d) return;
  sim_mix_destroy(d->mix);
  sim_scene_free(d->scene);
  free(d);
}

const char *sim_serial(const sim_dev *d) { return d->a.serial; }
const char *sim_scene_dir(const sim_dev *d) { return d->a.scene; }
double sim_get_rate(const sim_dev *d) { return d->rate; }
double sim_get_freq(const sim_dev *d) { return d->freq; }
double sim_get_gain(const sim_dev *d) { return d->gain; }
double sim_get_bandwidth(const sim_dev *d) { return d->bw; }
double sim_settle_s(const sim_dev *d) { return d->a.settle_ms / 1000.0; }
void sim_set_bandwidth(sim_dev *d, double hz) { d->bw = hz; }
void sim_set_gain(sim_dev *d, double db) { d->gain = fmin(fmax(db, 0), 60); }

static void start_transient(sim_dev *d) {
  d->settle_total = (uint64_t)(d->a.settle_ms / 1000.0 * d->rate);
  d->settle_k = 0;
  d->settle_phase = 0;
  d->dirty = 1;
  d->rt_wall0 = cs_clock_s(CLOCK_MONOTONIC);
  d->rt_stream0 = d->stream_time;
}

int sim_set_rate(sim_dev *d, double rate) {
  if (!(rate >= SIM_MIN_RATE && rate <= SIM_MAX_RATE)) return -1;
  if (rate != d->rate) {
    d->rate = rate;
    start_transient(d);
  }
  return 0;
}

void sim_set_freq(sim_dev *d, double hz) {
  d->freq = hz;
  start_transient(d);
}

void sim_activate(sim_dev *d, int on) {
  d->active = on;
  d->rt_wall0 = cs_clock_s(CLOCK_MONOTONIC);
  d->rt_stream0 = d->stream_time;
}

int sim_read(sim_dev *d, float *iq, size_t n, long timeout_us, long long *time_ns) {
  double now = cs_clock_s(CLOCK_MONOTONIC), tmo = timeout_us * 1e-6;
  *time_ns = (long long)(d->stream_time * 1e9);
  if (d->dead || gone_at(&d->pres, now) || (d->t_open < gone_start(&d->pres) && now >= gone_start(&d->pres))) {
    d->dead = 1; /* an unplugged handle stays dead even when the device comes back */
    return SOAPY_SDR_STREAM_ERROR;
  }
  if (!d->active) {
    sleep_s(tmo);
    return SOAPY_SDR_TIMEOUT;
  }
  if (d->a.timeout_every > 0 && d->stream_time >= d->next_timeout) {
    d->next_timeout += d->a.timeout_every;
    d->stall_until = now + d->a.timeout_for;
  }
  if (now < d->stall_until) {
    sleep_s(fmin(tmo, d->stall_until - now));
    d->rt_wall0 = cs_clock_s(CLOCK_MONOTONIC);
    d->rt_stream0 = d->stream_time;
    return SOAPY_SDR_TIMEOUT;
  }
  if (d->a.overflow_every > 0 && d->stream_time >= d->next_overflow) {
    d->next_overflow += d->a.overflow_every;
    for (size_t left = (size_t)d->a.overflow_samples; left > 0;) { /* the lost samples */
      size_t k = left < SIM_MTU ? left : SIM_MTU;
      if (generate(d, d->scratch, k) != 0) return SOAPY_SDR_STREAM_ERROR;
      left -= k;
    }
    return SOAPY_SDR_OVERFLOW;
  }
  if (n > SIM_MTU) n = SIM_MTU;
  if (d->a.realtime) { /* a real device cannot deliver samples before they exist */
    double due = d->rt_wall0 + (d->stream_time + (double)n / d->rate - d->rt_stream0);
    sleep_s(due - now);
  }
  if (generate(d, (float complex *)iq, n) != 0) return SOAPY_SDR_STREAM_ERROR;
  return (int)n;
}
