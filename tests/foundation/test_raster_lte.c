/* test_raster_lte.c: LTE carrier detection on every synthetic LTE capture against its truth
 * (exactly one carrier, truth:n_prb, truth:dl_earfcn, power within 1 dB of
 * truth:channel_power_dbfs, from SNR -3 dB up), none in the noise-only capture, and none in the
 * wideband GSM captures (a cluster of GSM carriers is not an OFDM carrier). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"
#include "raster.h"

typedef struct {
  cs_channel rows[16];
  int n;
} result;

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  result *r = ctx;
  r->n = cs_raster_lte(s, 0, 0, r->rows, 16, NULL);
}

static int run(const char *path, result *r, const cs_sigmf_meta **meta, cs_source **src) {
  cs_err err = {{0}};
  cs_status st = cs_sigmf_open(path, src, meta, &err);
  CHECK(st == CS_OK, "%s", err.msg);
  if (st) return 0;
  cs_pipeline_opts po = {0};
  po.on_spectrum = on_spectrum;
  po.ctx = r;
  st = cs_pipeline_run(*src, &po, &err);
  CHECK(st == CS_OK, "%s", err.msg);
  return st == CS_OK;
}

static double num(const cJSON *g, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(g, key);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int main(void) {
  const char *dir = check_shared_dir("lte");
  DIR *d = opendir(dir);
  struct dirent *e;
  int checked = 0, noise_only = 0;
  while (d && (e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len < 11 || strcmp(e->d_name + len - 11, ".sigmf-meta")) continue;
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    result r = {.n = -1};
    const cs_sigmf_meta *m;
    cs_source *src = NULL;
    if (!run(path, &r, &m, &src)) { cs_source_close(src); continue; }
    const cJSON *g = cJSON_GetObjectItem(m->json, "global");
    double n_prb = num(g, "truth:n_prb"), earfcn = num(g, "truth:dl_earfcn"), p = num(g, "truth:channel_power_dbfs");
    if (isnan(n_prb)) { /* no cell: noise only */
      CHECK(r.n == 0, "%s: %d carriers in a capture without a cell", e->d_name, r.n);
      noise_only++;
    } else {
      CHECK(r.n == 1, "%s: %d carriers, want 1", e->d_name, r.n);
      if (r.n >= 1) {
        CHECK(r.rows[0].n_prb == (int)n_prb, "%s: %d PRB, truth %d", e->d_name, r.rows[0].n_prb, (int)n_prb);
        CHECK(r.rows[0].channel == (int)earfcn, "%s: EARFCN %d, truth %d", e->d_name, r.rows[0].channel, (int)earfcn);
        CHECK(fabs(r.rows[0].power_dbfs - p) <= 1.0, "%s: %.2f dBFS, truth %.2f", e->d_name, r.rows[0].power_dbfs, p);
        CHECK(r.rows[0].occupied, "%s: not occupied", e->d_name);
      }
      checked++;
    }
    cs_source_close(src);
  }
  if (d) closedir(d);
  CHECK(checked >= 10, "only %d LTE captures with truth", checked);
  CHECK(noise_only >= 1, "no noise-only capture");
  const char *gsm = check_shared_dir("gsm");
  const char *wb[] = {"wb_gsm850_2msps_2s", "wb_gsm900_5msps"};
  for (int i = 0; i < 2; i++) {
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", gsm, wb[i]);
    result r = {.n = -1};
    const cs_sigmf_meta *m;
    cs_source *src = NULL;
    if (run(path, &r, &m, &src)) CHECK(r.n == 0, "%s: %d LTE carriers in a GSM capture", wb[i], r.n);
    cs_source_close(src);
  }
  printf("%d LTE captures checked, %d noise-only\n", checked, noise_only);
  return check_done();
}
