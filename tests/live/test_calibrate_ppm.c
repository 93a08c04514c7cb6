/* test_calibrate_ppm.c: oscillator calibration end to end. The simulated device plays an LTE
 * capture whose cell is 17 kHz off (as a radio whose oscillator runs fast would see it);
 * `calibrate` must store the ppm the decoders' carrier offset implies (equal to the capture's truth
 * and to what `replay` measures on the file), and a `record --decode` made afterwards must see the
 * cell with the offset corrected. Skips (77) without ../shared, or when this build's pipeline
 * decodes no LTE cell from the file itself (no LTE decoder yet). */
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

int main(void) {
  char lte[4096], scene[4096], a[8192], b[8192], cmd[32768], store[4200], base[4200];
  snprintf(lte, sizeof lte, "%s", check_shared_dir("lte"));
  const char *bin = getenv("CELLSURVEY"), *tmp = check_tmp_dir(), *name = "lte_pci257_15prb_snr10_cfo-17k";
  snprintf(scene, sizeof scene, "%s/ppm_scene", tmp);
  mkdir(scene, 0755);
  for (int m = 0; m < 2; m++) {
    snprintf(a, sizeof a, "%s/%s.%s", lte, name, m ? "sigmf-data" : "sigmf-meta");
    snprintf(b, sizeof b, "%s/%s.%s", scene, name, m ? "sigmf-data" : "sigmf-meta");
    unlink(b);
    CHECK(symlink(a, b) == 0, "link %s", b);
  }
  /* truth: the capture's carrier offset and frequency */
  snprintf(a, sizeof a, "%s/%s.sigmf-meta", lte, name);
  FILE *f = fopen(a, "rb");
  size_t n = fread(out, 1, sizeof out - 1, f);
  fclose(f);
  out[n] = 0;
  cJSON *meta = cJSON_Parse(out);
  double truth_cfo = number(cJSON_GetObjectItem(meta, "global"), "truth:cfo_hz");
  double fc = number(cJSON_GetArrayItem(cJSON_GetObjectItem(meta, "captures"), 0), "core:frequency");
  cJSON_Delete(meta);
  CHECK(isfinite(truth_cfo) && fc > 0, "truth read");

  /* what the pipeline measures on the file itself */
  snprintf(cmd, sizeof cmd, "%s replay --json %s/%s 2>/dev/null", bin, lte, name);
  run(cmd);
  double replay_cfo = NAN;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    cJSON *r = cJSON_Parse(line);
    if (r && isfinite(number(r, "cfo_hz"))) replay_cfo = number(r, "cfo_hz");
    cJSON_Delete(r);
  }
  if (!isfinite(replay_cfo)) {
    printf("SKIP: this build's pipeline decodes no LTE cell (with cfo_hz) from %s: no LTE decoder yet\n", name);
    return 77;
  }
  CHECK_NEAR(replay_cfo, truth_cfo, 150);

  snprintf(store, sizeof store, "%s/ppm_store.json", tmp);
  remove(store);
  snprintf(cmd, sizeof cmd,
           "%s calibrate --device driver=cellsurvey-sim,scene=%s --freq %.1f --rate 3.84e6 --duration 0.3 "
           "--store %s --json 2>&1",
           bin, scene, fc, store);
  CHECK_INT(run(cmd), 0);
  cJSON *j = cJSON_Parse(out);
  CHECK(j != NULL, "calibrate output: %s", out);
  double ppm = number(j, "ppm");
  CHECK_NEAR(ppm, -replay_cfo / fc * 1e6, 0.05);
  CHECK_NEAR(ppm, -truth_cfo / fc * 1e6, 0.1);
  CHECK_STR(cJSON_GetObjectItem(j, "method") ? cJSON_GetObjectItem(j, "method")->valuestring : "", "lte-pss");
  cJSON_Delete(j);

  /* the stored correction is applied: the cell now shows (almost) no offset */
  snprintf(base, sizeof base, "%s/ppm_rec", tmp);
  snprintf(cmd, sizeof cmd,
           "%s record --device driver=cellsurvey-sim,scene=%s --freq %.1f --rate 3.84e6 --duration 0.3 "
           "--decode --calibration %s %s 2>&1",
           bin, scene, fc, store, base);
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
    if (!l || strncmp(l->valuestring, "LTE PCI", 7)) continue;
    cells++;
    cJSON *r = cJSON_Parse(c->valuestring);
    CHECK_INT(number(r, "pci"), 257);
    CHECK(fabs(number(r, "cfo_hz")) < 300, "corrected cfo %.1f Hz", number(r, "cfo_hz"));
    cJSON_Delete(r);
  }
  CHECK(cells >= 1, "the LTE cell is annotated");
  cJSON_Delete(meta);
  return check_done();
}
