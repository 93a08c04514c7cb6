/* sigmf.c: read SigMF 1.x recordings as a streaming sample source.
 *
 * The meta is parsed with cJSON and validated strictly (types, ranges, segment order); every
 * failure names the file and the field. The data file is read in blocks and converted to complex
 * float scaled to full scale = 1.0 (see cellsurvey/source.h). NaN/Inf samples are replaced by 0 and
 * counted. */
#include "cellsurvey/sigmf.h"
#include "sigmf_datatype.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SIGMF_MIN_RATE 1.0  /* below 1 sample/s the metadata is broken, not slow */
#define SIGMF_MAX_RATE 1e10 /* 10 Gsps: beyond any SDR; larger means broken metadata */
#define SIGMF_READ_BLOCK 65536
#define SIGMF_MAX_DEPTH 32  /* SigMF metadata nests 4 levels; extensions a few more */

int cs_sigmf_sample_bytes(const char *datatype) {
  dt_info dt;
  return parse_datatype(datatype, &dt) ? 2 * dt.bits / 8 : 0;
}

/* ---- meta parsing ---- */
static cs_status meta_fail(cs_err *err, const char *path, const char *what) {
  return cs_fail(err, CS_ERR_INPUT, "%s: %s", path, what);
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *read_text_file(const char *path, size_t limit, cs_err *err, cs_status *st) {
  FILE *f = fopen(path, "rb");
  if (!f) { *st = cs_fail(err, CS_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno)); return NULL; }
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap = cap ? cap * 2 : 16384;
      char *nb = realloc(buf, cap);
      if (!nb) { free(buf); fclose(f); *st = cs_fail(err, CS_ERR_ENV, "%s: out of memory", path); return NULL; }
      buf = nb;
    }
    size_t got = fread(buf + len, 1, 4096, f);
    len += got;
    if (len > limit) {
      free(buf); fclose(f);
      *st = cs_fail(err, CS_ERR_INPUT, "%s: metadata larger than %zu bytes", path, limit);
      return NULL;
    }
    if (got < 4096) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) { free(buf); *st = cs_fail(err, CS_ERR_INPUT, "%s: read error", path); return NULL; }
  buf[len] = '\0';
  if (strlen(buf) != len) { free(buf); *st = cs_fail(err, CS_ERR_INPUT, "%s: metadata contains a NUL byte", path); return NULL; }
  return buf;
}

/* Deepest nesting of objects and arrays in a JSON text (strings skipped), so that hostile
 * nesting is refused before the parser recurses into it. */
static int json_depth(const char *s) {
  int depth = 0, max = 0, in_str = 0;
  for (; *s; s++) {
    if (in_str) {
      if (*s == '\\' && s[1]) s++;
      else if (*s == '"') in_str = 0;
    } else if (*s == '"') in_str = 1;
    else if (*s == '{' || *s == '[') { if (++depth > max) max = depth; }
    else if (*s == '}' || *s == ']') depth--;
  }
  return max;
}

/* ISO 8601 / RFC 3339 UTC time ("2024-01-02T03:04:05.678Z") to Unix seconds; NAN if malformed. */
static double parse_datetime(const char *s) {
  struct tm tm = {0};
  int n = 0;
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
             &tm.tm_min, &tm.tm_sec, &n) != 6)
    return NAN;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60)
    return NAN;
  double frac = 0.0;
  const char *p = s + n;
  if (*p == '.') {
    double scale = 0.1;
    for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10) frac += (*p - '0') * scale;
  }
  double offset = 0.0;
  if (*p == '+' || *p == '-') {
    int hh, mm;
    if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2) return NAN;
    offset = (*p == '+' ? 1 : -1) * (hh * 3600.0 + mm * 60.0);
  } else if (*p != 'Z' && *p != 'z' && *p != '\0') {
    return NAN;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm);
  return (double)t + frac - offset;
}

