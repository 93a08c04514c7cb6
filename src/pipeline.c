/* pipeline.c: spectrum pass then decode pass over each segment of a source (see pipeline.h). */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode_gsm.h"
#include "decode_lte.h"
#include "psd.h"

#define BLOCK 65536

/* The decoders this build has, in the order their records come out. */
static const cs_decoder *const decoders[] = {
    &cs_decoder_gsm,
    &cs_decoder_lte,
};

double cs_spectrum_band_power(const cs_spectrum *s, double f_lo, double f_hi) {
  return psd_band_power(s->bins, s->nfft, s->sample_rate, f_lo, f_hi);
}

double cs_spectrum_noise_power(const cs_spectrum *s, double bandwidth_hz) {
  return s->noise_per_bin * bandwidth_hz / (s->sample_rate / s->nfft);
}

static unsigned choose_nfft(double fs) {
  unsigned n = 64;
  while (n < 65536 && fs / n > 1000.0) n <<= 1; /* bins of 1 kHz or finer */
  return n;
}

/* A block handler: returns 1 to be given the next block, 0 when it needs no more of the segment. */
typedef int (*block_fn)(void *ctx, const float complex *x, size_t n, const cs_block_info *info);

/* Where a block is read to: the pipeline's buffer, or a decoder's own (cs_decoder.buffer). */
typedef struct {
  float complex *buf;   /* BLOCK samples */
  void *state;          /* with buffer: the one decoder that keeps its samples */
  float complex *(*buffer)(void *state, size_t *max);
} block_dest;

/* Read one segment from the source's position, handing its blocks to fn until fn needs no more or
 * the segment ends. *next: the stream index where the next segment starts (UINT64_MAX at the end
 * of the stream); *first: the info of the segment's first block. */
static cs_status read_segment(cs_source *src, const block_dest *to, uint64_t *next, block_fn fn,
                              void *ctx, cs_block_info *first, cs_err *err) {
  *next = UINT64_MAX;
  int have = 0, wanted = 1;
  for (;;) {
    size_t n, max = BLOCK;
    cs_block_info info;
    float complex *buf = wanted && to->buffer ? to->buffer(to->state, &max) : NULL;
    if (!buf) { buf = to->buf; max = BLOCK; }
    if (max > BLOCK) max = BLOCK;
    cs_status st = cs_source_read(src, buf, max, &n, &info, err);
    if (st) return st;
    if (n == 0) return CS_OK;
    if (!have) { *first = info; have = 1; }
    else if (info.segment != first->segment) { *next = info.sample_index; return CS_OK; }
    if (wanted) wanted = fn(ctx, buf, n, &info);
    if (!wanted && info.segment_samples) { /* the rest is skipped; else read on to find its end */
      *next = info.segment_start + info.segment_samples;
      return CS_OK;
    }
  }
}

typedef struct {
  psd q;               /* NULL: the PSD is not wanted, only the counts */
  double power_sum;
  uint64_t n, clipped, nonfinite;
} spectrum_acc;

/* Two samples as one 4-float vector (GCC/Clang vector extension): |x|^2 summed in float per lane
 * over runs of RUN samples, each run's total then added in double; the clipping test two samples
 * at a time. */
typedef float v4sf __attribute__((vector_size(16)));
typedef int v4si __attribute__((vector_size(16)));
#define RUN 512

static void count_block(spectrum_acc *a, const float complex *x, size_t n, const cs_block_info *info) {
  if (a->q) psd_execute(a->q, x, n);
  double sum = 0.0;
  const v4sf full = {0.999f, 0.999f, 0.999f, 0.999f}, sign = {-0.0f, -0.0f, -0.0f, -0.0f};
  v4si clip = {0, 0, 0, 0}; /* lanes 0 and 2: minus the clipped samples */
  size_t i = 0;
  while (i + 2 <= n) {
    v4sf acc = {0, 0, 0, 0};
    size_t end = i + RUN < n ? i + RUN : n;
    for (; i + 2 <= end; i += 2) {
      v4sf v;
      memcpy(&v, x + i, sizeof v);
      acc += v * v;
      v4si c = (v4sf)((v4si)v & ~(v4si)sign) >= full; /* |re|, |im| at full scale: -1 */
      clip += c | __builtin_shufflevector(c, c, 1, 0, 3, 2); /* re or im, per sample */
    }
    sum += (double)(acc[0] + acc[1]) + (double)(acc[2] + acc[3]);
  }
  uint64_t clipped = (uint64_t)(-(int64_t)clip[0] - (int64_t)clip[2]);
  for (; i < n; i++) {
    float re = crealf(x[i]), im = cimagf(x[i]);
    sum += re * re + im * im;
    clipped += fabsf(re) >= 0.999f || fabsf(im) >= 0.999f;
  }
  a->power_sum += sum;
  a->n += n;
  a->clipped += clipped;
  a->nonfinite = info->nonfinite;
}

