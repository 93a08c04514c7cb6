/* test_sim_faults.c: fault injection through the simulated device as hw/soapy.c reports it:
 * overflow bursts are counted and the stream carries on; short stalls are retried and counted,
 * a long stall fails with CS_ERR_ENV; an unplug fails the read with CS_ERR_ENV naming the
 * device, enumeration shows it gone, and once it is back a reopened source streams again. Also
 * the memory source capturing a live dwell and reading it twice. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cellsurvey/memsource.h"
#include "cellsurvey/soapy.h"
#include "check.h"
#include "live/live_util.h"

#define N 65536
static float complex x[N], y[N];

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static cs_source *open_tuned(const char *args, double read_timeout) {
  cs_source *s;
  cs_err err;
  cs_soapy_opts o = {.read_timeout_s = read_timeout, .settle_s = NAN};
  cs_status st = cs_soapy_open(args, &o, &s, &err);
  CHECK(st == CS_OK, "open %s: %s", args, st ? err.msg : "");
  if (st) return NULL;
  st = s->ops->tune(s->self, 900.2e6, 2e6, 0, NAN, &err);
  CHECK(st == CS_OK, "tune: %s", st ? err.msg : "");
  return s;
}

static size_t present(const char *args) {
  cs_soapy_device *d;
  size_t n;
  cs_err err;
  CHECK_INT(cs_soapy_enumerate(args, 0, &d, &n, &err), CS_OK);
  free(d);
  return n;
}

int main(void) {
  const char *scene = make_tone_scene(check_tmp_dir(), "fault_scene");
  char args[8192];
  cs_err err;
  cs_status st;
  cs_block_info bi;
  cs_soapy_counters c;

  /* overflow every 10 ms of stream: 0.1 s read -> about 10 overflows, reads carry on */
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,serial=ovf,overflow_every=0.01", scene);
  cs_source *s = open_tuned(args, 2);
  if (s) {
    size_t total = 0;
    for (int i = 0; i < 4; i++) total += read_n(s, x, N, &bi, &st, &err);
    CHECK_INT(st, CS_OK);
    CHECK_INT(total, 4 * N);
    cs_soapy_get_counters(s, &c);
    CHECK(c.overflows >= 10 && c.overflows <= 15, "overflows = %llu", (unsigned long long)c.overflows);
    CHECK_NEAR(band_dbfs(x, N, 2e6, -105e3, -95e3, NULL), -20, 0.5); /* still the right signal */
    cs_source_close(s);
  }

  /* a 0.3 s stall every 50 ms of stream: retried (read timeout 2 s), counted */
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,serial=stall,timeout_every=0.05,timeout_for=0.3", scene);
  s = open_tuned(args, 2);
  if (s) {
    size_t total = 0;
    for (int i = 0; i < 3; i++) total += read_n(s, x, N, &bi, &st, &err);
    CHECK(st == CS_OK, "stalls retried: %s", st ? err.msg : "");
    CHECK_INT(total, 3 * N);
    cs_soapy_get_counters(s, &c);
    CHECK(c.timeouts >= 3, "timeouts = %llu", (unsigned long long)c.timeouts);
    cs_source_close(s);
  }

  /* a 5 s stall with a 0.5 s read timeout: CS_ERR_ENV "timed out", device still present */
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,serial=hang,timeout_every=0.01,timeout_for=5", scene);
  s = open_tuned(args, 0.5);
  if (s) {
    for (int i = 0; i < 3 && st == CS_OK; i++) read_n(s, x, N, &bi, &st, &err);
    CHECK_INT(st, CS_ERR_ENV);
    CHECK(strstr(err.msg, "timed out") && strstr(err.msg, "hang"), "message: %s", err.msg);
    cs_source_close(s);
  }

  /* unplug 0.3 s after first seen, back 1 s later */
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,serial=plug,gone_after=0.3,gone_for=1", scene);
  double t0 = mono();
  s = open_tuned(args, 2);
  if (s) {
    st = CS_OK;
    while (st == CS_OK && mono() - t0 < 3) read_n(s, x, N, &bi, &st, &err);
    CHECK_INT(st, CS_ERR_ENV);
    CHECK(strstr(err.msg, "plug") && strstr(err.msg, "unplugged"), "message: %s", err.msg);
    CHECK_INT(present(args), 0);
    CHECK_INT(cs_soapy_present(args), 0);
    cs_source *again;
    CHECK_INT(cs_soapy_open(args, NULL, &again, &err), CS_ERR_ENV); /* cannot open while gone */
    /* the old handle stays dead */
    size_t k;
    CHECK_INT(cs_source_read(s, x, N, &k, &bi, &err), CS_ERR_ENV);
    cs_source_close(s);
    while (present(args) == 0 && mono() - t0 < 4) {
      struct timespec ts = {0, 50000000};
      nanosleep(&ts, NULL);
    }
    CHECK_INT(present(args), 1);
    CHECK_INT(cs_soapy_present(args), 1);
    CHECK(mono() - t0 >= 1.25, "back after the gap: %.2f s", mono() - t0);
    s = open_tuned(args, 2);
    if (s) {
      size_t got = read_n(s, x, N, &bi, &st, &err);
      CHECK(st == CS_OK && got == N, "reads again after reopen: %s", st ? err.msg : "");
      CHECK_NEAR(band_dbfs(x, N, 2e6, -105e3, -95e3, NULL), -20, 0.5);
      cs_source_close(s);
    }
  }

  /* memory source: hold a live dwell, read it twice (the pipeline's two passes) */
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,serial=mem", scene);
  s = open_tuned(args, 2);
  cs_source *mem;
  CHECK_INT(cs_memsource_create(N, "dwell", &mem, &err), CS_OK);
  if (s) {
    size_t got;
    CHECK_INT(cs_memsource_capture(mem, s, N, &got, &err), CS_OK);
    CHECK_INT(got, N);
    CHECK_INT(cs_memsource_size(mem), N);
    size_t a = read_n(mem, x, N, &bi, &st, &err);
    CHECK_INT(a, N);
    CHECK_NEAR(bi.center_hz, 900.2e6, 0);
    CHECK_NEAR(bi.sample_rate, 2e6, 0);
    CHECK(!isnan(bi.time_unix), "dwell carries its time");
    size_t k;
    CHECK_INT(cs_source_read(mem, y, N, &k, &bi, &err), CS_OK);
    CHECK_INT(k, 0); /* end */
    CHECK_INT(mem->ops->seek(mem->self, 0, &err), CS_OK);
    CHECK_INT(read_n(mem, y, N, &bi, &st, &err), N);
    CHECK(memcmp(x, y, sizeof x) == 0, "second pass reads the same samples");
    CHECK_INT(cs_memsource_capture(mem, s, 10, &got, &err), CS_ERR_ENV); /* full */
    cs_memsource_clear(mem);
    CHECK_INT(cs_memsource_capture(mem, s, 1000, &got, &err), CS_OK);
    CHECK_INT(got, 1000);
    cs_source_close(s);
  }
  cs_source_close(mem);
  return check_done();
}
