/* test_calibrate_ppm.c: oscillator calibration end to end. The simulated device plays a capture
 * whose cell is off its nominal frequency (as a radio whose oscillator is off would see it): an
 * LTE cell 17 kHz low (PSS/SSS) and a GSM cell 25 kHz high (FCCH). `calibrate` must store the ppm
 * the decoders' carrier offset implies (equal to the capture's truth and to what `replay` measures
 * on the file), and a `record --decode` made afterwards must see the cell with the offset
 * corrected. Skips (77) without ../shared, or when this build's pipeline decodes neither cell
 * from the file itself (no decoders yet); a capture whose RAT has no decoder is skipped. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char out[1 << 20];

static int run(const char *cmd) {
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static double number(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItem(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* Calibrate on one capture. 0 done, 1 skipped (no decoder for it). */
static int check_capture(const char *dir, const char *name, const char *rat, double rate, const char *method, int id_field_value, const char *id_field) {
  char scene[4096], a[8192], b[8192], cmd[32768], store[4200], base[4200];
  const char *bin = getenv("CELLSURVEY"), *tmp = check_tmp_dir();
  snprintf(scene, sizeof scene, "%s/ppm_scene_%s", tmp, rat);
  mkdir(scene, 0755);
  for (int m = 0; m < 2; m++) {
    snprintf(a, sizeof a, "%s/%s.%s", dir, name, m ? "sigmf-data" : "sigmf-meta");
    snprintf(b, sizeof b, "%s/%s.%s", scene, name, m ? "sigmf-data" : "sigmf-meta");
    unlink(b);
    CHECK(symlink(a, b) == 0, "link %s", b);
  }
  snprintf(a, sizeof a, "%s/%s.sigmf-meta", dir, name);
  FILE *f = fopen(a, "rb");
  size_t n = fread(out, 1, sizeof out - 1, f);
  fclose(f);
  out[n] = 0;
  cJSON *meta = cJSON_Parse(out);
  double fc = number(cJSON_GetArrayItem(cJSON_GetObjectItem(meta, "captures"), 0), "core:frequency");
  /* truth: LTE captures give truth:cfo_hz, GSM ones the carrier's freq_offset_hz */
  const cJSON *g = cJSON_GetObjectItem(meta, "global");
  double truth_cfo = number(g, "truth:cfo_hz");
  if (!isfinite(truth_cfo))
    truth_cfo = number(cJSON_GetArrayItem(cJSON_GetObjectItem(g, "truth:carriers"), 0), "freq_offset_hz");
  cJSON_Delete(meta);
  CHECK(isfinite(truth_cfo) && fc > 0, "%s truth read", name);

  /* what the pipeline measures on the file itself */
  snprintf(cmd, sizeof cmd, "%s replay --json %s/%s 2>/dev/null", bin, dir, name);
  run(cmd);
  double replay_cfo = NAN;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    cJSON *r = cJSON_Parse(line);
    if (r && isfinite(number(r, "cfo_hz"))) replay_cfo = number(r, "cfo_hz");
    cJSON_Delete(r);
  }
  if (!isfinite(replay_cfo)) {
    printf("%s: this build's pipeline decodes no %s cell (with cfo_hz) from %s: skipped\n", rat, rat, name);
    return 1;
  }
  CHECK_NEAR(replay_cfo, truth_cfo, 150);

  snprintf(store, sizeof store, "%s/ppm_store_%s.json", tmp, rat);
  remove(store);
  snprintf(cmd, sizeof cmd,
           "%s calibrate --device driver=cellsurvey-sim,scene=%s --freq %.1f --rate %g --duration 0.5 "
           "--store %s --json 2>&1",
           bin, scene, fc, rate, store);
  CHECK_INT(run(cmd), 0);
  cJSON *j = cJSON_Parse(out);
  CHECK(j != NULL, "calibrate output: %s", out);
  double ppm = number(j, "ppm");
  CHECK_NEAR(ppm, -replay_cfo / fc * 1e6, 0.05);
  CHECK_NEAR(ppm, -truth_cfo / fc * 1e6, 0.1);
  const cJSON *jm = cJSON_GetObjectItem(j, "method");
  CHECK_STR(jm ? jm->valuestring : "", method);
  cJSON_Delete(j);

  /* the stored correction is applied: the cell now shows (almost) no offset */
  snprintf(base, sizeof base, "%s/ppm_rec_%s", tmp, rat);
  snprintf(cmd, sizeof cmd,
           "%s record --device driver=cellsurvey-sim,scene=%s --freq %.1f --rate %g --duration 1.0 "
           "--decode --calibration %s %s 2>&1",
           bin, scene, fc, rate, store, base);
  CHECK_INT(run(cmd), 0);
  snprintf(a, sizeof a, "%s.sigmf-meta", base);
  f = fopen(a, "rb");
  n = f ? fread(out, 1, sizeof out - 1, f) : 0;
  if (f) fclose(f);
  out[n] = 0;
  meta = cJSON_Parse(out);
  CHECK_NEAR(number(cJSON_GetArrayItem(cJSON_GetObjectItem(meta, "captures"), 0), "cellsurvey:ppm_correction"), ppm, 1e-3);
  int cells = 0;
  cJSON *an;
  cJSON_ArrayForEach(an, cJSON_GetObjectItem(meta, "annotations")) {
    const cJSON *l = cJSON_GetObjectItem(an, "core:label"), *c = cJSON_GetObjectItem(an, "core:comment");
    if (!l || strncmp(l->valuestring, rat, 3)) continue;
    cJSON *r = cJSON_Parse(c->valuestring);
    if (number(r, id_field) == id_field_value) { /* the capture's cell (others are not ours to judge) */
      cells++;
      CHECK(fabs(number(r, "cfo_hz")) < 300, "%s: corrected cfo %.1f Hz", rat, number(r, "cfo_hz"));
    }
    cJSON_Delete(r);
  }
  CHECK(cells >= 1, "the %s cell (%s %d) is annotated", rat, id_field, id_field_value);
  cJSON_Delete(meta);
  return 0;
}

int main(void) {
  char lte[4096], gsm[4096];
  snprintf(lte, sizeof lte, "%s", check_shared_dir("lte"));
  snprintf(gsm, sizeof gsm, "%s", check_shared_dir("gsm"));
  int skipped = check_capture(lte, "lte_pci257_15prb_snr10_cfo-17k", "LTE", 3.84e6, "lte-pss", 257, "pci");
  skipped += check_capture(gsm, "gsm900_a100_cfo+25k", "GSM", 2e6, "gsm-fcch", 100, "arfcn");
  if (skipped == 2) {
    printf("SKIP: this build's pipeline decodes neither the GSM nor the LTE capture (no decoders yet)\n");
    return 77;
  }
  return check_done();
}