static cs_status get_number(const cJSON *obj, const char *key, double *out, int required,
                            const char *path, cs_err *err) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v) {
    if (required) return cs_fail(err, CS_ERR_INPUT, "%s: missing %s", path, key);
    return CS_OK;
  }
  if (!cJSON_IsNumber(v)) return cs_fail(err, CS_ERR_INPUT, "%s: %s must be a number", path, key);
  if (!isfinite(v->valuedouble)) return cs_fail(err, CS_ERR_INPUT, "%s: %s is not finite", path, key);
  *out = v->valuedouble;
  return CS_OK;
}

static cs_status get_count(const cJSON *obj, const char *key, uint64_t *out, const char *path,
                           cs_err *err) {
  double d = NAN;
  cs_status st = get_number(obj, key, &d, 0, path, err);
  if (st || isnan(d)) return st;
  if (d < 0 || d != floor(d) || d > 9.0e15)
    return cs_fail(err, CS_ERR_INPUT, "%s: %s must be a non-negative whole number", path, key);
  *out = (uint64_t)d;
  return CS_OK;
}

static cs_status parse_segment(const cJSON *c, int index, cs_sigmf_segment *seg, const char *path,
                               cs_err *err) {
  char where[64];
  snprintf(where, sizeof where, "captures[%d]", index);
  if (!cJSON_IsObject(c)) return cs_fail(err, CS_ERR_INPUT, "%s: %s must be an object", path, where);
  seg->time_unix = seg->lat = seg->lon = seg->alt = NAN;
  cs_status st;
  if ((st = get_count(c, "core:sample_start", &seg->sample_start, path, err))) return st;
  if ((st = get_count(c, "core:header_bytes", &seg->header_bytes, path, err))) return st;
  if ((st = get_number(c, "core:frequency", &seg->frequency_hz, 0, path, err))) return st;
  if (seg->frequency_hz < 0 || seg->frequency_hz > 1e12)
    return cs_fail(err, CS_ERR_INPUT, "%s: %s core:frequency %.6g Hz is out of range", path, where,
                   seg->frequency_hz);
  const cJSON *dt = cJSON_GetObjectItemCaseSensitive(c, "core:datetime");
  if (dt) {
    if (!cJSON_IsString(dt)) return cs_fail(err, CS_ERR_INPUT, "%s: %s core:datetime must be a string", path, where);
    seg->time_unix = parse_datetime(dt->valuestring);
    if (isnan(seg->time_unix))
      return cs_fail(err, CS_ERR_INPUT, "%s: %s core:datetime '%.40s' is not an ISO 8601 UTC time", path, where, dt->valuestring);
  }
  const cJSON *geo = cJSON_GetObjectItemCaseSensitive(c, "core:geolocation");
  if (geo) {
    const cJSON *coords = cJSON_GetObjectItemCaseSensitive(geo, "coordinates");
    int n = cJSON_IsArray(coords) ? cJSON_GetArraySize(coords) : 0;
    if (n < 2 || n > 3) return cs_fail(err, CS_ERR_INPUT, "%s: %s core:geolocation needs coordinates [lon, lat(, alt)]", path, where);
    double v[3] = {NAN, NAN, NAN};
    for (int i = 0; i < n; i++) {
      const cJSON *x = cJSON_GetArrayItem(coords, i);
      if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble))
        return cs_fail(err, CS_ERR_INPUT, "%s: %s core:geolocation coordinates must be numbers", path, where);
      v[i] = x->valuedouble;
    }
    if (fabs(v[0]) > 180 || fabs(v[1]) > 90)
      return cs_fail(err, CS_ERR_INPUT, "%s: %s core:geolocation is outside the globe", path, where);
    seg->lon = v[0]; seg->lat = v[1]; seg->alt = v[2];
  }
  return CS_OK;
}

static void data_path_for(const char *path, char *meta, char *data, size_t cap) {
  char base[4096];
  snprintf(base, sizeof base, "%s", path);
  if (ends_with(base, ".sigmf-meta")) base[strlen(base) - 11] = '\0';
  else if (ends_with(base, ".sigmf-data")) base[strlen(base) - 11] = '\0';
  else if (ends_with(base, ".")) base[strlen(base) - 1] = '\0';
  snprintf(meta, cap, "%s.sigmf-meta", base);
  snprintf(data, cap, "%s.sigmf-data", base);
}

