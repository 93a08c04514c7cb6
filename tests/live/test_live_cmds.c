/* test_live_cmds.c: the live commands end to end through the binary and the simulated device:
 * `devices` (text and JSON), `record` (valid SigMF that the reader and `replay` read back, with
 * the tone at its offset and power, device/gain/position/calibration fields, a segment per
 * overflow, the samples kept when the device is unplugged mid-recording, usage errors),
 * `calibrate --known-dbm` (a measured power offset that overrides the model table) and
 * `calibrate` without a decodable cell (clear error, exit 1). */
#include <cjson/cJSON.h>
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cellsurvey/calibration.h"
#include "cellsurvey/sigmf.h"
#include "check.h"
#include "live/live_util.h"

static char out[1 << 20];

/* Run a shell command, capture stdout (and stderr when merge), return the exit code. */
static int run(const char *cmd, int merge) {
  char full[33000];
  snprintf(full, sizeof full, "%s%s", cmd, merge ? " 2>&1" : " 2>/dev/null");
  FILE *p = popen(full, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static cJSON *meta_json(const char *base) {
  char path[4200];
  snprintf(path, sizeof path, "%s.sigmf-meta", base);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = fread(out, 1, sizeof out - 1, f);
  fclose(f);
  out[n] = 0;
  return cJSON_Parse(out);
}

static float complex x[1 << 20];

int main(void) {
  const char *bin = getenv("CELLSURVEY"), *tmp = check_tmp_dir();
  if (!bin) {
    printf("CELLSURVEY not set\n");
    return 1;
  }
  const char *scene = make_tone_scene(tmp, "cmd_scene");
  char cmd[32768], dev[8192], base[4200], store[4200];
  snprintf(dev, sizeof dev, "driver=cellsurvey-sim,scene=%s", scene);
  snprintf(store, sizeof store, "%s/cal_store.json", tmp);
  remove(store);

  /* ---- devices ---- */
  snprintf(cmd, sizeof cmd, "%s devices --device '%s' --json", bin, dev);
  CHECK_INT(run(cmd, 0), 0);
  cJSON *j = cJSON_Parse(out), *d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "devices"), 0);
  CHECK(d0 != NULL, "one device listed: %s", out);
  if (d0) {
    CHECK_STR(cJSON_GetObjectItem(d0, "driver")->valuestring, "cellsurvey-sim");
    CHECK(!strncmp(cJSON_GetObjectItem(d0, "serial")->valuestring, "sim-", 4), "serial");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(d0, "opened")), "opened");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d0, "sample_rates")) >= 1, "rates");
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d0, "frequency_ranges")) >= 1, "frequency ranges");
    CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetObjectItem(d0, "gain"), "max")->valuedouble, 60, 0);
    CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(d0, "antennas"), 0)->valuestring, "RX");
  }
  cJSON_Delete(j);
  snprintf(cmd, sizeof cmd, "%s devices --device '%s'", bin, dev);
  CHECK_INT(run(cmd, 0), 0);
  CHECK(strstr(out, "cellsurvey-sim") && strstr(out, "serial sim-"), "text listing: %s", out);
  snprintf(cmd, sizeof cmd, "%s devices --device 'driver=cellsurvey-sim,scene=/nonexistent' --json", bin);
  CHECK_INT(run(cmd, 0), 0);
  CHECK(strstr(out, "{\"devices\":[]}") != NULL, "empty list: %s", out);

  /* USB watch: runs for the time asked (no SDR on the test machine: no events), bad time = 2 */
  snprintf(cmd, sizeof cmd, "%s devices --watch 0.3 --poll --json", bin);
  CHECK_INT(run(cmd, 0), 0);
  CHECK(strstr(out, "\"event\"") == NULL || strstr(out, "\"vid\"") != NULL, "events are JSON: %s", out);
  snprintf(cmd, sizeof cmd, "%s devices --watch soon", bin);
  CHECK_INT(run(cmd, 1), 2);

  /* ---- record, read back ---- */
  snprintf(base, sizeof base, "%s/rec_tone", tmp);
  snprintf(cmd, sizeof cmd,
           "%s record --device '%s' --freq 900.2e6 --rate 2e6 --duration 0.5 --gps fixed:12.5,-3.25,100 "
           "--calibration %s %s",
           bin, dev, store, base);
  CHECK_INT(run(cmd, 1), 0);
  cs_source *src;
  const cs_sigmf_meta *meta;
  cs_err err;
  cs_status st = cs_sigmf_open(base, &src, &meta, &err);
  CHECK(st == CS_OK, "recording opens: %s", st ? err.msg : "");
  if (st == CS_OK) {
    CHECK_INT(meta->num_samples, 1000000);
    CHECK_NEAR(meta->sample_rate, 2e6, 0);
    CHECK_INT(meta->n_segments, 1);
    CHECK_NEAR(meta->segments[0].frequency_hz, 900.2e6, 0);
    CHECK_NEAR(meta->segments[0].lat, 12.5, 1e-9);
    CHECK_NEAR(meta->segments[0].lon, -3.25, 1e-9);
    CHECK(!isnan(meta->segments[0].time_unix), "datetime");
    cs_block_info bi;
    size_t n = read_n(src, x, 1 << 19, &bi, &st, &err);
    CHECK_INT(n, 1 << 19);
    double peak, p = band_dbfs(x, n, 2e6, -105e3, -95e3, &peak);
    CHECK_NEAR(peak, -100e3, 1e3);
    CHECK_NEAR(p, -20, 0.5);
    cs_source_close(src);
  }
  j = meta_json(base);
  cJSON *cap0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "captures"), 0);
  CHECK(cap0 != NULL, "captures");
  if (cap0) {
    CHECK_NEAR(cJSON_GetObjectItem(cap0, "cellsurvey:gain_db")->valuedouble, 30, 0);
    CHECK_STR(cJSON_GetObjectItem(cap0, "cellsurvey:power_calibration")->valuestring, "model-table");
    CHECK_NEAR(cJSON_GetObjectItem(cap0, "cellsurvey:dbm_offset_db")->valuedouble, -20, 1e-9);
    CHECK(strstr(cJSON_GetObjectItem(cap0, "cellsurvey:device")->valuestring, "cellsurvey-sim") != NULL, "device");
  }
  cJSON_Delete(j);
  snprintf(cmd, sizeof cmd, "%s replay --json %s", bin, base);
  CHECK_INT(run(cmd, 1), 0); /* replay reads the recording back */

  /* overflows: each starts a new segment, marked by an annotation; nothing short */
  snprintf(base, sizeof base, "%s/rec_ovf", tmp);
  snprintf(cmd, sizeof cmd,
           "%s record --device '%s,serial=ovf,overflow_every=0.1' --freq 900.2e6 --rate 2e6 --duration 0.55 "
           "--datatype cf32_le --calibration %s %s",
           bin, dev, store, base);
  CHECK_INT(run(cmd, 1), 0);
  CHECK_INT(cs_sigmf_open(base, &src, &meta, &err), CS_OK);
  if (meta) {
    CHECK_INT(meta->num_samples, 1100000);
    CHECK(meta->n_segments >= 5, "segments: %d", meta->n_segments);
    cs_source_close(src);
  }
  j = meta_json(base);
  int ovf = 0;
  cJSON *a;
  cJSON_ArrayForEach(a, cJSON_GetObjectItem(j, "annotations")) {
    cJSON *l = cJSON_GetObjectItem(a, "core:label");
    ovf += l && !strcmp(l->valuestring, "overflow");
  }
  CHECK(ovf >= 4, "overflow annotations: %d", ovf);
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "global"), "cellsurvey:overflows")->valuedouble >= 4, "count");
  cJSON_Delete(j);

  /* unplugged mid-recording: exit 1 naming the device, the samples so far kept as valid SigMF */
  snprintf(base, sizeof base, "%s/rec_gone", tmp);
  snprintf(cmd, sizeof cmd,
           "%s record --device '%s,serial=gone,gone_after=0.2,realtime=1' --freq 900.2e6 --rate 1e6 --duration 3 "
           "--calibration %s %s",
           bin, dev, store, base);
  CHECK_INT(run(cmd, 1), 1);
  CHECK(strstr(out, "gone") && strstr(out, "unplugged"), "message: %s", out);
  st = cs_sigmf_open(base, &src, &meta, &err);
  CHECK(st == CS_OK, "partial recording valid: %s", st ? err.msg : "");
  if (!st) {
    CHECK(meta->num_samples > 50000 && meta->num_samples < 3000000, "kept %llu samples",
          (unsigned long long)meta->num_samples);
    cs_source_close(src);
  }

  /* usage errors */
  snprintf(cmd, sizeof cmd, "%s record --device '%s' --rate 2e6 --duration 1 %s/x", bin, dev, tmp);
  CHECK_INT(run(cmd, 1), 2);
  snprintf(cmd, sizeof cmd, "%s record --device '%s' --freq 9e8 --rate 2e6 --duration 1 --gps nowhere %s/x", bin, dev, tmp);
  CHECK_INT(run(cmd, 1), 2);
  snprintf(cmd, sizeof cmd, "%s record --device 'driver=cellsurvey-sim,scene=/nonexistent' --freq 9e8 --rate 2e6 --duration 1 %s/x", bin, tmp);
  CHECK_INT(run(cmd, 1), 1);
  CHECK(strstr(out, "/nonexistent") != NULL, "names the device: %s", out);

  /* ---- calibrate: power against a known level (the 900.1 MHz tone, -20 dBFS at gain 30) ---- */
  snprintf(cmd, sizeof cmd,
           "%s calibrate --device '%s' --freq 900.1e6 --rate 2e6 --duration 0.2 --known-dbm -45 "
           "--known-bw 20e3 --store %s --json",
           bin, dev, store);
  CHECK_INT(run(cmd, 0), 0);
  j = cJSON_Parse(out);
  CHECK(j != NULL, "json: %s", out);
  char serial[96] = "";
  if (j) {
    snprintf(serial, sizeof serial, "%s", cJSON_GetObjectItem(j, "serial")->valuestring);
    CHECK_NEAR(cJSON_GetObjectItem(j, "measured_dbfs")->valuedouble, -20, 0.3);
    CHECK_NEAR(cJSON_GetObjectItem(j, "offset_db")->valuedouble, -25, 0.3);
  }
  cJSON_Delete(j);
  cs_calibration *cal;
  CHECK_INT(cs_calibration_load(store, &cal, &err), CS_OK);
  double off = 0;
  CHECK_INT(cs_calibration_power(cal, serial, "sim", 900.1e6, 30, &off), CS_POWER_MEASURED);
  CHECK_NEAR(off, -25, 0.3);
  CHECK_INT(cs_calibration_power(cal, serial, "sim", 900.1e6, 40, &off), CS_POWER_MEASURED);
  CHECK_NEAR(off, -35, 0.3); /* gain-independent: 10 dB more gain, 10 dB less offset */
  CHECK_INT(cs_calibration_power(cal, serial, "sim", 2.4e9, 30, &off), CS_POWER_MODEL_TABLE);
  CHECK_NEAR(off, -20, 1e-9);
  CHECK_INT(cs_calibration_power(cal, serial, "hackrf", 2.4e9, 30, &off), CS_POWER_UNCALIBRATED);
  cs_calibration_free(cal);
  /* records get dBm (and GSM RXLEV, TS 45.008 8.1.4) only when calibrated */
  cs_cell_record rec;
  cs_record_init(&rec);
  rec.rat = CS_RAT_GSM;
  rec.power_dbfs = -40;
  cs_calibration_apply_record(&rec, CS_POWER_MEASURED, -25);
  CHECK_INT(rec.calibrated, 1);
  CHECK_NEAR(rec.power_dbm, -65, 1e-9);
  CHECK_INT(rec.rxlev, 46);
  cs_calibration_apply_record(&rec, CS_POWER_UNCALIBRATED, 0);
  CHECK_INT(rec.calibrated, 0);
  CHECK(isnan(rec.power_dbm) && rec.rxlev == -1, "uncalibrated: no dBm, no RXLEV");
  rec.rat = CS_RAT_LTE;
  rec.rsrp_dbfs = -50;
  rec.rssi_dbfs = -30;
  cs_calibration_apply_record(&rec, CS_POWER_MODEL_TABLE, -20);
  CHECK_NEAR(rec.rsrp_dbm, -70, 1e-9);
  CHECK_NEAR(rec.rssi_dbm, -50, 1e-9);
  CHECK_INT(rec.rxlev, -1);

  /* a recording made now says its powers are measured-calibrated */
  snprintf(base, sizeof base, "%s/rec_cal", tmp);
  snprintf(cmd, sizeof cmd, "%s record --device '%s' --freq 900.2e6 --rate 2e6 --duration 0.1 --calibration %s %s",
           bin, dev, store, base);
  CHECK_INT(run(cmd, 1), 0);
  j = meta_json(base);
  cap0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "captures"), 0);
  if (cap0) {
    CHECK_STR(cJSON_GetObjectItem(cap0, "cellsurvey:power_calibration")->valuestring, "measured");
    CHECK_NEAR(cJSON_GetObjectItem(cap0, "cellsurvey:dbm_offset_db")->valuedouble, -25, 0.3);
  }
  cJSON_Delete(j);

  /* oscillator calibration where no cell is on the air: clear error, exit 1, nothing stored */
  snprintf(cmd, sizeof cmd, "%s calibrate --device '%s' --freq 2400e6 --rate 1.92e6 --duration 0.1 --store %s",
           bin, dev, store);
  CHECK_INT(run(cmd, 1), 1);
  CHECK(strstr(out, "no GSM or LTE cell") != NULL, "message: %s", out);
  CHECK_INT(cs_calibration_load(store, &cal, &err), CS_OK);
  double ppm;
  CHECK_INT(cs_calibration_ppm(cal, serial, &ppm), 0);
  cs_calibration_free(cal);
  /* a corrupt store is bad input naming the file */
  FILE *f = fopen(store, "w");
  fputs("[1,2", f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "%s calibrate --device '%s' --freq 900e6 --known-dbm -40 --store %s", bin, dev, store);
  CHECK_INT(run(cmd, 1), 2);
  CHECK(strstr(out, "cal_store.json") != NULL, "message: %s", out);
  return check_done();
}
