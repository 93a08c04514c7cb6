/* sigmf_write.c: write SigMF 1.x recordings (see cellsurvey/sigmf.h): samples are converted to
 * the caller's datatype as they come (clipped at full scale); captures (frequency, datetime,
 * geolocation) and annotations are kept in memory and the .sigmf-meta is written on close, to a
 * temporary name first and then renamed, so a reader never sees half a meta file. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellsurvey/sigmf.h"
#include "sigmf_datatype.h"

#define WRITE_CHUNK 4096

typedef struct {
  uint64_t start, count;
  double f_lo, f_hi;
  char *label, *comment;
} annotation;

struct cs_sigmf_writer {
  char meta_path[4200], data_path[4200];
  FILE *f;
  char datatype[16];
  dt_info dt;
  int sample_bytes;
  double full_scale, zero;
  double rate;
  char *description, *hw;
  uint64_t pos;
  cs_sigmf_segment *seg;
  int n_seg, cap_seg;
  annotation *ann;
  int n_ann, cap_ann;
  uint8_t *buf;
  int failed; /* a write failed: close reports it and leaves no meta */
};

static char *dup_str(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static void writer_free(cs_sigmf_writer *w) {
  if (w->f) fclose(w->f);
  free(w->description);
  free(w->hw);
  free(w->seg);
  for (int i = 0; i < w->n_ann; i++) { free(w->ann[i].label); free(w->ann[i].comment); }
  free(w->ann);
  free(w->buf);
  free(w);
}

cs_status cs_sigmf_writer_create(const char *base, const char *datatype, double sample_rate,
                                 const char *description, const char *hw, cs_sigmf_writer **out,
                                 cs_err *err) {
  *out = NULL;
  dt_info dt;
  if (!datatype || !parse_datatype(datatype, &dt))
    return cs_fail(err, CS_ERR_INPUT, "%s: unsupported SigMF datatype '%s'", base, datatype ? datatype : "");
  if (!(sample_rate > 0) || !isfinite(sample_rate))
    return cs_fail(err, CS_ERR_INPUT, "%s: sample rate %g is not positive", base, sample_rate);
  cs_sigmf_writer *w = calloc(1, sizeof *w);
  if (!w) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", base);
  w->dt = dt;
  snprintf(w->datatype, sizeof w->datatype, "%s", datatype);
  w->sample_bytes = 2 * dt.bits / 8;
  dt_scale(&dt, &w->full_scale, &w->zero);
  w->rate = sample_rate;
  snprintf(w->meta_path, sizeof w->meta_path, "%s.sigmf-meta", base);
  snprintf(w->data_path, sizeof w->data_path, "%s.sigmf-data", base);
  w->description = dup_str(description);
  w->hw = dup_str(hw);
  w->buf = malloc((size_t)WRITE_CHUNK * (size_t)w->sample_bytes);
  if (!w->buf || (description && !w->description) || (hw && !w->hw)) {
    writer_free(w);
    return cs_fail(err, CS_ERR_ENV, "%s: out of memory", base);
  }
  w->f = fopen(w->data_path, "wb");
  if (!w->f) {
    cs_status st = cs_fail(err, CS_ERR_ENV, "%s: cannot create: %s", w->data_path, strerror(errno));
    writer_free(w);
    return st;
  }
  *out = w;
  return CS_OK;
}

cs_status cs_sigmf_writer_segment(cs_sigmf_writer *w, double frequency_hz, double time_unix,
                                  double lat, double lon, double alt, cs_err *err) {
  if (!isfinite(frequency_hz) || frequency_hz < 0)
    return cs_fail(err, CS_ERR_INPUT, "%s: capture frequency %g is not valid", w->meta_path, frequency_hz);
  if (isfinite(lat) != isfinite(lon) || (isfinite(lat) && (fabs(lat) > 90 || fabs(lon) > 180)))
    return cs_fail(err, CS_ERR_INPUT, "%s: position %g, %g is not on the globe", w->meta_path, lat, lon);
  /* a segment with no samples yet is replaced: SigMF needs strictly increasing sample_start */
  if (w->n_seg > 0 && w->seg[w->n_seg - 1].sample_start == w->pos) w->n_seg--;
  if (w->n_seg == w->cap_seg) {
    if (w->n_seg >= CS_SIGMF_MAX_SEGMENTS)
      return cs_fail(err, CS_ERR_INPUT, "%s: more than %d capture segments", w->meta_path, CS_SIGMF_MAX_SEGMENTS);
    int cap = w->cap_seg ? 2 * w->cap_seg : 8;
    cs_sigmf_segment *n = realloc(w->seg, sizeof *n * (size_t)cap);
    if (!n) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", w->meta_path);
    w->seg = n;
    w->cap_seg = cap;
  }
  cs_sigmf_segment *s = &w->seg[w->n_seg++];
  memset(s, 0, sizeof *s);
  s->sample_start = w->pos;
  s->frequency_hz = frequency_hz;
  s->time_unix = time_unix;
  s->lat = lat; s->lon = lon; s->alt = alt;
  return CS_OK;
}

cs_status cs_sigmf_writer_write(cs_sigmf_writer *w, const float complex *x, size_t n, cs_err *err) {
  if (w->n_seg == 0) {
    cs_status st = cs_sigmf_writer_segment(w, 0.0, NAN, NAN, NAN, NAN, err);
    if (st) return st;
  }
  int cb = w->sample_bytes / 2;
  while (n > 0) {
    size_t k = n < WRITE_CHUNK ? n : WRITE_CHUNK;
    for (size_t i = 0; i < k; i++) {
      uint8_t *p = w->buf + i * (size_t)w->sample_bytes;
      store_component(p, &w->dt, crealf(x[i]) * w->full_scale + w->zero);
      store_component(p + cb, &w->dt, cimagf(x[i]) * w->full_scale + w->zero);
    }
    if (fwrite(w->buf, (size_t)w->sample_bytes, k, w->f) != k) {
      w->failed = 1;
      return cs_fail(err, CS_ERR_ENV, "%s: write failed: %s", w->data_path, strerror(errno));
    }
    w->pos += k;
    x += k;
    n -= k;
  }
  return CS_OK;
}

cs_status cs_sigmf_writer_annotate(cs_sigmf_writer *w, uint64_t sample_start, uint64_t count,
                                   double freq_lo_hz, double freq_hi_hz, const char *label,
                                   const char *comment, cs_err *err) {
  if (freq_lo_hz > freq_hi_hz)
    return cs_fail(err, CS_ERR_INPUT, "%s: annotation frequency range is reversed", w->meta_path);
  if (w->n_ann == w->cap_ann) {
    int cap = w->cap_ann ? 2 * w->cap_ann : 8;
    annotation *n = realloc(w->ann, sizeof *n * (size_t)cap);
    if (!n) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", w->meta_path);
    w->ann = n;
    w->cap_ann = cap;
  }
  annotation *a = &w->ann[w->n_ann];
  a->start = sample_start;
  a->count = count;
  a->f_lo = freq_lo_hz;
  a->f_hi = freq_hi_hz;
  a->label = dup_str(label);
  a->comment = dup_str(comment);
  if ((label && !a->label) || (comment && !a->comment)) {
    free(a->label); free(a->comment);
    return cs_fail(err, CS_ERR_ENV, "%s: out of memory", w->meta_path);
  }
  w->n_ann++;
  return CS_OK;
}

uint64_t cs_sigmf_writer_position(const cs_sigmf_writer *w) { return w->pos; }

/* RFC 3339 UTC with microseconds, as core:datetime wants */
static void format_datetime(double t, char *buf, size_t cap) {
  time_t s = (time_t)floor(t);
  long us = lround((t - floor(t)) * 1e6);
  if (us >= 1000000) { s++; us -= 1000000; }
  struct tm tm;
  gmtime_r(&s, &tm);
  size_t n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, cap - n, ".%06dZ", (int)us);
}

