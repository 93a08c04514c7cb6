/* gsm_rx.c: one-carrier GSM receiver: baseband conversion, FCCH search, SCH sync, TS0 block
 * decoding (see gsm_rx.h). Timing is kept in samples at GSM_SPS per symbol. */
#include "gsm_rx.h"

#include <liquid/liquid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gsm_coding.h"
#include "gsm_const.h"
#include "gsm_ddc.h"
#include "gsm_eq.h"

#define CHUNK_IN 4096
#define RING 16384            /* 6.5 frames at 2 sps: two frames of history + one input chunk */
#define CHAN_TAPS 33          /* channel filter at GSM_FS: pass the GMSK main lobe, reject +-200 kHz */
#define CHAN_NF 72            /* 2*CHAN_TAPS rounded up to a multiple of 8 */
#define FCCH_WIN 280          /* detector window (samples), inside the 296-sample FCCH burst */
#define FCCH_THRESHOLD 0.35   /* Im(sum x(s) x*(s-2)) / sum |x|^2: 1 for a clean FCCH, ~0 else */
#define FCCH_HOLD 48          /* samples below threshold that end a detection */
#define FCCH_SCRATCH 2048
#define SCH_SEARCH 24         /* samples of timing search for the first SCH after an FCCH */
#define TRACK_SEARCH 4        /* samples of timing search once synchronised */
#define MAX_SCH_MISSES 4      /* consecutive bad SCH before declaring sync lost (none in 24 at 2 dB) */
/* once synchronised, samples computed around each TS0 burst start: the timing search, the
 * burst, the channel filter's history, and room for the timing to move */
#define GATE_BEFORE (TRACK_SEARCH + 8 + CHAN_TAPS + 24)
#define GATE_AFTER (TRACK_SEARCH + GSM_SPS * (GSM_BURST_SYMBOLS + 2) + 24)

enum { SEARCH, WAIT_SCH, SYNCED };

typedef float v4sf __attribute__((vector_size(16)));

struct gsm_rx_s {
  gsm_ddc ddc;
  float complex *out;

  float complex *ring;      /* 2-sps baseband; ring[0] is sample number base */
  float complex *fring;     /* the same after the channel filter, valid on [fv_lo, fv_hi) */
  int64_t base, len, fv_lo, fv_hi;
  float chan2[CHAN_NF];      /* channel filter taps, each twice (I and Q lanes), zero padded */

  int state;
  /* FCCH detector */
  int64_t pos;              /* next sample to examine */
  int64_t acc_from;         /* first sample in the detector sums */
  double acc_re, acc_im, acc_p;
  int in_peak, below;
  double peak;
  int64_t peak_pos;
  /* sync */
  int64_t fcch_start, resume_pos;
  double cfo_try;           /* offset used for the first SCH attempt */
  int64_t t0;               /* sample where TS0 of frame count c0 starts */
  int64_t c0, cnt;          /* frame counters: cnt is the next frame to process */
  uint32_t fn0;             /* FN of frame count c0 */
  int bsic, sch_misses;
  int confirmed;            /* a second SCH or a block decoded after the first SCH */
  float soft[4][114];
  unsigned mask;
  float blk_sig, blk_noise;

  gsm_eq eq;
  gsm_coder coder;
  float complex z[2 * SCH_SEARCH + 2 * GSM_BURST_SYMBOLS + 64];
  float llr[GSM_BURST_SYMBOLS];
  double complex fscratch[FCCH_SCRATCH];

  double cfo_sum;
  unsigned cfo_n;
  double sig_sum, noise_sum;    /* over the bursts of decoded blocks */
  double sch_sig, sch_noise;    /* over decoded SCH bursts: the SNR when no block decodes */
  gsm_rx_stats st;
  gsm_block_fn on_block;
  void *ctx;
};

static void search_from(struct gsm_rx_s *q, int64_t from);

