/* sim_mix.c: place every scene capture at its frequency in the tuned band, at the tuned rate.
 *
 * Frequency-domain overlap-add, one FFT per capture block and one inverse FFT per output block
 * for all captures together. Output blocks of Nout samples at the tuned rate R hop by Nout/2;
 * capture i's blocks of Nin_i = Nout * rs_i / R samples hop by Nin_i/2, so both sides have the
 * same bin width R/Nout and the same block duration. Each capture block gets a periodic Hann
 * window (50 % overlapped Hann windows sum to one), an FFT, and its bins that fall in the tuned
 * band are copied, shifted by the capture's offset from the tuned centre, into the output
 * spectrum: resampling (zero-padding or dropping bins), the frequency shift and the band limit in
 * one step, with nothing wrapping around. The fraction of a bin left of the shift is applied to
 * the capture in time at its own rate first. Nout is chosen so every Nin_i is an even integer;
 * when no Nout up to 2^18 works the capture is played at the nearest realisable rate (off by less
 * than one part in Nin_i). */
#include "sim_mix.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOUT_MAX (1u << 18)
#define BIN_MAX_HZ 5000.0 /* finest useful resolution: blocks at least 1/5000 s */
#define ROT_BLOCK 256u

typedef struct {
  const sim_capture *cap;
  size_t pos;        /* next capture sample to read (the capture loops) */
  unsigned nin;      /* block length at the capture rate */
  int shift;         /* output bin = input bin + shift */
  int j_lo, j_hi;    /* centred input bins copied */
  double rot_phase, rot_step; /* residual sub-bin shift, radians and radians/sample */
  float complex *hist; /* the block's samples (second half is the newest hop) */
  float complex *fft;
  float *win;
  fftwf_plan plan;
} mix_chan;

struct sim_mix {
  unsigned nout, hop;
  mix_chan ch[SIM_SCENE_MAX];
  int n;
  long block;          /* output blocks made */
  float complex *spec, *time, *acc; /* Nout each */
  fftwf_plan iplan;
  size_t ready_pos;    /* next sample of acc[0..hop) to hand out; hop = none left */
};

/* Nout for these capture rates: every Nin = Nout * rs / R an even integer, Nout even, bins no
 * wider than BIN_MAX_HZ. 0 when there is none up to NOUT_MAX. */
static unsigned pick_nout(const double *rs, int n, double R) {
  unsigned nmin = (unsigned)ceil(R / BIN_MAX_HZ);
  if (nmin < 1024) nmin = 1024;
  nmin += nmin & 1;
  for (unsigned nout = nmin; nout <= NOUT_MAX; nout += 2) {
    int ok = 1;
    for (int i = 0; i < n && ok; i++) {
      double nin = nout * rs[i] / R;
      double r = round(nin / 2) * 2;
      ok = r >= 16 && fabs(nin - r) < 1e-6 * nin;
    }
    if (ok) return nout;
  }
  return 0;
}

static void chan_free(mix_chan *c) {
  if (c->plan) fftwf_destroy_plan(c->plan);
  fftwf_free(c->fft);
  free(c->hist);
  free(c->win);
}

void sim_mix_destroy(sim_mix *m) {
  if (!m) return;
  for (int i = 0; i < m->n; i++) chan_free(&m->ch[i]);
  if (m->iplan) fftwf_destroy_plan(m->iplan);
  fftwf_free(m->spec);
  fftwf_free(m->time);
  free(m->acc);
  free(m);
}