void cs_sigmf_meta_free(cs_sigmf_meta *meta) {
  if (!meta) return;
  cJSON_Delete(meta->json);
  free(meta->segments);
  free(meta);
}

cs_status cs_sigmf_meta_load(const char *path, cs_sigmf_meta **out, cs_err *err) {
  *out = NULL;
  cs_sigmf_meta *m = calloc(1, sizeof *m);
  if (!m) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", path);
  data_path_for(path, m->meta_path, m->data_path, sizeof m->meta_path);
  const char *mp = m->meta_path;
  cs_status st = CS_OK;
  char *text = read_text_file(mp, 64u << 20, err, &st);
  if (!text) goto fail;
  int depth = json_depth(text);
  if (depth > SIGMF_MAX_DEPTH) {
    free(text);
    st = cs_fail(err, CS_ERR_INPUT, "%s: JSON nested more than %d levels deep (SigMF needs 4)", mp, SIGMF_MAX_DEPTH);
    goto fail;
  }
  const char *bad_at = NULL;
  m->json = cJSON_ParseWithOpts(text, &bad_at, 1);
  if (!m->json) {
    size_t line = 1, col = 1;
    for (const char *p = text; bad_at && p < bad_at && *p; p++) {
      if (*p == '\n') { line++; col = 1; } else col++;
    }
    free(text);
    st = cs_fail(err, CS_ERR_INPUT, "%s: invalid JSON near line %zu, column %zu", mp, line, col);
    goto fail;
  }
  free(text);
  if (!cJSON_IsObject(m->json)) { st = meta_fail(err, mp, "the metadata is not a JSON object"); goto fail; }
  const cJSON *global = cJSON_GetObjectItemCaseSensitive(m->json, "global");
  if (!cJSON_IsObject(global)) { st = meta_fail(err, mp, "missing \"global\" object"); goto fail; }

  const cJSON *dt = cJSON_GetObjectItemCaseSensitive(global, "core:datatype");
  if (!dt) { st = meta_fail(err, mp, "missing core:datatype"); goto fail; }
  if (!cJSON_IsString(dt)) { st = meta_fail(err, mp, "core:datatype must be a string"); goto fail; }
  if (!cs_sigmf_sample_bytes(dt->valuestring)) {
    st = cs_fail(err, CS_ERR_INPUT, "%s: unsupported core:datatype '%.32s' (complex types: cf32_le, cf64_le, ci32_le, ci16_le, ci8, cu32_le, cu16_le, cu8 and _be forms)", mp, dt->valuestring);
    goto fail;
  }
  snprintf(m->datatype, sizeof m->datatype, "%s", dt->valuestring);

  const cJSON *nch = cJSON_GetObjectItemCaseSensitive(global, "core:num_channels");
  if (nch && (!cJSON_IsNumber(nch) || nch->valuedouble != 1)) {
    st = meta_fail(err, mp, "core:num_channels must be 1 (multi-channel recordings are not supported)");
    goto fail;
  }
  m->sample_rate = NAN;
  if ((st = get_number(global, "core:sample_rate", &m->sample_rate, 1, mp, err))) goto fail;
  if (!(m->sample_rate >= SIGMF_MIN_RATE) || m->sample_rate > SIGMF_MAX_RATE) {
    st = cs_fail(err, CS_ERR_INPUT, "%s: core:sample_rate %.6g is not a usable sample rate", mp, m->sample_rate);
    goto fail;
  }
  if ((st = get_count(global, "core:trailing_bytes", &m->trailing_bytes, mp, err))) goto fail;

  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(m->json, "captures");
  if (caps && !cJSON_IsArray(caps)) { st = meta_fail(err, mp, "\"captures\" must be an array"); goto fail; }
  int n = caps ? cJSON_GetArraySize(caps) : 0;
  if (n > CS_SIGMF_MAX_SEGMENTS) { st = meta_fail(err, mp, "too many capture segments"); goto fail; }
  m->n_segments = n > 0 ? n : 1;
  m->segments = calloc((size_t)m->n_segments, sizeof *m->segments);
  if (!m->segments) { st = cs_fail(err, CS_ERR_ENV, "%s: out of memory", mp); goto fail; }
  if (n == 0) {
    m->segments[0].time_unix = m->segments[0].lat = m->segments[0].lon = m->segments[0].alt = NAN;
  }
  for (int i = 0; i < n; i++) {
    if ((st = parse_segment(cJSON_GetArrayItem(caps, i), i, &m->segments[i], mp, err))) goto fail;
    if (i > 0 && m->segments[i].sample_start <= m->segments[i - 1].sample_start) {
      st = meta_fail(err, mp, "captures must be in increasing core:sample_start order");
      goto fail;
    }
  }
  /* global header_bytes (a common non-conforming form) applies before the first segment */
  uint64_t global_header = 0;
  if ((st = get_count(global, "core:header_bytes", &global_header, mp, err))) goto fail;
  m->segments[0].header_bytes += global_header;
  const cJSON *ann = cJSON_GetObjectItemCaseSensitive(m->json, "annotations");
  if (ann && !cJSON_IsArray(ann)) { st = meta_fail(err, mp, "\"annotations\" must be an array"); goto fail; }

  struct stat sb;
  if (stat(m->data_path, &sb) != 0) {
    st = cs_fail(err, CS_ERR_INPUT, "%s: data file missing: %s", m->data_path, strerror(errno));
    goto fail;
  }
  if (!S_ISREG(sb.st_mode)) { st = meta_fail(err, m->data_path, "data file is not a regular file"); goto fail; }
  uint64_t size = (uint64_t)sb.st_size;
  uint64_t overhead = m->trailing_bytes;
  for (int i = 0; i < m->n_segments && overhead <= size; i++) overhead += m->segments[i].header_bytes;
  int sb_bytes = cs_sigmf_sample_bytes(m->datatype);
  if (size <= overhead) { st = meta_fail(err, m->data_path, "data file holds no samples"); goto fail; }
  if ((size - overhead) % (uint64_t)sb_bytes != 0) {
    st = cs_fail(err, CS_ERR_INPUT, "%s: size %llu bytes is not a whole number of %s samples (%d bytes each)",
                 m->data_path, (unsigned long long)size, m->datatype, sb_bytes);
    goto fail;
  }
  m->num_samples = (size - overhead) / (uint64_t)sb_bytes;
  if (m->segments[m->n_segments - 1].sample_start >= m->num_samples) {
    st = meta_fail(err, mp, "a capture segment starts beyond the end of the data");
    goto fail;
  }
  *out = m;
  return CS_OK;
fail:
  cs_sigmf_meta_free(m);
  return st;
}