/* A fresh state (nothing seen) around the buffers and objects q already has. */
static void init(struct gsm_rx_s *q, gsm_block_fn on_block, void *ctx) {
  float h[CHAN_TAPS], g = 0.0f;
  liquid_firdes_kaiser(CHAN_TAPS, (float)(118e3 / GSM_FS), 60.0f, 0.0f, h);
  for (int i = 0; i < CHAN_TAPS; i++) g += h[i];
  for (int i = 0; i < CHAN_TAPS; i++) q->chan2[2 * i] = q->chan2[2 * i + 1] = h[i] / g;
  memset(q->ring, 0, sizeof(float complex) * (RING + 4));
  q->on_block = on_block;
  q->ctx = ctx;
  q->bsic = -1;
  q->st.bsic = -1;
  search_from(q, 2);
}

gsm_rx gsm_rx_create(const gsm_ddc_proto proto, double offset_hz, gsm_block_fn on_block, void *ctx) {
  if (!proto || fabs(offset_hz) + 100e3 > gsm_ddc_proto_rate(proto) / 2) return NULL;
  struct gsm_rx_s *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->ddc = gsm_ddc_create(proto, offset_hz, CHUNK_IN);
  q->ring = malloc(sizeof(float complex) * (RING + 4)); /* + slack read by the padded filter */
  q->fring = malloc(sizeof(float complex) * RING);
  if (q->ddc) q->out = malloc(sizeof(float complex) * gsm_ddc_max_out(q->ddc));
  q->eq = gsm_eq_create();
  q->coder = gsm_coder_create();
  if (!q->ddc || !q->out || !q->ring || !q->fring || !q->eq || !q->coder) {
    gsm_rx_destroy(q);
    return NULL;
  }
  init(q, on_block, ctx);
  return q;
}

int gsm_rx_reset(gsm_rx q, const gsm_ddc_proto proto, double offset_hz, gsm_block_fn on_block, void *ctx) {
  if (!proto || fabs(offset_hz) + 100e3 > gsm_ddc_proto_rate(proto) / 2) return 0;
  if (!gsm_ddc_retune(q->ddc, proto, offset_hz)) return 0;
  /* keep the buffers and objects; everything else starts from zero as after calloc */
  gsm_ddc ddc = q->ddc;
  float complex *out = q->out, *ring = q->ring, *fring = q->fring;
  gsm_eq eq = q->eq;
  gsm_coder coder = q->coder;
  memset(q, 0, sizeof *q);
  q->ddc = ddc;
  q->out = out;
  q->ring = ring;
  q->fring = fring;
  q->eq = eq;
  q->coder = coder;
  init(q, on_block, ctx);
  return 1;
}

void gsm_rx_destroy(gsm_rx q) {
  if (!q) return;
  gsm_ddc_destroy(q->ddc);
  gsm_eq_destroy(q->eq);
  gsm_coder_destroy(q->coder);
  free(q->out);
  free(q->ring);
  free(q->fring);
  free(q);
}

static inline float complex at(const struct gsm_rx_s *q, int64_t s) { return q->fring[s - q->base]; }

/* Channel filter on [lo, hi) only: once synchronised, only the TS0 windows are ever filtered.
 * Real taps on interleaved I/Q: one dot product whose even lanes sum to I and odd lanes to Q. */
static void filter_range(struct gsm_rx_s *q, int64_t lo, int64_t hi) {
  const float *x = (const float *)q->ring;
  for (int64_t s = lo; s < hi; s++) {
    int64_t i = s - q->base;
    if (i < CHAN_TAPS - 1) { q->fring[i] = 0.0f; continue; }
    const float *p = x + 2 * (i - (CHAN_TAPS - 1));
    v4sf acc = {0}, acc2 = {0};
    for (int j = 0; j < CHAN_NF; j += 8) {
      v4sf w0, w1, h0, h1;
      memcpy(&w0, p + j, sizeof w0);
      memcpy(&w1, p + j + 4, sizeof w1);
      memcpy(&h0, q->chan2 + j, sizeof h0);
      memcpy(&h1, q->chan2 + j + 4, sizeof h1);
      acc += h0 * w0;
      acc2 += h1 * w1;
    }
    acc += acc2;
    q->fring[i] = (acc[0] + acc[2]) + I * (acc[1] + acc[3]);
  }
}

