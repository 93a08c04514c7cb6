/* test_hostile_sigmf.c: every bad SigMF input of the issue, run through `cellsurvey replay` and
 * `cellsurvey spectrum`: exit code 2 and exactly one line on stderr naming the file and the
 * problem; NaN/Inf samples: exit 0 and one warning with their count. Run under ASan/UBSan in the
 * sanitizer build, where a crash or a leak also fails the test. */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char dir[4096];
static const char *bin;

static void write_bytes(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f) { perror(path); exit(1); }
  fwrite(data, 1, n, f);
  fclose(f);
}

/* base.sigmf-meta with the given text (NULL: none) and base.sigmf-data with n zero ci16 bytes
 * (n < 0: no data file). */
static void make(const char *name, const char *meta, long n, char *base, size_t cap) {
  snprintf(base, cap, "%s/h_%s", dir, name);
  char p[4300];
  snprintf(p, sizeof p, "%s.sigmf-meta", base);
  unlink(p);
  if (meta) write_bytes(p, meta, strlen(meta));
  snprintf(p, sizeof p, "%s.sigmf-data", base);
  unlink(p);
  if (n >= 0) {
    uint8_t *z = calloc(1, (size_t)n + 1);
    for (long i = 0; i < n; i++) z[i] = (uint8_t)(i * 37);
    write_bytes(p, z, (size_t)n);
    free(z);
  }
}

/* Run a command on the capture; return its exit code and its stderr (file contents). */
static int run(const char *cmd, const char *base, char *errtext, size_t cap) {
  char errpath[4300], line[9000];
  snprintf(errpath, sizeof errpath, "%s.stderr", base);
  snprintf(line, sizeof line, "'%s' %s '%s' >/dev/null 2>'%s'", bin, cmd, base, errpath);
  int st = system(line);
  int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  FILE *f = fopen(errpath, "r");
  size_t n = f ? fread(errtext, 1, cap - 1, f) : 0;
  if (f) fclose(f);
  errtext[n] = '\0';
  return rc;
}