/* ---- the streaming source ---- */
typedef struct {
  cs_sigmf_meta *meta;
  FILE *f;
  dt_info dt;
  int sample_bytes;
  double full_scale, zero;
  uint64_t pos;  /* next sample to deliver */
  int seg;       /* segment of pos */
  uint64_t nonfinite;
  uint8_t *buf;
  int as_is;       /* cf32_le on a little-endian host: read straight into the output */
  float lut8[256]; /* 8-bit types: the float of each byte value */
} sigmf_src;

static cs_status seek_to(sigmf_src *s, cs_err *err) {
  uint64_t off = 0;
  for (int i = 0; i <= s->seg; i++) off += s->meta->segments[i].header_bytes;
  off += s->pos * (uint64_t)s->sample_bytes;
  if (fseeko(s->f, (off_t)off, SEEK_SET) != 0)
    return cs_fail(err, CS_ERR_INPUT, "%s: cannot seek: %s", s->meta->data_path, strerror(errno));
  return CS_OK;
}

/* Bytes in s->buf to complex float at full scale 1.0 (cf32_le on a little-endian host was read
 * into out as it is and is only checked). The common SDR formats (little-endian ci16, ci8, cu8,
 * cf32 on a little-endian host) have straight loops; the rest go through the generic
 * per-component loader. Only float types can hold NaN/Inf. */
/* Four values as one SIMD register (GCC/Clang vector extension: the -O2 build leaves the plain
 * conversion loops scalar, about 8 instructions a sample). */
typedef float v4sf __attribute__((vector_size(16)));
typedef int32_t v4si __attribute__((vector_size(16)));
typedef int16_t v8hi __attribute__((vector_size(16)));

