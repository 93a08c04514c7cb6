/* test_gsm_captures.c: every capture in ../shared/captures/gsm through the pipeline: each C0 in
 * truth:carriers must come out with exactly its truth fields (bsic, mcc, mnc, lac, cell_id,
 * neighbour_arfcns), power within 1.5 dB for SNR >= 10 dB and the carrier offset close to
 * freq_offset_hz; no cell for TCH-like carriers or truth:empty_arfcns. The real 2007 recording
 * GSMSP_20070204_robert_dbsrx_953.6MHz_128 must give its SI3 with a ~+8.6 kHz offset found by the
 * receiver (the meta's hint is not read by the decoder). Truth is read from each meta with cJSON. */
#include <cjson/cJSON.h>
#include <dirent.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"

typedef struct {
  cs_cell_record r[64];
  int n;
} records;

static void sink(void *ctx, const cs_cell_record *r) {
  records *rs = ctx;
  if (rs->n < 64) rs->r[rs->n++] = *r;
}

static int run(const char *path, records *rs) {
  cs_source *src;
  cs_err err = {{0}};
  rs->n = 0;
  if (cs_sigmf_open(path, &src, NULL, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
  cs_pipeline_opts o = {0};
  o.decode_gsm = 1;
  o.on_record = sink;
  o.ctx = rs;
  cs_status st = cs_pipeline_run(src, &o, &err);
  cs_source_close(src);
  if (st) fprintf(stderr, "%s\n", err.msg);
  return st ? -1 : 0;
}

static cJSON *load_meta(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return cJSON_Parse(buf);
}

static const cs_cell_record *find(const records *rs, int arfcn) {
  for (int i = 0; i < rs->n; i++)
    if (rs->r[i].arfcn == arfcn) return &rs->r[i];
  return NULL;
}

static void check_capture(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cJSON *meta = load_meta(path);
  CHECK(meta != NULL, "%s: meta does not parse", name);
  if (!meta) return;
  cJSON *g = cJSON_GetObjectItem(meta, "global");
  records rs;
  CHECK_INT(run(path, &rs), 0);
  int c0 = 0;
  cJSON *car;
  cJSON_ArrayForEach(car, cJSON_GetObjectItem(g, "truth:carriers")) {
    int arfcn = cJSON_GetObjectItem(car, "arfcn")->valueint;
    const char *kind = cJSON_GetObjectItem(car, "kind")->valuestring;
    const cs_cell_record *r = find(&rs, arfcn);
    if (strcmp(kind, "C0")) {
      CHECK(r == NULL, "%s: TCH-like ARFCN %d reported as a cell", name, arfcn);
      continue;
    }
    c0++;
    CHECK(r != NULL, "%s: C0 ARFCN %d not found", name, arfcn);
    if (!r) continue;
    printf("%s a%d: bsic %d %s-%s lac %d ci %lld, %d nbrs, %.2f dBFS, SNR %.1f dB, cfo %.1f Hz, %d blocks\n",
           name, arfcn, r->bsic, r->plmn.mcc, r->plmn.mnc, r->lac, (long long)r->cell_id, r->n_neighbours,
           r->power_dbfs, r->snr_db, r->cfo_hz, r->decode_count);
    CHECK_INT(r->bsic, cJSON_GetObjectItem(car, "bsic")->valueint);
    CHECK_STR(r->plmn.mcc, cJSON_GetObjectItem(car, "mcc")->valuestring);
    CHECK_STR(r->plmn.mnc, cJSON_GetObjectItem(car, "mnc")->valuestring);
    CHECK_INT(r->lac, cJSON_GetObjectItem(car, "lac")->valueint);
    CHECK_INT(r->cell_id, cJSON_GetObjectItem(car, "cell_id")->valueint);
    cJSON *nb = cJSON_GetObjectItem(car, "neighbour_arfcns");
    int nn = cJSON_GetArraySize(nb), same = r->n_neighbours == nn;
    for (int i = 0; same && i < nn; i++) same = r->neighbours[i] == cJSON_GetArrayItem(nb, i)->valueint;
    CHECK(same, "%s a%d: neighbour list differs from truth", name, arfcn);
    CHECK_STR(r->band, cJSON_GetObjectItem(car, "band")->valuestring);
    CHECK_NEAR(r->freq_hz, cJSON_GetObjectItem(car, "freq_hz")->valuedouble, 1.0);
    double snr = cJSON_GetObjectItem(car, "snr_db")->valuedouble;
    if (snr >= 10.0) {
      CHECK_NEAR(r->power_dbfs, cJSON_GetObjectItem(car, "power_dbfs")->valuedouble, 1.5);
      CHECK_NEAR(r->cfo_hz, cJSON_GetObjectItem(car, "freq_offset_hz")->valuedouble, 100.0);
    }
    CHECK((r->si_seen & (CS_SI1 | CS_SI2 | CS_SI3 | CS_SI4)) == (CS_SI1 | CS_SI2 | CS_SI3 | CS_SI4),
          "%s a%d: SI1-4 not all seen", name, arfcn);
    CHECK(r->decode_count > 0, "decode count");
  }
  CHECK(c0 > 0, "%s: no C0 in truth", name);
  CHECK_INT(rs.n, c0); /* nothing else reported */
  cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItem(g, "truth:empty_arfcns"))
    CHECK(find(&rs, e->valueint) == NULL, "%s: empty ARFCN %d reported", name, e->valueint);
  cJSON_Delete(meta);
}

static void check_real(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/GSMSP_20070204_robert_dbsrx_953.6MHz_128.sigmf-meta", dir);
  records rs;
  CHECK_INT(run(path, &rs), 0);
  CHECK_INT(rs.n, 1);
  if (rs.n < 1) return;
  const cs_cell_record *r = &rs.r[0];
  printf("real 953.6 MHz: arfcn %d bsic %d %s-%s lac %d ci %lld cfo %.1f Hz (%.2f ppm)\n", r->arfcn, r->bsic,
         r->plmn.mcc, r->plmn.mnc, r->lac, (long long)r->cell_id, r->cfo_hz, r->cfo_ppm);
  CHECK_INT(r->arfcn, 93);
  CHECK_STR(r->plmn.mcc, "272");
  CHECK_STR(r->plmn.mnc, "02");
  CHECK_INT(r->lac, 15016);
  CHECK_INT(r->cell_id, 15149);
  CHECK(r->cfo_hz > 8000.0 && r->cfo_hz < 9300.0, "offset %.1f Hz, want about +8.6 kHz", r->cfo_hz);
}

int main(void) {
  const char *dir = check_shared_dir("gsm");
  DIR *d = opendir(dir);
  struct dirent *de;
  int files = 0;
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    if (l > 11 && !strcmp(de->d_name + l - 11, ".sigmf-meta")) { check_capture(dir, de->d_name); files++; }
  }
  closedir(d);
  CHECK(files >= 10, "%d GSM captures", files);
  check_real(check_shared_dir("gsm_real"));
  return check_done();
}
