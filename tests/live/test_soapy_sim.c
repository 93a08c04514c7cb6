/* test_soapy_sim.c: hw/soapy.c driving the simulated SoapySDR device over a synthetic tone scene:
 * enumeration, tones at the expected offset and power after retunes (inside, partly overlapping
 * and outside a capture's band), manual gain, the settle transient discarded, segments. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/soapy.h"
#include "check.h"
#include "live/live_util.h"

#define N 65536

static float complex x[N];

static void tune(cs_source *s, double f, double rate, double gain) {
  cs_err err;
  cs_status st = s->ops->tune(s->self, f, rate, 0, gain, &err);
  CHECK(st == CS_OK, "tune %.6f MHz: %s", f / 1e6, st ? err.msg : "");
}

int main(void) {
  const char *scene = make_tone_scene(check_tmp_dir(), "tone_scene");
  CHECK(scene != NULL, "scene written");
  char args[8192];
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s,noise_dbfs=-90", scene);

  /* enumeration lists the simulated device with its capabilities */
  cs_soapy_device *devs;
  size_t n_devs;
  cs_err err;
  CHECK_INT(cs_soapy_enumerate(args, 1, &devs, &n_devs, &err), CS_OK);
  CHECK_INT(n_devs, 1);
  if (n_devs == 1) {
    CHECK_STR(devs[0].driver, "cellsurvey-sim");
    CHECK_STR(devs[0].model, "sim");
    CHECK(strncmp(devs[0].serial, "sim-", 4) == 0, "serial %s", devs[0].serial);
    CHECK_INT(devs[0].opened, 1);
    CHECK(devs[0].n_rates >= 1 && devs[0].rates[0].max >= 61e6, "rate range");
    CHECK_NEAR(devs[0].gain.max, 60, 0);
    CHECK_INT(devs[0].n_antennas, 1);
  }
  char serial_only[128];
  snprintf(serial_only, sizeof serial_only, "serial=%s", n_devs ? devs[0].serial : "x");
  free(devs);
  /* a bare serial= (some real radio's) never opens the simulator */
  CHECK_INT(cs_soapy_enumerate(serial_only, 0, &devs, &n_devs, &err), CS_OK);
  CHECK_INT(n_devs, 0);
  free(devs);
  /* without a scene the simulator is a noise-only radio */
  CHECK_INT(cs_soapy_enumerate("driver=cellsurvey-sim", 0, &devs, &n_devs, &err), CS_OK);
  CHECK_INT(n_devs, 1);
  free(devs);

  cs_source *s;
  cs_status st = cs_soapy_open(args, NULL, &s, &err);
  CHECK(st == CS_OK, "open: %s", st ? err.msg : "");
  if (st != CS_OK) return check_done();
  CHECK(cs_soapy_is(s), "a soapy source");
  const cs_soapy_info *info = cs_soapy_get_info(s);
  CHECK_STR(info->driver, "cellsurvey-sim");
  CHECK_NEAR(info->settle_s, 0.005, 1e-9); /* the device's own settle time */

  /* 900 MHz tone (+100 kHz in a 900 MHz capture) seen from 900.2 MHz at 2 Msps: -100 kHz */
  tune(s, 900.2e6, 2e6, NAN);
  cs_block_info bi;
  size_t got = read_n(s, x, N, &bi, &st, &err);
  CHECK_INT(got, N);
  CHECK_INT(bi.segment, 0);
  CHECK_NEAR(bi.center_hz, 900.2e6, 0);
  CHECK_NEAR(bi.sample_rate, 2e6, 0);
  double peak, p = band_dbfs(x, N, 2e6, -105e3, -95e3, &peak);
  CHECK_NEAR(peak, -100e3, 1e3);
  CHECK_NEAR(p, -20.0, 0.5);
  double tg;
  cs_soapy_get_tuning(s, NULL, NULL, NULL, &tg, NULL, 0);
  CHECK_NEAR(tg, 30, 0); /* the quirk table's default gain for the sim */
  /* no transient in the first samples after the retune: steady power from the start */
  CHECK_NEAR(mean_dbfs(x, 2000), mean_dbfs(x + 20000, 20000), 1.0);
  cs_soapy_counters c;
  cs_soapy_get_counters(s, &c);
  CHECK_INT(c.discarded, 10000); /* 5 ms at 2 Msps */
  CHECK_INT(c.retunes, 1);

  /* partial overlap: tuned band [899.95, 900.95] MHz covers the capture's upper 550 kHz */
  tune(s, 900.45e6, 1e6, NAN);
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_INT(bi.segment, 1);
  p = band_dbfs(x, N, 1e6, -355e3, -345e3, &peak);
  CHECK_NEAR(peak, -350e3, 1e3);
  CHECK_NEAR(p, -20.0, 0.5);
  /* nothing of the capture wraps into the part of the band it does not cover */
  CHECK(band_dbfs(x, N, 1e6, 100e3, 450e3, NULL) < -60, "no wrapped energy above 900.55 MHz");

  /* 1800 MHz capture, tone at -300 kHz, -26 dBFS; at 4 Msps and 10 dB more gain */
  tune(s, 1800e6, 4e6, 40);
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_INT(bi.segment, 2);
  p = band_dbfs(x, N, 4e6, -310e3, -290e3, &peak);
  CHECK_NEAR(peak, -300e3, 2e3);
  CHECK_NEAR(p, -16.0, 0.5);

  /* an empty band: noise only (-90 dBFS per MHz over 2 MHz = -87 dBFS) */
  tune(s, 2400e6, 2e6, NAN);
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_NEAR(mean_dbfs(x, N), -87.0, 1.0);

  /* errors name the device: out-of-range rate */
  st = s->ops->tune(s->self, 900e6, 100e6, 0, NAN, &err);
  CHECK_INT(st, CS_ERR_INPUT);
  CHECK(strstr(err.msg, "cellsurvey-sim") != NULL, "message names the device: %s", err.msg);
  cs_source_close(s);

  /* without the settle discard the transient is there: the simulator models it */
  cs_soapy_opts o = {.read_timeout_s = 2, .settle_s = 0};
  CHECK_INT(cs_soapy_open(args, &o, &s, &err), CS_OK);
  tune(s, 900.2e6, 2e6, NAN);
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK(mean_dbfs(x, 2000) > mean_dbfs(x + 20000, 20000) + 6, "transient visible: %.1f vs %.1f dB",
        mean_dbfs(x, 2000), mean_dbfs(x + 20000, 20000));
  cs_soapy_get_counters(s, &c);
  CHECK_INT(c.discarded, 0);
  cs_source_close(s);

  /* DC spike kept off the wanted signal by the LO offset (as for a HackRF): the device is tuned
   * off centre, the NCO brings the samples back, the spike lands at +offset, the tone stays put */
  char dcargs[8300];
  snprintf(dcargs, sizeof dcargs, "%s,serial=dc,dc_dbfs=-30", args);
  cs_soapy_opts lo = {.read_timeout_s = 2, .settle_s = NAN, .lo_offset_hz = 100e3};
  CHECK_INT(cs_soapy_open(dcargs, &lo, &s, &err), CS_OK);
  tune(s, 900.2e6, 2e6, NAN); /* no room beside 1.6 MHz wanted: spike 100 kHz off centre */
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_NEAR(cs_soapy_get_info(s)->lo_offset_hz, 100e3, 0);
  CHECK_NEAR(bi.center_hz, 900.2e6, 0);
  CHECK_NEAR(band_dbfs(x, N, 2e6, -105e3, -95e3, &peak), -20, 0.5);
  CHECK_NEAR(band_dbfs(x, N, 2e6, 95e3, 105e3, NULL), -30, 0.5);
  CHECK(band_dbfs(x, N, 2e6, -5e3, 5e3, NULL) < -60, "nothing left at DC");
  st = s->ops->tune(s->self, 900.2e6, 2e6, 200e3, NAN, &err); /* narrow: spike out of the band */
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_NEAR(cs_soapy_get_info(s)->lo_offset_hz, 450e3, 0);
  CHECK_NEAR(band_dbfs(x, N, 2e6, 445e3, 455e3, NULL), -30, 0.5);
  CHECK_NEAR(band_dbfs(x, N, 2e6, -105e3, -95e3, NULL), -20, 0.5);
  CHECK(band_dbfs(x, N, 2e6, -90e3, 90e3, NULL) < -60, "no spike in the wanted band");
  cs_source_close(s);

  CHECK_INT(cs_soapy_open("driver=cellsurvey-sim,noise_dbfs=-70", NULL, &s, &err), CS_OK);
  tune(s, 947e6, 2e6, NAN);
  got = read_n(s, x, N, &bi, &st, &err);
  CHECK_NEAR(mean_dbfs(x, N), -67.0, 1.0); /* -70 dBFS per MHz over 2 MHz */
  cs_source_close(s);

  /* a device that is not there: CS_ERR_ENV naming the args */
  st = cs_soapy_open("driver=cellsurvey-sim,scene=/nonexistent/scene", NULL, &s, &err);
  CHECK_INT(st, CS_ERR_ENV);
  CHECK(strstr(err.msg, "/nonexistent/scene") != NULL, "message: %s", err.msg);
  return check_done();
}