static int spectrum_block(void *ctx, const float complex *x, size_t n, const cs_block_info *info) {
  count_block(ctx, x, n, info);
  return 1; /* the spectrum covers the whole segment */
}

#define NDEC (sizeof decoders / sizeof *decoders)

struct cs_pipeline_s {
  float complex *buf;  /* one block */
  psd q;               /* for the current FFT size */
  float *bins, *scratch; /* the spectrum and the noise floor's working space, nfft each */
  spectrum_acc acc;    /* the current segment's counts (and PSD when wanted) */
  void *state[NDEC];   /* each decoder's object, made when first wanted */
  int active[NDEC];    /* decoding the current segment */
};

cs_pipeline cs_pipeline_create(void) {
  cs_pipeline p = calloc(1, sizeof *p);
  if (p && !(p->buf = malloc(sizeof(float complex) * BLOCK))) { free(p); p = NULL; }
  return p;
}

void cs_pipeline_destroy(cs_pipeline p) {
  if (!p) return;
  for (size_t i = 0; i < NDEC; i++)
    if (p->state[i]) decoders[i]->destroy(p->state[i]);
  psd_destroy(p->q);
  free(p->bins);
  free(p->scratch);
  free(p->buf);
  free(p);
}

/* The active decoders; 0 once none wants more of the segment. */
static int decode_block(void *ctx, const float complex *x, size_t n, const cs_block_info *info) {
  cs_pipeline p = ctx;
  int more = 0;
  for (size_t i = 0; i < NDEC; i++)
    if (p->active[i]) more |= decoders[i]->execute(p->state[i], x, n, info);
  return more;
}

/* One read for both: the counts over the samples the decoders take. */
static int count_and_decode_block(void *ctx, const float complex *x, size_t n, const cs_block_info *info) {
  cs_pipeline p = ctx;
  count_block(&p->acc, x, n, info);
  return decode_block(p, x, n, info);
}

static int decoder_wanted(const cs_decoder *dec, const cs_pipeline_opts *o) {
  if (!dec) return 0;
  if (!strcmp(dec->name, "gsm")) return o->decode_gsm;
  if (!strcmp(dec->name, "lte")) return o->decode_lte;
  return 1;
}

/* The PSD, bins and scratch for nfft points (kept while the size stays). */
static cs_status use_nfft(cs_pipeline p, unsigned nfft, cs_err *err) {
  if (p->q && psd_nfft(p->q) == nfft) return CS_OK;
  psd_destroy(p->q);
  free(p->bins);
  free(p->scratch);
  p->bins = p->scratch = NULL;
  if (!(p->q = psd_create(nfft))) return cs_fail(err, CS_ERR_INPUT, "FFT size %u is not a power of two from 64 to 65536", nfft);
  p->bins = malloc(sizeof(float) * nfft);
  p->scratch = malloc(sizeof(float) * nfft);
  if (!p->bins || !p->scratch) return cs_fail(err, CS_ERR_ENV, "out of memory");
  return CS_OK;
}

/* Start each wanted decoder on the segment; returns whether any will decode it. */
static int start_decoders(cs_pipeline p, const cs_spectrum *spec, const cs_pipeline_opts *o,
                          cs_status *st, cs_err *err) {
  int any = 0;
  for (size_t i = 0; i < NDEC; i++) {
    p->active[i] = 0;
    if (*st || !decoder_wanted(decoders[i], o)) continue;
    if (!p->state[i] && !(p->state[i] = decoders[i]->create())) {
      *st = cs_fail(err, CS_ERR_ENV, "out of memory for the %s decoder", decoders[i]->name);
      continue;
    }
    int r = decoders[i]->start(p->state[i], spec, o, err);
    if (r < 0) *st = CS_ERR_INPUT; /* the decoder refused the segment (err says why) */
    p->active[i] = r > 0;
    if (r > 0 && decoders[i]->set_gsmtap) decoders[i]->set_gsmtap(p->state[i], o->gsmtap);
    any |= r > 0;
  }
  return any && !*st;
}

/* The PSD is computed when the caller reads it or a wanted decoder chooses its channels from it. */
static int psd_wanted(const cs_pipeline_opts *o) {
  if (o->on_spectrum && !o->counts_only) return 1;
  for (size_t i = 0; i < NDEC; i++)
    if (decoder_wanted(decoders[i], o) && decoders[i]->needs_spectrum) return 1;
  return 0;
}

