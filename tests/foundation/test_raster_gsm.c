/* test_raster_gsm.c: GSM channel power and occupancy on the wideband GSM captures against their
 * truth: every truth carrier (C0 and TCH) occupied with power within 1 dB of truth power_dbfs,
 * every truth:empty_arfcns channel inside the usable band reported and not occupied, and a channel
 * straddling the band edge not reported. */
#include <cjson/cJSON.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"
#include "raster.h"

typedef struct {
  cs_channel rows[256];
  int n;
} result;

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  result *r = ctx;
  r->n = cs_raster_gsm(s, CS_GSM_NONE, 0, r->rows, 256);
}

static const cs_channel *find(const result *r, int arfcn) {
  for (int i = 0; i < r->n; i++)
    if (r->rows[i].channel == arfcn) return &r->rows[i];
  return NULL;
}

static void check_capture(const char *dir, const char *name) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cs_err err = {{0}};
  cs_source *src;
  const cs_sigmf_meta *meta;
  cs_status st = cs_sigmf_open(path, &src, &meta, &err);
  CHECK(st == CS_OK, "%s", err.msg);
  if (st) return;
  result r = {.n = -1};
  cs_pipeline_opts po = {0};
  po.on_spectrum = on_spectrum;
  po.ctx = &r;
  st = cs_pipeline_run(src, &po, &err);
  CHECK(st == CS_OK, "%s", err.msg);
  CHECK(r.n > 0, "%s: no GSM channels", name);
  double rate = meta->sample_rate, centre = meta->segments[0].frequency_hz;
  const cJSON *g = cJSON_GetObjectItem(meta->json, "global");
  const cJSON *carriers = cJSON_GetObjectItem(g, "truth:carriers"), *c;
  int n_carriers = 0;
  cJSON_ArrayForEach(c, carriers) {
    int arfcn = cJSON_GetObjectItem(c, "arfcn")->valueint;
    double p = cJSON_GetObjectItem(c, "power_dbfs")->valuedouble;
    const char *kind = cJSON_GetObjectItem(c, "kind")->valuestring;
    const cs_channel *ch = find(&r, arfcn);
    CHECK(ch != NULL, "%s: %s carrier ARFCN %d not reported", name, kind, arfcn);
    if (!ch) continue;
    CHECK(ch->occupied, "%s: %s carrier ARFCN %d (%.1f dBFS) not occupied", name, kind, arfcn, p);
    CHECK(fabs(ch->power_dbfs - p) <= 1.0, "%s: ARFCN %d power %.2f dBFS, truth %.2f", name, arfcn, ch->power_dbfs, p);
    CHECK_NEAR(ch->freq_hz, cJSON_GetObjectItem(c, "freq_hz")->valuedouble, 1.0);
    n_carriers++;
  }
  CHECK(n_carriers >= 4, "%s: only %d truth carriers", name, n_carriers);
  const cJSON *empty = cJSON_GetObjectItem(g, "truth:empty_arfcns");
  int n_empty = 0;
  cJSON_ArrayForEach(c, empty) {
    const cs_channel *ch = find(&r, c->valueint);
    double off = cs_gsm_arfcn_to_dl_hz(CS_RGSM900, c->valueint);
    if (off == 0 || fabs(off - centre) > 5e6) off = cs_gsm_arfcn_to_dl_hz(CS_GSM850, c->valueint);
    off -= centre;
    int inside = fabs(off) + 100e3 <= CS_RASTER_USABLE * rate / 2;
    if (inside) {
      CHECK(ch != NULL, "%s: empty ARFCN %d inside the usable band not reported", name, c->valueint);
      n_empty++;
    } else {
      CHECK(ch == NULL, "%s: ARFCN %d straddles the band edge but is reported", name, c->valueint);
    }
    if (ch) CHECK(!ch->occupied, "%s: empty ARFCN %d (%.1f dBFS) called occupied", name, c->valueint, ch->power_dbfs);
  }
  CHECK(n_empty >= 3, "%s: only %d empty channels checked", name, n_empty);
  /* nothing but the truth carriers is occupied (leakage of strong carriers is not a carrier) */
  int occupied = 0;
  for (int i = 0; i < r.n; i++) occupied += r.rows[i].occupied;
  CHECK_INT(occupied, n_carriers);
  printf("%s: %d channels, %d carriers, %d empty checked\n", name, r.n, n_carriers, n_empty);
  cs_source_close(src);
}

int main(void) {
  const char *dir = check_shared_dir("gsm");
  check_capture(dir, "wb_gsm850_2msps_2s");
  check_capture(dir, "wb_gsm900_5msps");
  return check_done();
}
