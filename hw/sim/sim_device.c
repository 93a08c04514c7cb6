/* sim_device.c: the simulated SDR (see sim.h).
 *
 * Signal model at tuned centre f and rate R: for every scene capture (centre fc, rate rs) whose
 * band overlaps [f - R/2, f + R/2], the overlapping part (in capture baseband:
 * [max(-rs/2, -R/2 - d), min(rs/2, R/2 - d)], d = fc - f) is shifted to DC at the capture rate,
 * resampled to R (an integer Kaiser decimator where R < rs, then liquid's polyphase arbitrary
 * resampler; liquid 1.5's half-band designs leak memory, so msresamp is not used), low-passed to the overlap width when only part of the capture
 * falls in the tuned band (so nothing wraps around), shifted to its place (+ c + d) and summed;
 * captures loop. Receiver noise, the gain, a retune transient and ADC clipping follow. Capture
 * play positions follow the device's stream clock, so a capture carries on across retunes as a
 * real transmitter would. */
#include "sim.h"

#include <SoapySDR/Errors.h>
#include <SoapySDR/Types.h>
#include <complex.h>
#include <liquid/liquid.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sim_scene.h"

#define CHUNK_OUT 512u /* samples per chunk after the integer decimator */
#define LP_TAPS 81
#define DEC_M 8        /* integer decimator: 2*D*DEC_M+1 taps */

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

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

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
    p->t0 = wall();
  }
  presence out = {{0}, wall(), gone_after, gone_for};
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
  if (parse_args(args, &a, err, sizeof err) != 0 || !a.scene[0]) return 0;
  if (stat(a.scene, &sb) != 0 || !S_ISDIR(sb.st_mode)) return 0; /* no scene, no device */
  presence p = presence_get(a.serial, a.gone_after, a.gone_for);
  if (gone_at(&p, wall())) return 0;
  snprintf(serial, serial_cap, "%s", a.serial);
  snprintf(scene, scene_cap, "%s", a.scene);
  return 1;
}

/* ---- device ---- */
typedef struct {
  const sim_capture *cap;
  size_t pos;
  int partial;           /* only part of the capture band is inside the tuned band */
  nco_crcf pre, post;
  firdecim_crcf dec;     /* NULL when no integer decimation is needed */
  unsigned D, chunk_in;  /* decimation factor; capture samples per chunk (D * CHUNK_OUT) */
  resamp_crcf rs;
  firfilt_crcf lp;
  float complex *in, *tmp, *fifo;
  size_t tmp_cap, fifo_n, fifo_cap;
} sim_chan;

struct sim_dev {
  sim_args a;
  sim_scene *scene;
  presence pres;
  double t_open;
  double rate, freq, gain, bw;
  int active, dead, dirty;
  sim_chan ch[SIM_SCENE_MAX];
  int n_ch;
  double stream_time;               /* seconds of samples produced (the device clock) */
  uint64_t settle_k, settle_total;  /* position in the current retune transient */
  double settle_phase;
  double next_overflow, next_timeout, stall_until;
  double rt_wall0, rt_stream0;      /* realtime pacing reference */
  uint64_t rng;
  float complex scratch[SIM_MTU];
};

static void chan_free(sim_chan *c) {
  if (c->pre) nco_crcf_destroy(c->pre);
  if (c->post) nco_crcf_destroy(c->post);
  if (c->dec) firdecim_crcf_destroy(c->dec);
  if (c->rs) resamp_crcf_destroy(c->rs);
  if (c->lp) firfilt_crcf_destroy(c->lp);
  free(c->in);
  free(c->tmp);
  free(c->fifo);
  memset(c, 0, sizeof *c);
}

static void chans_free(sim_dev *d) {
  for (int i = 0; i < d->n_ch; i++) chan_free(&d->ch[i]);
  d->n_ch = 0;
}

