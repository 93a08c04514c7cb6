/* memsource.c: a seekable cs_source over samples held in memory (live dwells, tests). */
#include "cellsurvey/memsource.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  cs_block_info info; /* center_hz, sample_rate, time_unix, lat, lon, alt of the segment */
  size_t start;       /* first sample in the buffer */
} mem_segment;

typedef struct {
  float complex *buf;
  size_t capacity, size, pos;
  mem_segment seg[CS_MEMSOURCE_MAX_SEGMENTS];
  int n_seg;
  char name[256];
} memsrc;

static const struct cs_source_ops memsrc_ops;

static memsrc *mem_of(const cs_source *src) { return (memsrc *)src->self; }

int cs_memsource_is(const cs_source *src) { return src && src->ops == &memsrc_ops; }

size_t cs_memsource_size(const cs_source *src) { return mem_of(src)->size; }

void cs_memsource_clear(cs_source *src) {
  memsrc *m = mem_of(src);
  m->size = m->pos = 0;
  m->n_seg = 0;
}

cs_status cs_memsource_segment(cs_source *src, const cs_block_info *info, cs_err *err) {
  memsrc *m = mem_of(src);
  if (m->n_seg > 0 && m->seg[m->n_seg - 1].start == m->size) m->n_seg--; /* empty: replace */
  if (m->n_seg >= CS_MEMSOURCE_MAX_SEGMENTS)
    return cs_fail(err, CS_ERR_INPUT, "%s: more than %d segments", m->name, CS_MEMSOURCE_MAX_SEGMENTS);
  if (!(info->sample_rate > 0))
    return cs_fail(err, CS_ERR_INPUT, "%s: segment without a sample rate", m->name);
  mem_segment *s = &m->seg[m->n_seg++];
  memset(s, 0, sizeof *s);
  s->info.center_hz = info->center_hz;
  s->info.sample_rate = info->sample_rate;
  s->info.time_unix = info->time_unix;
  s->info.lat = info->lat;
  s->info.lon = info->lon;
  s->info.alt = info->alt;
  s->start = m->size;
  return CS_OK;
}

cs_status cs_memsource_append(cs_source *src, const float complex *x, size_t n, cs_err *err) {
  memsrc *m = mem_of(src);
  if (m->n_seg == 0) return cs_fail(err, CS_ERR_INPUT, "%s: samples appended before any segment", m->name);
  if (n > m->capacity - m->size)
    return cs_fail(err, CS_ERR_ENV, "%s: buffer full (%zu samples)", m->name, m->capacity);
  memcpy(m->buf + m->size, x, n * sizeof *x);
  m->size += n;
  return CS_OK;
}

cs_status cs_memsource_capture(cs_source *mem, cs_source *live, size_t n, size_t *got, cs_err *err) {
  memsrc *m = mem_of(mem);
  *got = 0;
  if (n > m->capacity - m->size)
    return cs_fail(err, CS_ERR_ENV, "%s: no room for %zu more samples", m->name, n);
  int segment = -1;
  while (*got < n) {
    cs_block_info info;
    size_t k = 0;
    /* read straight into the buffer; a block of a new segment ends the capture */
    cs_status st = cs_source_read(live, m->buf + m->size, n - *got, &k, &info, err);
    if (st != CS_OK) return st;
    if (k == 0) break;
    if (segment < 0) {
      segment = info.segment;
      cs_status s2 = cs_memsource_segment(mem, &info, err);
      if (s2 != CS_OK) return s2;
    } else if (info.segment != segment) {
      break; /* the samples just read belong to the next segment: drop them */
    }
    m->size += k;
    *got += k;
  }
  return CS_OK;
}

static cs_status memsrc_read(void *self, float complex *out, size_t max, size_t *n,
                             cs_block_info *info, cs_err *err) {
  memsrc *m = self;
  *n = 0;
  if (m->pos >= m->size) return CS_OK;
  int i = 0;
  while (i + 1 < m->n_seg && m->seg[i + 1].start <= m->pos) i++;
  size_t end = i + 1 < m->n_seg ? m->seg[i + 1].start : m->size;
  size_t k = end - m->pos;
  if (k > max) k = max;
  memcpy(out, m->buf + m->pos, k * sizeof *out);
  const mem_segment *s = &m->seg[i];
  *info = s->info;
  info->segment = i;
  info->segment_start = s->start;
  info->segment_samples = end - s->start;
  info->sample_index = m->pos;
  if (!isnan(s->info.time_unix))
    info->time_unix = s->info.time_unix + (double)(m->pos - s->start) / s->info.sample_rate;
  m->pos += k;
  *n = k;
  return CS_OK;
}

static cs_status memsrc_seek(void *self, uint64_t index, cs_err *err) {
  memsrc *m = self;
  if (index > m->size)
    return cs_fail(err, CS_ERR_INPUT, "%s: seek to %llu beyond %zu samples", m->name,
                   (unsigned long long)index, m->size);
  m->pos = (size_t)index;
  return CS_OK;
}

static void memsrc_close(void *self) {
  memsrc *m = self;
  if (!m) return;
  free(m->buf);
  free(m);
}

static const struct cs_source_ops memsrc_ops = {
    .read = memsrc_read, .tune = NULL, .seek = memsrc_seek, .close = memsrc_close};

cs_status cs_memsource_create(size_t capacity, const char *name, cs_source **src, cs_err *err) {
  *src = NULL;
  memsrc *m = calloc(1, sizeof *m);
  cs_source *s = calloc(1, sizeof *s);
  if (m) m->buf = malloc((capacity ? capacity : 1) * sizeof *m->buf);
  if (!m || !s || !m->buf) {
    memsrc_close(m);
    free(s);
    return cs_fail(err, CS_ERR_ENV, "out of memory for a %zu-sample buffer", capacity);
  }
  m->capacity = capacity;
  snprintf(m->name, sizeof m->name, "%s", name ? name : "memory");
  s->ops = &memsrc_ops;
  s->self = m;
  snprintf(s->name, sizeof s->name, "%s", m->name);
  *src = s;
  return CS_OK;
}