static void ensure(struct gsm_rx_s *q, int64_t lo, int64_t hi) {
  if (lo < q->base) lo = q->base;
  if (hi > q->base + q->len) hi = q->base + q->len;
  if (lo >= hi) return;
  if (lo >= q->fv_lo && hi <= q->fv_hi) return;
  if (lo >= q->fv_lo && lo <= q->fv_hi) { filter_range(q, q->fv_hi, hi); q->fv_hi = hi; return; }
  filter_range(q, lo, hi);
  q->fv_lo = lo;
  q->fv_hi = hi;
}

/* Frequency of the FCCH tone in samples [b, b+n): lag-2, lag-16 and lag-128 phase increments,
 * each resolving the next one's ambiguity. Returns Hz relative to the channel centre. */
static double fcch_freq(struct gsm_rx_s *q, int64_t b, int n) {
  static const int lags[3] = {2, 16, 128};
  double f = 0.0;
  ensure(q, b, b + n);
  for (int i = 0; i < 3; i++) {
    int L = lags[i];
    double complex acc = 0.0;
    for (int64_t s = b + L; s < b + n; s++) acc += at(q, s) * conjf(at(q, s - L));
    double fl = carg(acc) / (2.0 * M_PI * L) * GSM_FS;
    if (i == 0) f = fl;
    else {
      double amb = GSM_FS / L;
      f = fl + amb * round((f - fl) / amb);
    }
  }
  return f;
}

/* Burst start of the FCCH near window start w (window ends before limit): the position of the
 * FCCH_WIN-sample window with the most energy at the tone frequency, minus the 8-sample margin. */
static int64_t fcch_refine(struct gsm_rx_s *q, int64_t w, int64_t limit) {
  if (w < q->base + 2) w = q->base + 2;
  double f = fcch_freq(q, w, FCCH_WIN);
  int64_t lo = w - 300, hi = limit - FCCH_WIN;
  if (lo < q->base + 2) lo = q->base + 2;
  if (hi + FCCH_WIN - lo > FCCH_SCRATCH) lo = hi + FCCH_WIN - FCCH_SCRATCH;
  if (hi < lo) return w - 8;
  double step = -2.0 * M_PI * f / GSM_FS;
  double complex acc = 0.0, rot = 1.0, drot = cexp(I * step);
  /* u(s) = x(s) e^{-j step s}, running sum over the window, relative phase only */
  double complex *u = q->fscratch;
  int64_t n = hi + FCCH_WIN - lo;
  ensure(q, lo, lo + n);
  for (int64_t i = 0; i < n; i++) { u[i] = at(q, lo + i) * rot; rot *= drot; }
  for (int64_t i = 0; i < FCCH_WIN; i++) acc += u[i];
  double best = -1.0;
  int64_t bi = 0;
  for (int64_t i = 0;; i++) {
    double e = creal(acc) * creal(acc) + cimag(acc) * cimag(acc);
    if (e > best) { best = e; bi = i; }
    if (i + FCCH_WIN >= n) break;
    acc += u[i + FCCH_WIN] - u[i];
  }
  return lo + bi - 8;
}

/* Copy a burst window, derotated (GMSK -> BPSK: x j^-n) and corrected by cfo, into q->z so that
 * burst symbol 0 is nominally at q->z[range + 4]. */
static void burst_window(struct gsm_rx_s *q, int64_t start, int range, double cfo) {
  int64_t w0 = start - range - 4;
  int n = 2 * range + GSM_SPS * (GSM_BURST_SYMBOLS + 2) + 8;
  double w = -2.0 * M_PI * (GSM_FCCH_HZ + cfo) / GSM_FS;
  ensure(q, w0, w0 + n);
  float complex r = 1.0f, step = (float complex)cexp(I * w);
  for (int i = 0; i < n; i++) {
    q->z[i] = at(q, w0 + i) * r;
    r *= step;
  }
}

