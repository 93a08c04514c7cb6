/* source.h: one interface for every stream of complex samples.
 *
 * A source delivers blocks of complex float samples scaled so that a full-scale complex sinusoid
 * of the underlying datatype has magnitude 1.0 (so 10*log10(mean|x|^2) is in dBFS). Each block
 * lies inside one capture segment: a retune (a new SigMF capture segment, a new device frequency)
 * always starts a new block with a new segment number. Implemented by the SigMF reader (hw/sigmf.c),
 * SoapySDR devices (hw/soapy.c) and through SoapySDR the simulated device (hw/sim/). */
#ifndef CELLSURVEY_SOURCE_H
#define CELLSURVEY_SOURCE_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

typedef struct {
  double center_hz;      /* RF centre frequency of the block; 0 when unknown */
  double sample_rate;    /* samples per second */
  uint64_t sample_index; /* index in the whole stream of the block's first sample */
  uint64_t segment_start;/* stream index where the block's capture segment starts */
  uint64_t segment_samples; /* length of that segment in samples; 0 when not known (live) */
  int segment;           /* capture segment number (0, 1, ...); changes on every retune */
  double time_unix;      /* UTC time of the block's first sample (s since 1970), NAN if unknown */
  double lat, lon, alt;  /* segment geolocation, NAN when absent */
  uint64_t nonfinite;    /* NaN/Inf samples skipped (replaced by 0) so far in the stream */
} cs_block_info;

typedef struct cs_source cs_source;

struct cs_source_ops {
  /* Read up to max samples into out. *n = 0 with CS_OK means end of stream. */
  cs_status (*read)(void *self, float complex *out, size_t max, size_t *n, cs_block_info *info,
                    cs_err *err);
  /* Retune where the source can (NULL for files). */
  cs_status (*tune)(void *self, double center_hz, double sample_rate, double bandwidth_hz,
                    double gain_db, cs_err *err);
  /* Continue reading at stream sample index (NULL where the source cannot: live devices). */
  cs_status (*seek)(void *self, uint64_t sample_index, cs_err *err);
  void (*close)(void *self);
};

struct cs_source {
  const struct cs_source_ops *ops;
  void *self;
  char name[4096]; /* what to call it in messages: a file path or device args */
};

static inline cs_status cs_source_read(cs_source *s, float complex *out, size_t max, size_t *n,
                                       cs_block_info *info, cs_err *err) {
  return s->ops->read(s->self, out, max, n, info, err);
}

/* Close and free the source (NULL is fine). */
void cs_source_close(cs_source *s);

#endif