sim_mix *sim_mix_create(const sim_scene *scene, double f, double R, double stream_time) {
  sim_mix *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  /* the captures that overlap [f - R/2, f + R/2] */
  const sim_capture *use[SIM_SCENE_MAX];
  double rs[SIM_SCENE_MAX];
  int n = 0;
  for (int i = 0; i < scene->n; i++) {
    const sim_capture *c = &scene->cap[i];
    double d = c->center_hz - f;
    if (fmin(c->rate / 2, R / 2 - d) - fmax(-c->rate / 2, -R / 2 - d) < 1e3) continue;
    use[n] = c;
    rs[n++] = c->rate;
  }
  m->nout = pick_nout(rs, n, R);
  if (!m->nout) { /* no exact block length: a power of two, captures at the nearest rate */
    m->nout = 1u << 16;
    while (m->nout < R / BIN_MAX_HZ && m->nout < NOUT_MAX) m->nout <<= 1;
  }
  m->hop = m->nout / 2;
  m->ready_pos = m->hop;
  m->spec = fftwf_alloc_complex(m->nout);
  m->time = fftwf_alloc_complex(m->nout);
  m->acc = calloc(m->nout, sizeof *m->acc);
  if (!m->spec || !m->time || !m->acc) goto fail;
  m->iplan = fftwf_plan_dft_1d((int)m->nout, m->spec, m->time, FFTW_BACKWARD, FFTW_ESTIMATE);
  double bin = R / m->nout;
  for (int i = 0; i < n; i++) {
    mix_chan *c = &m->ch[m->n++];
    const sim_capture *cap = use[i];
    c->cap = cap;
    c->nin = (unsigned)(round(m->nout * cap->rate / R / 2) * 2);
    double d = cap->center_hz - f;
    c->shift = (int)lround(d / bin);
    double resid = d - c->shift * bin;
    c->rot_step = 2 * M_PI * resid / cap->rate;
    /* capture content at offset phi (within its band and the overlap) lands in input bin
     * (phi + resid)/bin and output bin that + shift */
    double lo = fmax(-cap->rate / 2, -R / 2 - d), hi = fmin(cap->rate / 2, R / 2 - d);
    c->j_lo = (int)ceil((lo + resid) / bin);
    c->j_hi = (int)floor((hi + resid) / bin);
    int half_in = (int)c->nin / 2, half_out = (int)m->nout / 2;
    if (c->j_lo < -half_in) c->j_lo = -half_in;
    if (c->j_hi > half_in - 1) c->j_hi = half_in - 1;
    if (c->j_lo + c->shift < -half_out) c->j_lo = -half_out - c->shift;
    if (c->j_hi + c->shift > half_out - 1) c->j_hi = half_out - 1 - c->shift;
    c->pos = (size_t)fmod(stream_time * cap->rate, (double)cap->n);
    c->hist = calloc(c->nin, sizeof *c->hist);
    c->win = malloc(c->nin * sizeof *c->win);
    c->fft = fftwf_alloc_complex(c->nin);
    if (!c->hist || !c->win || !c->fft) goto fail;
    for (unsigned k = 0; k < c->nin; k++) c->win[k] = (float)(0.5 - 0.5 * cos(2 * M_PI * k / c->nin));
    c->plan = fftwf_plan_dft_1d((int)c->nin, c->fft, c->fft, FFTW_FORWARD, FFTW_ESTIMATE);
    if (!c->plan) goto fail;
  }
  if (!m->iplan) goto fail;
  return m;
fail:
  sim_mix_destroy(m);
  return NULL;
}

/* Next hop of capture samples into the block history, with the residual shift applied. */
static void chan_advance(mix_chan *c) {
  unsigned h = c->nin / 2;
  memmove(c->hist, c->hist + h, h * sizeof *c->hist);
  float complex *x = c->hist + h;
  float complex w = cexpf(I * (float)c->rot_step);
  for (unsigned i = 0; i < h; i += ROT_BLOCK) {
    unsigned k = h - i < ROT_BLOCK ? h - i : ROT_BLOCK;
    float complex z = (float complex)cexp(I * c->rot_phase);
    for (unsigned j = 0; j < k; j++, z *= w) {
      x[i + j] = c->cap->x[c->pos] * z;
      if (++c->pos == c->cap->n) c->pos = 0;
    }
    c->rot_phase = fmod(c->rot_phase + k * c->rot_step, 2 * M_PI);
  }
}

/* One output block: hop more samples final at the front of acc. */
static void make_block(sim_mix *m) {
  memset(m->spec, 0, m->nout * sizeof *m->spec);
  for (int i = 0; i < m->n; i++) {
    mix_chan *c = &m->ch[i];
    chan_advance(c);
    for (unsigned k = 0; k < c->nin; k++) c->fft[k] = c->hist[k] * c->win[k];
    fftwf_execute(c->plan);
    /* shifting by s bins in a block that starts at output time block*hop needs the phase
     * exp(j 2 pi s block hop / Nout) = (-1)^(s block) to stay continuous across blocks */
    float scale = (float)(1.0 / c->nin) * (((long)c->shift * m->block) % 2 ? -1.0f : 1.0f);
    for (int j = c->j_lo; j <= c->j_hi; j++) {
      unsigned src = (unsigned)(j < 0 ? j + (int)c->nin : j);
      int o = j + c->shift;
      unsigned dst = (unsigned)(o < 0 ? o + (int)m->nout : o);
      m->spec[dst] += scale * c->fft[src];
    }
  }
  fftwf_execute(m->iplan);
  memmove(m->acc, m->acc + m->hop, m->hop * sizeof *m->acc);
  memset(m->acc + m->hop, 0, m->hop * sizeof *m->acc);
  for (unsigned k = 0; k < m->nout; k++) m->acc[k] += m->time[k];
  m->block++;
  m->ready_pos = 0;
}

void sim_mix_add(sim_mix *m, float complex *out, size_t n) {
  if (m->n == 0) return;
  while (n > 0) {
    if (m->ready_pos == m->hop) make_block(m);
    size_t k = m->hop - m->ready_pos;
    if (k > n) k = n;
    for (size_t i = 0; i < k; i++) out[i] += m->acc[m->ready_pos + i];
    m->ready_pos += k;
    out += k;
    n -= k;
  }
}