/* Set up one channel per capture overlapping the tuned band (see the file comment). */
static int chans_build(sim_dev *d) {
  chans_free(d);
  double R = d->rate, f = d->freq;
  for (int i = 0; i < d->scene->n; i++) {
    const sim_capture *cap = &d->scene->cap[i];
    double rs = cap->rate, dd = cap->center_hz - f;
    double lo = fmax(-rs / 2, -R / 2 - dd), hi = fmin(rs / 2, R / 2 - dd);
    if (hi - lo < 1e3) continue;
    sim_chan *c = &d->ch[d->n_ch];
    c->cap = cap;
    c->partial = lo > -rs / 2 + 1 || hi < rs / 2 - 1;
    double cc = c->partial ? (lo + hi) / 2 : 0;
    c->D = rs > R ? (unsigned)floor(rs / R) : 1;
    c->chunk_in = c->D * CHUNK_OUT;
    double ratio = R / (rs / c->D); /* the arbitrary resampler's ratio, >= 1 */
    c->pos = (size_t)fmod(d->stream_time * rs, (double)cap->n);
    c->pre = nco_crcf_create(LIQUID_VCO);
    nco_crcf_set_frequency(c->pre, (float)(-2 * M_PI * cc / rs));
    c->post = nco_crcf_create(LIQUID_VCO);
    nco_crcf_set_frequency(c->post, (float)(2 * M_PI * (cc + dd) / R));
    if (c->D > 1) { /* unity-gain Kaiser low-pass at the decimated Nyquist */
      unsigned n = 2 * c->D * DEC_M + 1;
      float *h = malloc(n * sizeof *h), sum = 0;
      if (h) {
        liquid_firdes_kaiser(n, 0.5f / c->D, 60.0f, 0.0f, h);
        for (unsigned k = 0; k < n; k++) sum += h[k];
        for (unsigned k = 0; k < n; k++) h[k] /= sum;
        c->dec = firdecim_crcf_create(c->D, h, n);
        free(h);
      }
    }
    c->rs = resamp_crcf_create((float)ratio, 15, 0.47f, 60.0f, 64);
    if (c->partial) {
      double fc = (hi - lo) / 2 / R;
      if (fc > 0.49) fc = 0.49;
      float h[LP_TAPS], sum = 0;
      liquid_firdes_kaiser(LP_TAPS, (float)fc, 60.0f, 0.0f, h);
      for (int k = 0; k < LP_TAPS; k++) sum += h[k];
      for (int k = 0; k < LP_TAPS; k++) h[k] /= sum; /* unity gain in the pass band */
      c->lp = firfilt_crcf_create(h, LP_TAPS);
    }
    c->tmp_cap = (size_t)ceil(2 * ratio * CHUNK_OUT) + 16;
    c->fifo_cap = SIM_MTU + c->tmp_cap;
    c->in = malloc(c->chunk_in * sizeof *c->in);
    c->tmp = malloc(c->tmp_cap * sizeof *c->tmp);
    c->fifo = malloc(c->fifo_cap * sizeof *c->fifo);
    d->n_ch++;
    if (!c->pre || !c->post || !c->rs || !c->in || !c->tmp || !c->fifo || (c->partial && !c->lp) ||
        (c->D > 1 && !c->dec)) {
      chans_free(d);
      return -1;
    }
  }
  d->dirty = 0;
  return 0;
}

/* Make n samples of capture c at the tuned rate and add them to out. */
static void chan_add(sim_chan *c, float complex *out, size_t n, float scale) {
  while (c->fifo_n < n) {
    for (unsigned i = 0; i < c->chunk_in; i++) {
      c->in[i] = c->cap->x[c->pos];
      if (++c->pos == c->cap->n) c->pos = 0;
    }
    nco_crcf_mix_block_up(c->pre, c->in, c->in, c->chunk_in);
    if (c->dec) firdecim_crcf_execute_block(c->dec, c->in, CHUNK_OUT, c->in); /* in place: y[k] uses x[kD..] */
    unsigned ny = 0;
    resamp_crcf_execute_block(c->rs, c->in, CHUNK_OUT, c->tmp, &ny);
    if (c->lp) firfilt_crcf_execute_block(c->lp, c->tmp, ny, c->tmp);
    nco_crcf_mix_block_up(c->post, c->tmp, c->tmp, ny);
    memcpy(c->fifo + c->fifo_n, c->tmp, ny * sizeof *c->tmp);
    c->fifo_n += ny;
  }
  for (size_t i = 0; i < n; i++) out[i] += scale * c->fifo[i];
  memmove(c->fifo, c->fifo + n, (c->fifo_n - n) * sizeof *c->fifo);
  c->fifo_n -= n;
}

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
  if (d->dirty && chans_build(d) != 0) return -1;
  double g = pow(10.0, (d->gain - SIM_REF_GAIN_DB) / 20.0);
  double noise_sigma = sqrt(pow(10.0, d->a.noise_dbfs / 10.0) * d->rate / 1e6);
  float dc = (float)sqrt(pow(10.0, d->a.dc_dbfs / 10.0)); /* LO leakage: a spike at DC */
  for (size_t i = 0; i < n; i++) out[i] = gauss(&d->rng, noise_sigma) + dc;
  for (int i = 0; i < d->n_ch; i++) chan_add(&d->ch[i], out, n, 1.0f);
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
  if (!d->a.scene[0]) {
    snprintf(err, cap, "cellsurvey-sim: no scene (give scene=DIR or set CELLSURVEY_SIM_SCENE)");
    free(d);
    return NULL;
  }
  d->pres = presence_get(d->a.serial, d->a.gone_after, d->a.gone_for);
  d->t_open = wall();
  if (gone_at(&d->pres, d->t_open)) {
    snprintf(err, cap, "cellsurvey-sim: device %s is not connected", d->a.serial);
    free(d);
    return NULL;
  }
  d->scene = sim_scene_load(d->a.scene, err, cap);
  if (!d->scene) {
    free(d);
    return NULL;
  }
  d->rate = 2e6;
  d->freq = d->scene->cap[0].center_hz;
  d->gain = SIM_REF_GAIN_DB;
  d->bw = d->rate;
  d->dirty = 1;
  d->rng = (uint64_t)d->a.seed * 0x9E3779B97F4A7C15ull + 1;
  d->next_overflow = d->a.overflow_every;
  d->next_timeout = d->a.timeout_every;
  return d;
}

void sim_close(sim_dev *d) {
  if (!d) return;
  chans_free(d);
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
  d->rt_wall0 = wall();
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
  d->rt_wall0 = wall();
  d->rt_stream0 = d->stream_time;
}

int sim_read(sim_dev *d, float *iq, size_t n, long timeout_us, long long *time_ns) {
  double now = wall(), tmo = timeout_us * 1e-6;
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
    d->rt_wall0 = wall();
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