static double cfo_now(const struct gsm_rx_s *q) { return q->cfo_n ? q->cfo_sum / q->cfo_n : q->cfo_try; }

/* SCH burst at nominal start: 0 and *fn, *off set when it decodes. */
static int try_sch(struct gsm_rx_s *q, int64_t start, int range, double cfo, gsm_sch_info *si,
                   int *off) {
  burst_window(q, start, range, cfo);
  gsm_eq_result er;
  gsm_eq_burst(q->eq, q->z, range + 4, range, gsm_sch_sync, GSM_SB_SYNC_POS, GSM_SB_SYNC_LEN, q->llr, &er);
  float coded[78];
  gsm_sch_burst_bits(q->llr, coded);
  *off = er.offset;
  if (gsm_sch_decode(q->coder, coded, si)) return -1;
  q->sch_sig += er.sig;
  q->sch_noise += er.noise;
  return 0;
}

/* TS 45.002 clause 7 table 3: blocks of TS0 in the 51-multiframe (non-combined and combined
 * CCCH share the block boundaries). Returns the block index for a frame, -1 if none, and the
 * burst number inside the block. */
static int block_of(int t, int *burst) {
  static const int starts[10] = {2, 6, 12, 16, 22, 26, 32, 36, 42, 46};
  for (int i = 0; i < 10; i++)
    if (t >= starts[i] && t < starts[i] + 4) { *burst = t - starts[i]; return i; }
  return -1;
}

static void search_from(struct gsm_rx_s *q, int64_t from) {
  q->state = SEARCH;
  q->pos = q->acc_from = from;
  q->acc_re = q->acc_im = q->acc_p = 0.0;
  q->in_peak = 0;
}

static void lose_sync(struct gsm_rx_s *q, int64_t from) {
  search_from(q, from);
  q->st.resyncs++;
  if (!q->confirmed) q->bsic = -1; /* that SCH may have passed its parity by chance */
}

/* A 10-bit parity passes by chance once in 1024 tries: the cell is only taken as real when a
 * second SCH at the predicted place, or a block with its training sequence, decodes too. */
static void confirm(struct gsm_rx_s *q) {
  if (q->confirmed) return;
  q->confirmed = 1;
  q->st.bsic = q->bsic;
}

/* One TS0 burst of a synchronised carrier. */
static void synced_burst(struct gsm_rx_s *q, int64_t start, uint32_t fn) {
  int t = (int)(fn % 51);
  if (t % 10 == 0 && t != 50) { /* FCCH: refine the frequency offset */
    double f = fcch_freq(q, start + 8, 2 * GSM_BURST_SYMBOLS - 16) - GSM_FCCH_HZ;
    if (fabs(f - cfo_now(q)) < 2000.0) { q->cfo_sum += f; q->cfo_n++; }
    return;
  }
  if (t % 10 == 1) { /* SCH: keep timing and frame number */
    gsm_sch_info si;
    int off;
    if (try_sch(q, start, TRACK_SEARCH, cfo_now(q), &si, &off) == 0 && (uint32_t)gsm_sch_fn(&si) == fn &&
        si.bsic == q->bsic) {
      q->st.sch_ok++;
      confirm(q);
      q->sch_misses = 0;
      q->t0 = start + off;
      q->c0 = q->cnt - 1; /* cnt already counts this frame */
      q->fn0 = fn;
    } else {
      q->st.sch_fail++;
      if (++q->sch_misses >= MAX_SCH_MISSES) lose_sync(q, start);
    }
    return;
  }
  int b, blk = block_of(t, &b);
  if (blk < 0) return;
  if (b == 0) { q->mask = 0; q->blk_sig = q->blk_noise = 0.0f; }
  burst_window(q, start, TRACK_SEARCH, cfo_now(q));
  gsm_eq_result er;
  gsm_eq_burst(q->eq, q->z, TRACK_SEARCH + 4, TRACK_SEARCH, gsm_tsc[q->bsic & 7], GSM_NB_TSC_POS,
               GSM_NB_TSC_LEN, q->llr, &er);
  gsm_normal_burst_bits(q->llr, q->soft[b]);
  q->mask |= 1u << b;
  q->blk_sig += er.sig;
  q->blk_noise += er.noise;
  if (b == 3 && q->mask == 0xf) {
    gsm_block blkout;
    if (gsm_xcch_decode(q->coder, (const float(*)[114])q->soft, blkout.l2) == 0) {
      q->st.blocks_ok++;
      confirm(q);
      q->sig_sum += q->blk_sig;
      q->noise_sum += q->blk_noise;
      blkout.fn = (fn + GSM_HYPERFRAME - 3) % GSM_HYPERFRAME;
      blkout.block = blk;
      if (q->on_block) q->on_block(q->ctx, &blkout);
    } else {
      q->st.blocks_bad++;
    }
  }
}