cs_status cs_pipeline_execute(cs_pipeline p, cs_source *src, const cs_pipeline_opts *o, cs_err *err) {
  if (!src->ops->seek) return cs_fail(err, CS_ERR_INPUT, "%s: source cannot be re-read", src->name);
  float complex *buf = p->buf;
  const block_dest plain = {buf, NULL, NULL};
  spectrum_acc *acc = &p->acc;
  const int with_psd = psd_wanted(o);
  cs_status st = CS_OK;
  uint64_t start = 0;
  while (start != UINT64_MAX) {
    if ((st = src->ops->seek(src->self, start, err))) break;
    uint64_t next;
    cs_block_info first = {0};
    {
      size_t n;
      if ((st = cs_source_read(src, buf, 1, &n, &first, err))) break;
      if (n == 0) break;
      if ((st = src->ops->seek(src->self, start, err))) break;
    }
    cs_spectrum spec = {0};
    spec.segment = first.segment;
    spec.center_hz = first.center_hz;
    spec.sample_rate = first.sample_rate;
    spec.num_samples = first.segment_samples;
    spec.time_unix = first.time_unix;
    spec.lat = first.lat; spec.lon = first.lon; spec.alt = first.alt;
    *acc = (spectrum_acc){0};
    int decoding;
    if (with_psd) {
      /* pass 1: the spectrum of the whole segment; pass 2: the decoders it points to */
      unsigned nfft = o->nfft ? o->nfft : choose_nfft(first.sample_rate);
      if ((st = use_nfft(p, nfft, err))) break;
      psd_reset(p->q);
      acc->q = p->q;
      if ((st = read_segment(src, &plain, &next, spectrum_block, acc, &first, err))) break;
      spec.num_samples = acc->n;
      spec.nfft = nfft;
      spec.num_averages = psd_num_averages(p->q);
      spec.bins = p->bins;
      psd_get(p->q, spec.bins);
      spec.noise_per_bin = psd_noise_floor(spec.bins, nfft, spec.num_averages, p->scratch);
      spec.total_power = acc->n ? acc->power_sum / acc->n : 0.0;
      spec.clipped = acc->clipped;
      spec.nonfinite = acc->nonfinite;
      if (o->on_spectrum) o->on_spectrum(o->ctx, &spec);
      if ((decoding = start_decoders(p, &spec, o, &st, err))) {
        uint64_t next2; /* pass 2 may stop early; the next segment is where pass 1 found it */
        if ((st = src->ops->seek(src->self, start, err)) == CS_OK)
          st = read_segment(src, &plain, &next2, decode_block, p, &first, err);
      }
    } else {
      /* one pass: the decoders, and the counts over the samples they take */
      decoding = start_decoders(p, &spec, o, &st, err);
      /* one decoder that keeps its samples: read straight into its buffer */
      block_dest to = plain;
      int n_active = 0;
      for (size_t i = 0; i < NDEC; i++)
        if (p->active[i]) {
          n_active++;
          to.state = p->state[i];
          to.buffer = decoders[i]->buffer;
        }
      if (n_active != 1) to.buffer = NULL;
      if (!st) st = read_segment(src, &to, &next, decoding ? count_and_decode_block : spectrum_block,
                                 decoding ? (void *)p : (void *)acc, &first, err);
      if (st) break;
      spec.num_samples = acc->n;
      spec.total_power = acc->n ? acc->power_sum / acc->n : 0.0;
      spec.clipped = acc->clipped;
      spec.nonfinite = acc->nonfinite;
      if (o->on_spectrum) o->on_spectrum(o->ctx, &spec);
    }
    cs_cell_record base;
    if (o->base) base = *o->base;
    else cs_record_init(&base);
    if (!isfinite(base.time_unix)) base.time_unix = spec.time_unix;
    if (!base.has_fix && isfinite(spec.lat)) {
      base.has_fix = 1; base.lat = spec.lat; base.lon = spec.lon; base.alt = spec.alt; base.fix_mode = 2;
    }
    for (size_t i = 0; i < NDEC; i++)
      if (decoding && p->active[i] && !st && o->on_record) decoders[i]->finish(p->state[i], &base, o->on_record, o->ctx);
    if (st) break;
    start = next;
  }
  return st;
}

cs_status cs_pipeline_run(cs_source *src, const cs_pipeline_opts *o, cs_err *err) {
  cs_pipeline p = cs_pipeline_create();
  if (!p) return cs_fail(err, CS_ERR_ENV, "out of memory");
  cs_status st = cs_pipeline_execute(p, src, o, err);
  cs_pipeline_destroy(p);
  return st;
}