static int by_start(const void *a, const void *b) {
  uint64_t x = ((const annotation *)a)->start, y = ((const annotation *)b)->start;
  return (x > y) - (x < y);
}

static cJSON *build_meta(cs_sigmf_writer *w) {
  cJSON *root = cJSON_CreateObject(), *g = cJSON_AddObjectToObject(root, "global");
  cJSON_AddStringToObject(g, "core:datatype", w->datatype);
  cJSON_AddNumberToObject(g, "core:sample_rate", w->rate);
  cJSON_AddStringToObject(g, "core:version", "1.0.0");
  cJSON_AddNumberToObject(g, "core:num_channels", 1);
  cJSON_AddStringToObject(g, "core:recorder", "cellsurvey");
  if (w->description) cJSON_AddStringToObject(g, "core:description", w->description);
  if (w->hw) cJSON_AddStringToObject(g, "core:hw", w->hw);
  cJSON *caps = cJSON_AddArrayToObject(root, "captures");
  for (int i = 0; i < w->n_seg; i++) {
    const cs_sigmf_segment *s = &w->seg[i];
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "core:sample_start", (double)s->sample_start);
    if (s->frequency_hz > 0) cJSON_AddNumberToObject(c, "core:frequency", s->frequency_hz);
    if (isfinite(s->time_unix)) {
      char ts[48];
      format_datetime(s->time_unix, ts, sizeof ts);
      cJSON_AddStringToObject(c, "core:datetime", ts);
    }
    if (isfinite(s->lat)) {
      cJSON *geo = cJSON_AddObjectToObject(c, "core:geolocation");
      cJSON_AddStringToObject(geo, "type", "Point");
      cJSON *xy = cJSON_AddArrayToObject(geo, "coordinates");
      cJSON_AddItemToArray(xy, cJSON_CreateNumber(s->lon));
      cJSON_AddItemToArray(xy, cJSON_CreateNumber(s->lat));
      if (isfinite(s->alt)) cJSON_AddItemToArray(xy, cJSON_CreateNumber(s->alt));
    }
    cJSON_AddItemToArray(caps, c);
  }
  if (w->n_ann > 1) qsort(w->ann, (size_t)w->n_ann, sizeof *w->ann, by_start);
  cJSON *anns = cJSON_AddArrayToObject(root, "annotations");
  for (int i = 0; i < w->n_ann; i++) {
    const annotation *a = &w->ann[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "core:sample_start", (double)a->start);
    cJSON_AddNumberToObject(o, "core:sample_count", (double)a->count);
    if (a->f_lo != 0 || a->f_hi != 0) {
      cJSON_AddNumberToObject(o, "core:freq_lower_edge", a->f_lo);
      cJSON_AddNumberToObject(o, "core:freq_upper_edge", a->f_hi);
    }
    if (a->label) cJSON_AddStringToObject(o, "core:label", a->label);
    if (a->comment) cJSON_AddStringToObject(o, "core:comment", a->comment);
    cJSON_AddItemToArray(anns, o);
  }
  return root;
}

