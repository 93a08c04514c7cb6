/* test_sigmf_write.c: SigMF writer -> reader round trips for several datatypes (float, signed,
 * unsigned, both byte orders), with capture segments (frequency, datetime, geolocation), clipping
 * beyond full scale and annotations. */
#include <cjson/cJSON.h>
#include <complex.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "check.h"

#define N 5000

static float complex sample(int i) {
  float a = 0.9f * sinf(0.001f * i);
  return a * cexpf(I * 0.37f * i);
}

static void round_trip(const char *dir, const char *dt, double tol) {
  char base[4200];
  snprintf(base, sizeof base, "%s/w_%s", dir, dt);
  cs_err err = {{0}};
  cs_sigmf_writer *w;
  CHECK(cs_sigmf_writer_create(base, dt, 1.92e6, "round trip", "test", &w, &err) == CS_OK, "%s: %s", dt, err.msg);
  if (!w) return;
  static float complex x[N];
  for (int i = 0; i < N; i++) x[i] = sample(i);
  x[7] = 1.7f - 2.5f * I; /* beyond full scale: clipped */
  const double freq[3] = {947e6, 1815e6, 806e6};
  const double t0 = 1795000000.25;
  const int len[3] = {1200, 2600, 1200};
  int pos = 0;
  for (int s = 0; s < 3; s++) {
    double lat = s == 1 ? NAN : -1.28 + s, lon = s == 1 ? NAN : 36.82, alt = s == 2 ? NAN : 1700;
    CHECK(cs_sigmf_writer_segment(w, freq[s], t0 + s * 10.0, lat, lon, alt, &err) == CS_OK, "%s", err.msg);
    /* in two pieces, to cross the writer's chunk */
    CHECK(cs_sigmf_writer_write(w, x + pos, 100, &err) == CS_OK, "%s", err.msg);
    CHECK(cs_sigmf_writer_write(w, x + pos + 100, (size_t)len[s] - 100, &err) == CS_OK, "%s", err.msg);
    pos += len[s];
  }
  CHECK_INT(cs_sigmf_writer_position(w), N);
  CHECK(cs_sigmf_writer_annotate(w, 3000, 500, 1814.9e6, 1815.1e6, "C0", "BCCH carrier", &err) == CS_OK, "%s", err.msg);
  CHECK(cs_sigmf_writer_annotate(w, 10, 20, 0, 0, "burst", NULL, &err) == CS_OK, "%s", err.msg);
  CHECK(cs_sigmf_writer_annotate(w, 10, 20, 2e6, 1e6, "bad", NULL, &err) == CS_ERR_INPUT, "reversed range accepted");
  CHECK(cs_sigmf_writer_close(w, &err) == CS_OK, "%s", err.msg);

  cs_source *src;
  const cs_sigmf_meta *m;
  CHECK(cs_sigmf_open(base, &src, &m, &err) == CS_OK, "%s: %s", dt, err.msg);
  if (!src) return;
  CHECK_STR(m->datatype, dt);
  CHECK_NEAR(m->sample_rate, 1.92e6, 1e-6);
  CHECK_INT(m->num_samples, N);
  CHECK_INT(m->n_segments, 3);
  for (int s = 0; s < 3 && s < m->n_segments; s++) {
    const cs_sigmf_segment *g = &m->segments[s];
    CHECK_NEAR(g->frequency_hz, freq[s], 1e-3);
    CHECK_NEAR(g->time_unix, t0 + s * 10.0, 1e-5);
    if (s == 1) CHECK(isnan(g->lat) && isnan(g->lon), "segment 1 has no position");
    else {
      CHECK_NEAR(g->lat, -1.28 + s, 1e-9);
      CHECK_NEAR(g->lon, 36.82, 1e-9);
    }
    if (s == 0) CHECK_NEAR(g->alt, 1700, 1e-9);
    if (s == 2) CHECK(isnan(g->alt), "segment 2 has no altitude");
  }
  CHECK_INT(m->segments[1].sample_start, 1200);
  CHECK_INT(m->segments[2].sample_start, 3800);
  /* samples back, within one quantisation step; blocks never cross a segment */
  static float complex y[N];
  size_t got = 0, n;
  cs_block_info info;
  double worst = 0;
  int crossed = 0;
  while (cs_source_read(src, y + got, N - got, &n, &info, &err) == CS_OK && n > 0) {
    int seg_end = info.segment == 0 ? 1200 : info.segment == 1 ? 3800 : N;
    crossed += (int)(info.sample_index + n) > seg_end;
    CHECK_NEAR(info.center_hz, freq[info.segment], 1e-3);
    got += n;
  }
  CHECK_INT(got, N);
  CHECK_INT(crossed, 0);
  for (int i = 0; i < N; i++) {
    if (i == 7) continue;
    double e = cabsf(y[i] - x[i]);
    if (e > worst) worst = e;
  }
  CHECK(worst <= tol, "%s: worst error %.3g > %.3g", dt, worst, tol);
  if (dt[1] == 'f') /* float types hold any value */
    CHECK(cabsf(y[7] - x[7]) <= tol, "%s: sample beyond full scale reads %g%+gi", dt, crealf(y[7]), cimagf(y[7]));
  else /* integer types clip at full scale (the most negative code may read slightly below -1) */
    CHECK(fabsf(crealf(y[7]) - 1.0f) <= tol && fabsf(cimagf(y[7]) + 1.0f) <= tol + 1.0f / 127,
          "%s: clipped sample reads %g%+gi", dt, crealf(y[7]), cimagf(y[7]));
  /* annotations sorted by sample_start, with their fields */
  const cJSON *anns = cJSON_GetObjectItem(m->json, "annotations");
  CHECK_INT(cJSON_GetArraySize(anns), 2);
  const cJSON *a0 = cJSON_GetArrayItem(anns, 0), *a1 = cJSON_GetArrayItem(anns, 1);
  if (a0 && a1) {
    CHECK_INT(cJSON_GetObjectItem(a0, "core:sample_start")->valuedouble, 10);
    CHECK_STR(cJSON_GetObjectItem(a0, "core:label")->valuestring, "burst");
    CHECK(cJSON_GetObjectItem(a0, "core:freq_lower_edge") == NULL, "no range on a0");
    CHECK_INT(cJSON_GetObjectItem(a1, "core:sample_count")->valuedouble, 500);
    CHECK_NEAR(cJSON_GetObjectItem(a1, "core:freq_upper_edge")->valuedouble, 1815.1e6, 1e-3);
    CHECK_STR(cJSON_GetObjectItem(a1, "core:comment")->valuestring, "BCCH carrier");
  }
  const cJSON *g = cJSON_GetObjectItem(m->json, "global");
  CHECK_STR(cJSON_GetObjectItem(g, "core:version")->valuestring, "1.0.0");
  CHECK_STR(cJSON_GetObjectItem(g, "core:description")->valuestring, "round trip");
  cs_source_close(src);
}

