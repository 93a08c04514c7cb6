/* pipeline.h: the one pipeline that replay, scan and the daemon drive.
 *
 *   source --blocks--> spectrum pass (Welch PSD per capture segment)
 *          --blocks--> decoders (GSM, LTE), started per segment from what the spectrum shows
 *          --records--> sink (JSON Lines, table, store)
 *
 * A segment is a stretch of samples at one centre frequency and rate (a SigMF capture segment, a
 * scan dwell). The source must support rewind: the spectrum pass reads the segment once, the
 * decode pass reads it again (files reopen; live dwells are held in a memory source).
 *
 * The PSD is computed only when it is used: by the caller (on_spectrum without counts_only) or by
 * a decoder that picks its channels from it (GSM). Without it there is one pass: the decoders
 * (LTE, which searches blind) take the blocks as they are read, the counts (power, clipping) are
 * kept over the same samples, and reading stops once no decoder wants more of the segment. */
#ifndef CS_PIPELINE_H
#define CS_PIPELINE_H

#include <complex.h>
#include <stdint.h>

#include "cellsurvey/record.h"
#include "cellsurvey/source.h"
#include "gsmtap_udp.h"

/* The averaged spectrum of one segment. */
typedef struct {
  int segment;
  double center_hz, sample_rate;
  uint64_t num_samples;  /* samples the figures below are over (to a decoder's start(): the
                            segment's length, 0 when not known) */
  unsigned nfft, num_averages; /* 0 when the PSD was not computed */
  float *bins;           /* linear power per bin, centred; sum over all = mean |x|^2; NULL when
                            the PSD was not computed */
  double noise_per_bin;  /* noise floor (linear, per bin) */
  double total_power;    /* mean |x|^2 over the samples read */
  double time_unix;      /* time of the segment's first sample, NAN if unknown */
  double lat, lon, alt;
  uint64_t clipped;      /* samples read with |I| or |Q| at full scale */
  uint64_t nonfinite;    /* NaN/Inf samples the source skipped so far in the stream (cumulative) */
} cs_spectrum;

/* Power (linear) and dB helpers over a spectrum; offsets are relative to the centre. */
double cs_spectrum_band_power(const cs_spectrum *s, double f_lo, double f_hi);
double cs_spectrum_noise_power(const cs_spectrum *s, double bandwidth_hz);

typedef void (*cs_record_sink)(void *ctx, const cs_cell_record *rec);

struct cs_pipeline_opts;

/* A decoder for one RAT. Its object is made once (create, on the first segment that wants it)
 * and reused for every later segment: start() resets it for a segment, growing its buffers only
 * when this segment needs more than any before, so that a scan allocates nothing large per dwell. */
typedef struct {
  const char *name;
  int needs_spectrum;    /* start() chooses channels from the PSD (else spec has no bins) */
  void *(*create)(void); /* NULL: out of memory */
  /* look at the segment (its spectrum when needs_spectrum): 1 = decode it, 0 = nothing to do
   * here (no candidate channel, rate too low), -1 = failure with *err set */
  int (*start)(void *state, const cs_spectrum *spec, const struct cs_pipeline_opts *o, cs_err *err);
  /* take the next block; returns 0 once it will use no more samples of the segment */
  int (*execute)(void *state, const float complex *x, size_t n, const cs_block_info *info);
  /* optional: where the next block (at most *max samples, which it may lower) can be read to,
   * when this decoder keeps the segment's samples in a buffer of its own: the pipeline then
   * reads straight into it and execute() gets that pointer, with nothing to copy. NULL when it
   * keeps no more. Used when it is the only decoder of the segment. */
  float complex *(*buffer)(void *state, size_t *max);
  /* emit one record per cell found (identity fields, measurements); base holds time/position/
   * source fields to copy */
  void (*finish)(void *state, const cs_cell_record *base, cs_record_sink sink, void *ctx);
  void (*destroy)(void *state);
  /* optional: where to send decoded messages as GSMTAP (called after start, NULL for none) */
  void (*set_gsmtap)(void *state, cs_gsmtap *g);
} cs_decoder;

typedef struct cs_pipeline_opts {
  unsigned nfft;            /* spectrum FFT size; 0 = choose from the rate (about 1 kHz bins) */
  int decode_gsm, decode_lte;
  const char *band_hint;    /* user's --band, or NULL */
  double lte_cfo_search_hz; /* LTE PSS frequency search half-width (--cfo-search); 0 = the
                               default CS_LTE_CFO_SEARCH_DEFAULT_HZ, at most ..._MAX_HZ */
  cs_record_sink on_record;
  void (*on_spectrum)(void *ctx, const cs_spectrum *spec);
  int counts_only;          /* on_spectrum reads only the counts and power, not the PSD */
  void *ctx;
  const cs_cell_record *base; /* device/source/position defaults for records, may be NULL */
  cs_gsmtap *gsmtap;          /* decoded messages as GSMTAP (--gsmtap), may be NULL */
} cs_pipeline_opts;

#define CS_LTE_CFO_SEARCH_DEFAULT_HZ 100e3
/* the PSS/SSS and PBCH (central 1.08 MHz) must stay inside the 1.92 Msps decimation passband
 * (+-864 kHz) at the largest offset searched */
#define CS_LTE_CFO_SEARCH_MAX_HZ 300e3

/* The pipeline's working memory, kept across runs (a scan's dwells): the block buffer, the PSD
 * with its FFTW plan (remade only when the FFT size changes), the spectrum bins and the decoders'
 * objects. NULL: out of memory. */
typedef struct cs_pipeline_s *cs_pipeline;
cs_pipeline cs_pipeline_create(void);
void cs_pipeline_destroy(cs_pipeline p);
/* Run the pipeline over every segment of a source. */
cs_status cs_pipeline_execute(cs_pipeline p, cs_source *src, const cs_pipeline_opts *opts, cs_err *err);
/* The same with a pipeline made for this one run. */
cs_status cs_pipeline_run(cs_source *src, const cs_pipeline_opts *opts, cs_err *err);

#endif
