/* test_sigmf_read.c: the SigMF reader on hand-made files of every datatype, with segments and
 * header/trailing bytes, checking scaling, segment boundaries and seek. */
#include <complex.h>
#include <stdint.h>

#include "cellsurvey/sigmf.h"
#include "check.h"

static void write_file(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, n, f);
  fclose(f);
}

static void write_meta(const char *base, const char *json) {
  char p[600];
  snprintf(p, sizeof p, "%s.sigmf-meta", base);
  write_file(p, json, strlen(json));
}

static void test_ci16_segments(const char *dir) {
  char base[512], p[600];
  snprintf(base, sizeof base, "%s/t_ci16", dir);
  int16_t d[2 * 6] = {32767, 0, 0, -32767, 16384, 16384, 1, 2, 3, 4, 5, 6};
  uint8_t raw[4 + sizeof d + 3] = {0xde, 0xad, 0xbe, 0xef};
  memcpy(raw + 4, d, sizeof d);
  snprintf(p, sizeof p, "%s.sigmf-data", base);
  write_file(p, raw, sizeof raw);
  write_meta(base, "{\"global\":{\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e6,\"core:version\":\"1.0.0\","
                   "\"core:trailing_bytes\":3},\"captures\":[{\"core:sample_start\":0,\"core:frequency\":9.47e8,"
                   "\"core:header_bytes\":4,\"core:datetime\":\"2026-01-02T03:04:05.5Z\"},"
                   "{\"core:sample_start\":4,\"core:frequency\":1.8e9,"
                   "\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[36.8,-1.3,1700]}}],\"annotations\":[]}");
  cs_source *src;
  const cs_sigmf_meta *m;
  cs_err err = {{0}};
  CHECK_INT(cs_sigmf_open(base, &src, &m, &err), CS_OK);
  if (!src) return;
  CHECK_INT(m->num_samples, 6);
  float complex x[16];
  size_t n;
  cs_block_info info;
  CHECK_INT(cs_source_read(src, x, 16, &n, &info, &err), CS_OK);
  CHECK_INT(n, 4);
  CHECK_INT(info.segment, 0);
  CHECK_NEAR(info.center_hz, 9.47e8, 0.5);
  CHECK_NEAR(info.time_unix, 1767323045.5, 1e-3);
  CHECK_NEAR(crealf(x[0]), 1.0, 1e-6);
  CHECK_NEAR(cimagf(x[1]), -1.0, 1e-6);
  CHECK_NEAR(crealf(x[2]), 16384.0 / 32767.0, 1e-6);
  CHECK_INT(cs_source_read(src, x, 16, &n, &info, &err), CS_OK);
  CHECK_INT(n, 2);
  CHECK_INT(info.segment, 1);
  CHECK_INT(info.sample_index, 4);
  CHECK_NEAR(info.lat, -1.3, 1e-9);
  CHECK_NEAR(crealf(x[1]), 5.0 / 32767.0, 1e-7);
  CHECK_INT(cs_source_read(src, x, 16, &n, &info, &err), CS_OK);
  CHECK_INT(n, 0);
  CHECK_INT(src->ops->seek(src->self, 3, &err), CS_OK);
  CHECK_INT(cs_source_read(src, x, 16, &n, &info, &err), CS_OK);
  CHECK_INT(n, 1);
  CHECK_NEAR(cimagf(x[0]), 2.0 / 32767.0, 1e-7);
  cs_source_close(src);
}

static void check_one_sample(const char *dir, const char *dt, const void *raw, size_t bytes,
                             double want_re, double want_im) {
  char base[512], p[600], meta[512];
  snprintf(base, sizeof base, "%s/t_%s", dir, dt);
  snprintf(p, sizeof p, "%s.sigmf-data", base);
  write_file(p, raw, bytes);
  snprintf(meta, sizeof meta, "{\"global\":{\"core:datatype\":\"%s\",\"core:sample_rate\":2e6},\"captures\":[]}", dt);
  write_meta(base, meta);
  cs_source *src;
  cs_err err = {{0}};
  CHECK(cs_sigmf_open(base, &src, NULL, &err) == CS_OK, "%s: %s", dt, err.msg);
  if (!src) return;
  float complex x[2];
  size_t n;
  cs_block_info info;
  CHECK_INT(cs_source_read(src, x, 2, &n, &info, &err), CS_OK);
  CHECK(n == 1 && fabs(crealf(x[0]) - want_re) < 1e-6 && fabs(cimagf(x[0]) - want_im) < 1e-6,
        "%s: got %g%+gi want %g%+gi", dt, crealf(x[0]), cimagf(x[0]), want_re, want_im);
  cs_source_close(src);
}

static void test_datatypes(const char *dir) {
  uint8_t cu8[2] = {255, 0};
  check_one_sample(dir, "cu8", cu8, 2, 1.0, -1.0);
  int8_t ci8[2] = {127, -127};
  check_one_sample(dir, "ci8", ci8, 2, 1.0, -1.0);
  float cf32[2] = {0.25f, -0.5f};
  check_one_sample(dir, "cf32_le", cf32, 8, 0.25, -0.5);
  double cf64[2] = {0.125, 0.75};
  check_one_sample(dir, "cf64_le", cf64, 16, 0.125, 0.75);
  uint8_t ci16be[4] = {0x7f, 0xff, 0x80, 0x01};
  check_one_sample(dir, "ci16_be", ci16be, 4, 1.0, -1.0);
  int32_t ci32[2] = {INT32_MAX, 0};
  check_one_sample(dir, "ci32_le", ci32, 8, 1.0, 0.0);
  uint16_t cu16[2] = {65535, 0};
  check_one_sample(dir, "cu16_le", cu16, 4, 1.0, -1.0);
  float nan_pair[2] = {NAN, 1.0f};
  check_one_sample(dir, "cf32_le", nan_pair, 8, 0.0, 0.0);
}

int main(void) {
  const char *dir = check_tmp_dir();
  test_ci16_segments(dir);
  test_datatypes(dir);
  return check_done();
}