/* Run the state machine over what is in the ring. */
static void process(struct gsm_rx_s *q) {
  const int64_t end = q->base + q->len;
  for (;;) {
    if (q->state == SEARCH) {
      if (q->pos < q->base + 2) search_from(q, q->base + 2);
      ensure(q, q->acc_from - 2, end);
      int64_t s = q->pos;
      for (; s < end; s++) {
        float complex x = at(q, s), z = x * conjf(at(q, s - 2));
        q->acc_re += crealf(z);
        q->acc_im += cimagf(z);
        q->acc_p += crealf(x) * crealf(x) + cimagf(x) * cimagf(x);
        int64_t o = s - FCCH_WIN;
        if (o < q->acc_from) continue;
        float complex xo = at(q, o), zo = xo * conjf(at(q, o - 2));
        q->acc_re -= crealf(zo);
        q->acc_im -= cimagf(zo);
        q->acc_p -= crealf(xo) * crealf(xo) + cimagf(xo) * cimagf(xo);
        double m = q->acc_p > 0.0 ? q->acc_im / q->acc_p : 0.0;
        if (m > FCCH_THRESHOLD) {
          if (!q->in_peak) { q->in_peak = 1; q->peak = m; q->peak_pos = s; }
          else if (m > q->peak) { q->peak = m; q->peak_pos = s; }
          q->below = 0;
        } else if (q->in_peak) q->below++;
        /* the detection ends when the metric has stayed low for a while, or the peak is
         * half a window behind (no later window can hold more of the same burst) */
        if (!q->in_peak || (q->below < FCCH_HOLD && s - q->peak_pos < FCCH_WIN / 2)) continue;
        q->in_peak = 0;
        /* FCCH found near the window [peak_pos-WIN+1, peak_pos]; place it where the tone
         * energy in a window is largest */
        q->fcch_start = fcch_refine(q, q->peak_pos - FCCH_WIN + 1, s);
        q->resume_pos = s + 1;
        q->st.fcch_found++;
        q->state = WAIT_SCH;
        break;
      }
      if (q->state == SEARCH) { q->pos = end; return; }
      q->pos = q->resume_pos;
    }
    if (q->state == WAIT_SCH) {
      int64_t sch = q->fcch_start + GSM_FRAME_SAMPLES;
      if (end < sch + SCH_SEARCH + GSM_SPS * (GSM_BURST_SYMBOLS + 2) + 8) return;
      if (q->fcch_start + 8 < q->base) { search_from(q, q->resume_pos); continue; }
      q->cfo_try = fcch_freq(q, q->fcch_start + 8, 2 * GSM_BURST_SYMBOLS - 16) - GSM_FCCH_HZ;
      gsm_sch_info si;
      int off;
      if (try_sch(q, sch, SCH_SEARCH, q->cfo_try, &si, &off) == 0) {
        q->st.sch_ok++;
        if (!q->confirmed) {
          q->bsic = si.bsic;
          q->cfo_sum = 0.0;
          q->cfo_n = 0;
        }
        if (si.bsic == q->bsic) {
          q->cfo_sum += q->cfo_try;
          q->cfo_n++;
          q->state = SYNCED;
          q->t0 = sch + off;
          q->c0 = 0;
          q->cnt = 1;
          q->fn0 = (uint32_t)gsm_sch_fn(&si);
          q->sch_misses = 0;
          q->mask = 0;
          continue;
        }
      } else {
        q->st.sch_fail++;
      }
      search_from(q, q->resume_pos);
      continue;
    }
    /* SYNCED */
    int64_t start = q->t0 + (q->cnt - q->c0) * GSM_FRAME_SAMPLES;
    if (end < start + TRACK_SEARCH + GSM_SPS * (GSM_BURST_SYMBOLS + 2) + 8) return;
    uint32_t fn = (uint32_t)((q->fn0 + (q->cnt - q->c0)) % GSM_HYPERFRAME);
    q->cnt++;
    if (start - TRACK_SEARCH - 8 < q->base) continue;
    synced_burst(q, start, fn);
  }
}

