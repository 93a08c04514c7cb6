/* sigmf.h: SigMF 1.x recordings (.sigmf-meta + .sigmf-data), read as a streaming cs_source and
 * written for `record` and tests. Reader: every SigMF complex datatype (cf/ci/cu of 8 to 64 bits,
 * _le and _be), several capture segments (retunes), core:header_bytes (per segment) and
 * core:trailing_bytes, geolocation and datetime per segment, annotations. The data is streamed
 * in blocks; a file is never loaded whole. */
#ifndef CELLSURVEY_SIGMF_H
#define CELLSURVEY_SIGMF_H

#include <stdint.h>
#include <stdio.h>

#include "cellsurvey/source.h"

#define CS_SIGMF_MAX_SEGMENTS 4096

typedef struct {
  uint64_t sample_start; /* first sample of the segment (in samples, headers excluded) */
  uint64_t header_bytes; /* bytes of non-sample header before this segment's samples */
  double frequency_hz;   /* core:frequency, 0 when absent */
  double time_unix;      /* core:datetime, NAN when absent */
  double lat, lon, alt;  /* core:geolocation (GeoJSON point), NAN when absent */
} cs_sigmf_segment;

typedef struct {
  char meta_path[4096];
  char data_path[4096];
  char datatype[16];     /* as written in the meta, e.g. "ci16_le" */
  double sample_rate;
  uint64_t trailing_bytes;
  uint64_t num_samples;  /* total complex samples in the data file */
  int n_segments;
  cs_sigmf_segment *segments;
  void *json;            /* the parsed meta (cJSON *), for callers that read extension fields */
} cs_sigmf_meta;

/* Parse and validate the metadata of a recording. path may name the .sigmf-meta, the
 * .sigmf-data, or the common base name. Checks the data file exists and that its size is a whole
 * number of samples. */
cs_status cs_sigmf_meta_load(const char *path, cs_sigmf_meta **meta, cs_err *err);
void cs_sigmf_meta_free(cs_sigmf_meta *meta);

/* Open a recording as a sample source. On success *meta (if meta != NULL) stays valid until the
 * source is closed. */
cs_status cs_sigmf_open(const char *path, cs_source **src, const cs_sigmf_meta **meta, cs_err *err);

/* Bytes per complex sample of a datatype, 0 if it is not a supported complex type. */
int cs_sigmf_sample_bytes(const char *datatype);

/* ---- writer ---- */
typedef struct cs_sigmf_writer cs_sigmf_writer;

/* Create base.sigmf-data and (on close) base.sigmf-meta. datatype: any supported complex type. */
cs_status cs_sigmf_writer_create(const char *base, const char *datatype, double sample_rate,
                                 const char *description, const char *hw, cs_sigmf_writer **w,
                                 cs_err *err);
/* Start a capture segment at the current sample position. NAN for unknown time/position. */
cs_status cs_sigmf_writer_segment(cs_sigmf_writer *w, double frequency_hz, double time_unix,
                                  double lat, double lon, double alt, cs_err *err);
/* Append samples (scaled as a cs_source delivers them; for integer datatypes values beyond full
 * scale are clipped, float datatypes store them as they are). */
cs_status cs_sigmf_writer_write(cs_sigmf_writer *w, const float complex *x, size_t n, cs_err *err);
/* Annotate [sample_start, sample_start+count) with a label and a comment, and an optional
 * frequency range (0,0 for none). */
cs_status cs_sigmf_writer_annotate(cs_sigmf_writer *w, uint64_t sample_start, uint64_t count,
                                   double freq_lo_hz, double freq_hi_hz, const char *label,
                                   const char *comment, cs_err *err);
/* Samples written so far. */
uint64_t cs_sigmf_writer_position(const cs_sigmf_writer *w);
/* Write the meta and close both files; frees w whatever happens. */
cs_status cs_sigmf_writer_close(cs_sigmf_writer *w, cs_err *err);

#endif