static int lines(const char *s) {
  int n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

#define GOOD_GLOBAL "\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1000000,\"core:version\":\"1.0.0\""
#define META(global, rest) "{\"global\":{" global "}" rest "}"
#define CAPS ",\"captures\":[{\"core:sample_start\":0,\"core:frequency\":947000000}]"

/* One hostile case: both commands exit 2 with one line naming `names` (".sigmf-meta" or
 * ".sigmf-data") and containing `what`. */
static void expect_bad(const char *name, const char *meta, long data_bytes, const char *names,
                       const char *what) {
  char base[4200], err[8192];
  make(name, meta, data_bytes, base, sizeof base);
  const char *cmds[] = {"replay", "replay --json", "spectrum --raster gsm", "spectrum --csv"};
  for (unsigned i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    int rc = run(cmds[i], base, err, sizeof err);
    CHECK(rc == 2, "%s: '%s' exit %d, want 2; stderr: %s", name, cmds[i], rc, err);
    CHECK(lines(err) == 1, "%s: '%s' wrote %d lines to stderr, want 1: %s", name, cmds[i], lines(err), err);
    char file[4300];
    snprintf(file, sizeof file, "h_%s%s", name, names);
    CHECK(strstr(err, file) != NULL, "%s: '%s' message does not name %s: %s", name, cmds[i], file, err);
    CHECK(strstr(err, what) != NULL, "%s: '%s' message lacks '%s': %s", name, cmds[i], what, err);
  }
}

static void test_nan(void) {
  char base[4200], err[8192], p[4300];
  make("nan", META("\"core:datatype\":\"cf32_le\",\"core:sample_rate\":1000000", CAPS), -1, base, sizeof base);
  snprintf(p, sizeof p, "%s.sigmf-data", base);
  static float d[2 * 20000];
  for (int i = 0; i < 20000; i++) { d[2 * i] = 0.01f * (float)((i * 7) % 13 - 6); d[2 * i + 1] = 0.01f; }
  d[2 * 100] = NAN;       /* I NaN */
  d[2 * 200 + 1] = INFINITY; /* Q +Inf */
  d[2 * 300] = -INFINITY;
  d[2 * 300 + 1] = NAN;   /* both bad: one sample */
  write_bytes(p, d, sizeof d);
  const char *cmds[] = {"replay", "spectrum --raster gsm"};
  for (unsigned i = 0; i < 2; i++) {
    int rc = run(cmds[i], base, err, sizeof err);
    CHECK(rc == 0, "NaN capture: '%s' exit %d, want 0: %s", cmds[i], rc, err);
    CHECK(strstr(err, "3 NaN/Inf samples skipped") != NULL, "NaN capture: '%s' does not report 3 NaN/Inf samples: %s", cmds[i], err);
    CHECK(lines(err) == 1, "NaN capture: '%s' %d stderr lines: %s", cmds[i], lines(err), err);
  }
}

int main(void) {
  snprintf(dir, sizeof dir, "%s", check_tmp_dir());
  bin = getenv("CELLSURVEY");
  if (!bin) bin = "build/cellsurvey";

  expect_bad("badjson", "{\"global\": {\"core:datatype\": \"ci16_le\",,}", 400, ".sigmf-meta", "invalid JSON");
  expect_bad("notjson", "\x89PNG\r\n\x1a\n binary", 400, ".sigmf-meta", "invalid JSON");
  expect_bad("emptymeta", "", 400, ".sigmf-meta", "invalid JSON");
  expect_bad("toplevel", "[1,2,3]", 400, ".sigmf-meta", "not a JSON object");
  expect_bad("nometa", NULL, 400, ".sigmf-meta", "cannot open");
  {
    /* absurdly nested: 200000 levels */
    size_t n = 200000;
    char *deep = malloc(2 * n + 64);
    size_t k = 0;
    k += (size_t)sprintf(deep, "{\"global\":");
    for (size_t i = 0; i < n; i++) deep[k++] = '[';
    for (size_t i = 0; i < n; i++) deep[k++] = ']';
    deep[k++] = '}';
    deep[k] = '\0';
    expect_bad("nested", deep, 400, ".sigmf-meta", "nested");
    free(deep);
  }
  expect_bad("nodata", META(GOOD_GLOBAL, CAPS), -1, ".sigmf-data", "data file missing");
  expect_bad("partial", META(GOOD_GLOBAL, CAPS), 4001, ".sigmf-data", "not a whole number");
  expect_bad("emptydata", META(GOOD_GLOBAL, CAPS), 0, ".sigmf-data", "no samples");
  expect_bad("headeronly", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:header_bytes\":400}]"), 400, ".sigmf-data", "no samples");
  expect_bad("unknowndt", META("\"core:datatype\":\"ci12_le\",\"core:sample_rate\":1e6", CAPS), 400, ".sigmf-meta", "unsupported core:datatype");
  expect_bad("realdt", META("\"core:datatype\":\"rf32_le\",\"core:sample_rate\":1e6", CAPS), 400, ".sigmf-meta", "unsupported core:datatype");
  expect_bad("nodt", META("\"core:sample_rate\":1e6", CAPS), 400, ".sigmf-meta", "missing core:datatype");
  expect_bad("norate", META("\"core:datatype\":\"ci16_le\"", CAPS), 400, ".sigmf-meta", "missing core:sample_rate");
  expect_bad("zerorate", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":0", CAPS), 400, ".sigmf-meta", "sample_rate");
  expect_bad("negrate", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":-2e6", CAPS), 400, ".sigmf-meta", "sample_rate");
  expect_bad("hugerate", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e300", CAPS), 400, ".sigmf-meta", "sample_rate");
  expect_bad("infrate", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e999", CAPS), 400, ".sigmf-meta", "sample_rate");
  expect_bad("tinyrate", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":1e-9", CAPS), 400, ".sigmf-meta", "sample_rate");
  /* wrong JSON types */
  expect_bad("ratestr", META("\"core:datatype\":\"ci16_le\",\"core:sample_rate\":\"1e6\"", CAPS), 400, ".sigmf-meta", "core:sample_rate must be a number");
  expect_bad("dtnum", META("\"core:datatype\":16,\"core:sample_rate\":1e6", CAPS), 400, ".sigmf-meta", "core:datatype must be a string");
  expect_bad("globalarr", "{\"global\":[1],\"captures\":[]}", 400, ".sigmf-meta", "global");
  expect_bad("capsobj", META(GOOD_GLOBAL, ",\"captures\":{\"core:sample_start\":0}"), 400, ".sigmf-meta", "captures");
  expect_bad("capnum", META(GOOD_GLOBAL, ",\"captures\":[5]"), 400, ".sigmf-meta", "captures[0]");
  expect_bad("freqstr", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:frequency\":\"947M\"}]"), 400, ".sigmf-meta", "core:frequency");
  expect_bad("startneg", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":-5}]"), 400, ".sigmf-meta", "core:sample_start");
  expect_bad("startfrac", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0.5}]"), 400, ".sigmf-meta", "core:sample_start");
  expect_bad("startbeyond", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0},{\"core:sample_start\":1000000}]"), 400, ".sigmf-meta", "beyond the end");
  expect_bad("unordered", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":50},{\"core:sample_start\":10}]"), 400, ".sigmf-meta", "increasing");
  expect_bad("datetime", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:datetime\":\"yesterday\"}]"), 400, ".sigmf-meta", "core:datetime");
  expect_bad("datetimenum", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:datetime\":1700000000}]"), 400, ".sigmf-meta", "core:datetime");
  expect_bad("geo", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[\"a\",\"b\"]}}]"), 400, ".sigmf-meta", "core:geolocation");
  expect_bad("geofar", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[500,95]}}]"), 400, ".sigmf-meta", "core:geolocation");
  expect_bad("annobj", META(GOOD_GLOBAL, CAPS ",\"annotations\":{}"), 400, ".sigmf-meta", "annotations");
  expect_bad("hugeheader", META(GOOD_GLOBAL, ",\"captures\":[{\"core:sample_start\":0,\"core:header_bytes\":9000000000000000}]"), 400, ".sigmf-data", "no samples");
  expect_bad("channels", META(GOOD_GLOBAL ",\"core:num_channels\":2", CAPS), 400, ".sigmf-meta", "num_channels");
  test_nan();
  return check_done();
}