/* Oldest sample the state machine may still need. */
static int64_t keep_from(const struct gsm_rx_s *q) {
  int64_t k;
  if (q->state == SEARCH) k = q->pos - 2 * FCCH_WIN - 320; /* a detection looks back 1.5 windows + 300 */
  else if (q->state == WAIT_SCH) k = q->fcch_start - 8;
  else k = q->t0 + (q->cnt - q->c0) * GSM_FRAME_SAMPLES - 2 * GSM_FRAME_SAMPLES;
  return k - 64 - CHAN_TAPS;
}

static void push(struct gsm_rx_s *q, const float complex *y, unsigned n) {
  if (q->len + n > RING) {
    int64_t k = keep_from(q);
    if (k < q->base) k = q->base;
    int64_t drop = k - q->base;
    if (q->len + n - drop > RING) drop = q->len + n - RING; /* cannot keep it all: lose the oldest */
    memmove(q->ring, q->ring + drop, sizeof(float complex) * (size_t)(q->len - drop));
    memmove(q->fring, q->fring + drop, sizeof(float complex) * (size_t)(q->len - drop));
    q->base += drop;
    q->len -= drop;
    if (q->fv_lo < q->base) q->fv_lo = q->base;
    if (q->fv_hi < q->fv_lo) q->fv_hi = q->fv_lo;
  }
  memcpy(q->ring + q->len, y, sizeof(float complex) * n);
  q->len += n;
}

void gsm_rx_execute(gsm_rx q, const float complex *x, size_t n) {
  while (n > 0) {
    unsigned m = n > CHUNK_IN ? CHUNK_IN : (unsigned)n;
    size_t ny = 0;
    if (q->state == SYNCED) /* only TS0 windows (with the margins the burst search reads) */
      gsm_ddc_execute_gated(q->ddc, x, m, q->out, &ny, GSM_FRAME_SAMPLES, q->t0 - GATE_BEFORE, GATE_BEFORE + GATE_AFTER);
    else
      gsm_ddc_execute(q->ddc, x, m, q->out, &ny);
    push(q, q->out, (unsigned)ny);
    process(q);
    x += m;
    n -= m;
  }
}

void gsm_rx_get_stats(const gsm_rx q, gsm_rx_stats *s) {
  *s = q->st;
  s->cfo_hz = q->cfo_n ? q->cfo_sum / q->cfo_n : NAN;
  s->sync_fn = q->fn0;
  s->sync_pos = q->confirmed ? q->t0 : -1;
  s->snr_db = q->noise_sum > 0.0   ? 10.0 * log10(q->sig_sum / q->noise_sum)
              : q->sch_noise > 0.0 ? 10.0 * log10(q->sch_sig / q->sch_noise)
                                   : NAN;
}