int main(void) {
  const char *dir = check_tmp_dir();
  round_trip(dir, "cf32_le", 1e-6);
  round_trip(dir, "cf64_be", 1e-6);
  round_trip(dir, "ci16_le", 1.5 / 32767);
  round_trip(dir, "ci16_be", 1.5 / 32767);
  round_trip(dir, "ci32_le", 1e-6);
  round_trip(dir, "ci8", 1.5 / 127);
  round_trip(dir, "cu8", 1.5 / 127.5);
  round_trip(dir, "cu16_be", 1.5 / 32767.5);
  cs_err err = {{0}};
  cs_sigmf_writer *w;
  /* the minimum: samples without a segment or annotations get one implicit capture at 0 */
  char base[4200];
  snprintf(base, sizeof base, "%s/w_minimal", dir);
  CHECK(cs_sigmf_writer_create(base, "ci8", 2e6, NULL, NULL, &w, &err) == CS_OK, "%s", err.msg);
  if (w) {
    float complex z[100] = {0.5f};
    CHECK(cs_sigmf_writer_write(w, z, 100, &err) == CS_OK, "%s", err.msg);
    CHECK(cs_sigmf_writer_close(w, &err) == CS_OK, "%s", err.msg);
    cs_source *src;
    const cs_sigmf_meta *m;
    CHECK(cs_sigmf_open(base, &src, &m, &err) == CS_OK, "%s", err.msg);
    if (src) {
      CHECK_INT(m->n_segments, 1);
      CHECK_INT(m->num_samples, 100);
      CHECK(m->segments[0].frequency_hz == 0 && isnan(m->segments[0].time_unix), "implicit segment");
      CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(m->json, "annotations")), 0);
      cs_source_close(src);
    }
  }
  CHECK(cs_sigmf_writer_create("/nonexistent/dir/x", "ci16_le", 1e6, NULL, NULL, &w, &err) == CS_ERR_ENV, "unwritable dir");
  CHECK(strstr(err.msg, "/nonexistent/dir/x.sigmf-data") != NULL, "%s", err.msg);
  CHECK(cs_sigmf_writer_create("x", "rf32_le", 1e6, NULL, NULL, &w, &err) == CS_ERR_INPUT, "real datatype accepted");
  CHECK(cs_sigmf_writer_create("x", "ci16_le", 0, NULL, NULL, &w, &err) == CS_ERR_INPUT, "zero rate accepted");
  return check_done();
}