/* ci16_le on a little-endian host: 8 components per step */
static void convert_ci16(const uint8_t *in, float *o, size_t m, float scale) {
  size_t i = 0;
  const v4sf sc = {scale, scale, scale, scale};
  for (; i + 8 <= m; i += 8) {
    v8hi v;
    memcpy(&v, in + 2 * i, sizeof v);
    /* each int16 twice in a 32-bit lane, shifted down arithmetically: sign-extended to int32
     * (SSE2 has no int16 to float conversion; __builtin_convertvector from int16 goes scalar) */
    v4si lo = (v4si)__builtin_shufflevector(v, v, 0, 0, 1, 1, 2, 2, 3, 3) >> 16;
    v4si hi = (v4si)__builtin_shufflevector(v, v, 4, 4, 5, 5, 6, 6, 7, 7) >> 16;
    v4sf f0 = __builtin_convertvector(lo, v4sf) * sc, f1 = __builtin_convertvector(hi, v4sf) * sc;
    memcpy(o + i, &f0, sizeof f0);
    memcpy(o + i + 4, &f1, sizeof f1);
  }
  for (; i < m; i++) { int16_t v; memcpy(&v, in + 2 * i, 2); o[i] = v * scale; }
}

/* cf32_le, read into o as it is: a NaN or Inf component has all exponent bits set; a block
 * without one stays as it is, one with one has those samples zeroed and counted */
static void check_cf32(sigmf_src *s, float *o, size_t n) {
  const v4si expo = {0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000};
  v4si any = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= 2 * n; i += 4) {
    v4si b;
    memcpy(&b, o + i, sizeof b);
    any |= (b & expo) == expo;
  }
  int bad = (any[0] | any[1] | any[2] | any[3]) != 0;
  for (; i < 2 * n; i++) bad |= !isfinite(o[i]);
  if (!bad) return;
  for (i = 0; i < n; i++)
    if (!isfinite(o[2 * i]) || !isfinite(o[2 * i + 1])) { s->nonfinite++; o[2 * i] = o[2 * i + 1] = 0.0f; }
}

static void convert(sigmf_src *s, float complex *out, size_t n) {
  const float scale = (float)(1.0 / s->full_scale);
  const int le_host = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
  const dt_info *dt = &s->dt;
  float *o = (float *)out;
  if (le_host && !dt->big_endian && dt->kind == DT_SIGNED && dt->bits == 16) {
    convert_ci16(s->buf, o, 2 * n, scale);
  } else if (dt->bits == 8 && (dt->kind == DT_SIGNED || dt->kind == DT_UNSIGNED)) {
    for (size_t i = 0; i < 2 * n; i++) o[i] = s->lut8[s->buf[i]];
  } else if (s->as_is) {
    check_cf32(s, o, n);
  } else {
    int cb = s->sample_bytes / 2;
    for (size_t i = 0; i < n; i++) {
      const uint8_t *p = s->buf + i * (size_t)s->sample_bytes;
      double re = load_component(p, dt) - s->zero, im = load_component(p + cb, dt) - s->zero;
      /* checked after the conversion to float: a finite cf64 beyond FLT_MAX would become Inf */
      float fre = (float)re * scale, fim = (float)im * scale;
      if (!isfinite(fre) || !isfinite(fim)) { s->nonfinite++; fre = fim = 0.0f; }
      out[i] = fre + I * fim;
    }
  }
}