cs_status cs_sigmf_writer_close(cs_sigmf_writer *w, cs_err *err) {
  if (!w) return CS_OK;
  cs_status st = CS_OK;
  int failed = w->failed;
  if (fflush(w->f) != 0 || ferror(w->f)) failed = 1;
  if (fclose(w->f) != 0) failed = 1;
  w->f = NULL;
  if (failed) {
    st = cs_fail(err, CS_ERR_ENV, "%s: writing the samples failed (disk full?); no metadata written", w->data_path);
    writer_free(w);
    return st;
  }
  if (w->n_seg == 0) cs_sigmf_writer_segment(w, 0.0, NAN, NAN, NAN, NAN, NULL);
  cJSON *root = build_meta(w);
  char *text = root ? cJSON_Print(root) : NULL;
  cJSON_Delete(root);
  if (!text) { writer_free(w); return cs_fail(err, CS_ERR_ENV, "out of memory writing SigMF metadata"); }
  char tmp[4300];
  snprintf(tmp, sizeof tmp, "%s.tmp", w->meta_path);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    st = cs_fail(err, CS_ERR_ENV, "%s: cannot create: %s", tmp, strerror(errno));
  } else {
    int bad = fputs(text, f) < 0 || fputc('\n', f) == EOF;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, w->meta_path) != 0) {
      st = cs_fail(err, CS_ERR_ENV, "%s: writing the metadata failed: %s", w->meta_path, strerror(errno));
      remove(tmp);
    }
  }
  free(text);
  writer_free(w);
  return st;
}
