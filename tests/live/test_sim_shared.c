/* test_sim_shared.c: the simulated device serving real test captures (../shared) at their
 * frequencies, read through hw/soapy.c. The GSM carriers of a wideband GSM900 capture and an LTE
 * carrier come out at the truth's frequencies with the truth's powers, at another rate than the
 * capture's and with the capture band only partly inside the tuned band; the powers agree with
 * the same measurement on the capture file itself. Skips (77) without ../shared. */
#include <cjson/cJSON.h>
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellsurvey/sigmf.h"
#include "cellsurvey/soapy.h"
#include "check.h"
#include "live/live_util.h"

#define N (1 << 20)
static float complex x[N];

static cJSON *load_meta(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return cJSON_Parse(buf);
}

static void capture_tuned(cs_source *s, double f, double rate, size_t n) {
  cs_err err;
  cs_status st = s->ops->tune(s->self, f, rate, 0, NAN, &err);
  CHECK(st == CS_OK, "tune: %s", st ? err.msg : "");
  cs_block_info bi;
  CHECK_INT(read_n(s, x, n, &bi, &st, &err), n);
}

int main(void) {
  char gsm[4096], lte[4096], scene[4096], a[8192], b[8192];
  snprintf(gsm, sizeof gsm, "%s", check_shared_dir("gsm")); /* static buffer: copy */
  snprintf(lte, sizeof lte, "%s", check_shared_dir("lte"));
  snprintf(scene, sizeof scene, "%s/shared_scene", check_tmp_dir());
  mkdir(scene, 0755);
  const char *files[][2] = {{gsm, "wb_gsm900_5msps"}, {lte, "lte_pci101_25prb_snr30"}};
  for (int i = 0; i < 2; i++)
    for (int m = 0; m < 2; m++) {
      const char *ext = m ? "sigmf-data" : "sigmf-meta";
      snprintf(a, sizeof a, "%s/%s.%s", files[i][0], files[i][1], ext);
      snprintf(b, sizeof b, "%s/%s.%s", scene, files[i][1], ext);
      unlink(b);
      CHECK(symlink(a, b) == 0, "link %s", b);
    }

  /* the capture itself, measured directly */
  snprintf(a, sizeof a, "%s/wb_gsm900_5msps.sigmf-meta", gsm);
  cJSON *meta = load_meta(a);
  CHECK(meta != NULL, "meta parsed");
  if (!meta) return check_done();
  cJSON *carriers = cJSON_GetObjectItem(cJSON_GetObjectItem(meta, "global"), "truth:carriers");
  cs_source *file;
  cs_err err;
  CHECK_INT(cs_sigmf_open(a, &file, NULL, &err), CS_OK);
  cs_status st;
  cs_block_info bi;
  size_t nf = read_n(file, x, N, &bi, &st, &err);
  CHECK_INT(nf, N);
  double file_fc = bi.center_hz, file_rate = bi.sample_rate;
  int nc = cJSON_GetArraySize(carriers);
  double *file_p = calloc((size_t)nc, sizeof *file_p);
  for (int i = 0; i < nc; i++) {
    double f = cJSON_GetObjectItem(cJSON_GetArrayItem(carriers, i), "freq_hz")->valuedouble - file_fc;
    file_p[i] = band_dbfs(x, N, file_rate, f - 90e3, f + 90e3, NULL);
  }
  cs_source_close(file);

  snprintf(a, sizeof a, "driver=cellsurvey-sim,scene=%s,noise_dbfs=-100", scene);
  cs_source *s;
  st = cs_soapy_open(a, NULL, &s, &err);
  CHECK(st == CS_OK, "open: %s", st ? err.msg : "");
  if (st) return check_done();

  /* 946 MHz at 10 Msps: the whole capture inside, resampled 5 -> 10 Msps, 1 MHz off centre */
  capture_tuned(s, 946e6, 10e6, N);
  int strong = 0;
  for (int i = 0; i < nc; i++) {
    cJSON *c = cJSON_GetArrayItem(carriers, i);
    double f = cJSON_GetObjectItem(c, "freq_hz")->valuedouble - 946e6;
    double truth = cJSON_GetObjectItem(c, "power_dbfs")->valuedouble;
    double p = band_dbfs(x, N, 10e6, f - 90e3, f + 90e3, NULL);
    CHECK_NEAR(p, file_p[i], 0.5);
    if (truth > -45) {
      strong++;
      CHECK_NEAR(p, truth, 1.0);
    }
  }
  CHECK(strong >= 3, "%d strong carriers checked", strong);

  /* 945.5 MHz at 2 Msps: only [944.5, 946.5] MHz of the capture falls in; carriers there keep
   * their power, the capture's other carriers do not wrap in */
  capture_tuned(s, 945.5e6, 2e6, N / 2);
  for (int i = 0; i < nc; i++) {
    cJSON *c = cJSON_GetArrayItem(carriers, i);
    double f = cJSON_GetObjectItem(c, "freq_hz")->valuedouble - 945.5e6;
    if (fabs(f) > 0.7e6) continue;
    double p = band_dbfs(x, N / 2, 2e6, f - 90e3, f + 90e3, NULL);
    if (file_p[i] > -60) CHECK_NEAR(p, file_p[i], 0.7);
  }
  free(file_p);
  cJSON_Delete(meta);

  /* LTE at 2680 MHz from 5.76 Msps to 7.68 Msps: carrier power equals the truth */
  snprintf(a, sizeof a, "%s/lte_pci101_25prb_snr30.sigmf-meta", lte);
  meta = load_meta(a);
  cJSON *cell = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(meta, "global"), "truth:cells"), 0);
  double f_lte = cJSON_GetObjectItem(cell, "dl_freq_hz")->valuedouble;
  double p_lte = cJSON_GetObjectItem(cell, "mean_power_dbfs")->valuedouble;
  double bw = cJSON_GetObjectItem(cell, "n_prb")->valuedouble * 180e3;
  capture_tuned(s, f_lte, 7.68e6, N);
  CHECK_NEAR(band_dbfs(x, N, 7.68e6, -bw / 2 - 15e3, bw / 2 + 15e3, NULL), p_lte, 1.0);
  /* and nothing outside the LTE channel but noise */
  CHECK(band_dbfs(x, N, 7.68e6, 2.8e6, 3.6e6, NULL) < p_lte - 30, "clean outside the carrier");
  cJSON_Delete(meta);
  cs_source_close(s);
  return check_done();
}