static cs_status sigmf_read(void *self, float complex *out, size_t max, size_t *n,
                            cs_block_info *info, cs_err *err) {
  sigmf_src *s = self;
  const cs_sigmf_meta *m = s->meta;
  *n = 0;
  if (s->pos >= m->num_samples) return CS_OK;
  while (s->seg + 1 < m->n_segments && s->pos >= m->segments[s->seg + 1].sample_start) {
    s->seg++;
    cs_status st = seek_to(s, err);
    if (st) return st;
  }
  uint64_t end = s->seg + 1 < m->n_segments ? m->segments[s->seg + 1].sample_start : m->num_samples;
  size_t want = max < SIGMF_READ_BLOCK ? max : SIGMF_READ_BLOCK;
  if (end - s->pos < want) want = (size_t)(end - s->pos);
  size_t got = fread(s->as_is ? (void *)out : (void *)s->buf, (size_t)s->sample_bytes, want, s->f);
  if (got < want) {
    if (ferror(s->f)) return cs_fail(err, CS_ERR_INPUT, "%s: read error: %s", m->data_path, strerror(errno));
    return cs_fail(err, CS_ERR_INPUT, "%s: data file ended early (truncated while being read?)", m->data_path);
  }
  convert(s, out, got);
  const cs_sigmf_segment *seg = &m->segments[s->seg];
  info->center_hz = seg->frequency_hz;
  info->sample_rate = m->sample_rate;
  info->sample_index = s->pos;
  info->segment_start = seg->sample_start;
  info->segment_samples = end - seg->sample_start;
  info->segment = s->seg;
  info->time_unix = isnan(seg->time_unix) ? NAN
                    : seg->time_unix + (double)(s->pos - seg->sample_start) / m->sample_rate;
  info->lat = seg->lat; info->lon = seg->lon; info->alt = seg->alt;
  s->pos += got;
  info->nonfinite = s->nonfinite;
  *n = got;
  return CS_OK;
}

static void sigmf_close(void *self) {
  sigmf_src *s = self;
  if (!s) return;
  if (s->f) fclose(s->f);
  free(s->buf);
  cs_sigmf_meta_free(s->meta);
  free(s);
}

static cs_status sigmf_seek(void *self, uint64_t index, cs_err *err) {
  sigmf_src *s = self;
  if (index > s->meta->num_samples)
    return cs_fail(err, CS_ERR_INPUT, "%s: seek beyond the end of the data", s->meta->data_path);
  s->pos = index;
  s->seg = 0;
  while (s->seg + 1 < s->meta->n_segments && index >= s->meta->segments[s->seg + 1].sample_start) s->seg++;
  return seek_to(s, err);
}

static const struct cs_source_ops sigmf_ops = {sigmf_read, NULL, sigmf_seek, sigmf_close};

cs_status cs_sigmf_open(const char *path, cs_source **out, const cs_sigmf_meta **meta_out, cs_err *err) {
  *out = NULL;
  cs_sigmf_meta *m;
  cs_status st = cs_sigmf_meta_load(path, &m, err);
  if (st) return st;
  sigmf_src *s = calloc(1, sizeof *s);
  cs_source *src = calloc(1, sizeof *src);
  if (!s || !src) { free(s); free(src); cs_sigmf_meta_free(m); return cs_fail(err, CS_ERR_ENV, "%s: out of memory", path); }
  s->meta = m;
  parse_datatype(m->datatype, &s->dt);
  s->sample_bytes = cs_sigmf_sample_bytes(m->datatype);
  dt_scale(&s->dt, &s->full_scale, &s->zero);
  s->as_is = s->dt.kind == DT_FLOAT && s->dt.bits == 32 && !s->dt.big_endian &&
             __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
  for (int v = 0; v < 256; v++) { /* ci8: the byte as int8; cu8: offset by zero (127.5) */
    const float scale = (float)(1.0 / s->full_scale), zero = (float)s->zero;
    s->lut8[v] = s->dt.kind == DT_SIGNED ? (float)(int8_t)(uint8_t)v * scale : ((float)v - zero) * scale;
  }
  s->buf = malloc((size_t)SIGMF_READ_BLOCK * (size_t)s->sample_bytes);
  s->f = fopen(m->data_path, "rb");
  if (!s->buf || !s->f) {
    st = cs_fail(err, s->f ? CS_ERR_ENV : CS_ERR_INPUT, "%s: cannot open: %s", m->data_path, strerror(errno));
    sigmf_close(s); free(src);
    return st;
  }
  if ((st = seek_to(s, err))) { sigmf_close(s); free(src); return st; }
  src->ops = &sigmf_ops;
  src->self = s;
  snprintf(src->name, sizeof src->name, "%s", m->data_path);
  if (meta_out) *meta_out = m;
  *out = src;
  return CS_OK;
}
