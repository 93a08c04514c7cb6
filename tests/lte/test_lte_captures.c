/* test_lte_captures.c: every capture in ../shared/captures/lte decodes to the truth in its meta
 * (truth:cells: exactly those PCIs, n_prb, nof_ports, CP, PHICH, SFN; RSRP within 1.5 dB at
 * SNR >= 10 dB; SIB1 decoded with mcc, mnc, tac, cell_identity), the noise-only capture yields no
 * cell. */
#include <math.h>

#include "check.h"
#include "lte_run.h"

static void check_file(const char *dir, const char *name) {
  char path[4096 + 512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  cJSON *meta = lte_load_meta(path);
  CHECK(meta != NULL, "%s: meta unreadable", name);
  if (!meta) return;
  const cJSON *g = cJSON_GetObjectItem(meta, "global");
  const cJSON *cells = cJSON_GetObjectItem(g, "truth:cells");
  const cJSON *snr = cJSON_GetObjectItem(g, "truth:snr_db");
  lte_recs recs;
  CHECK(lte_run(path, &recs) == 0, "%s: replay failed", name);
  int want = cells ? cJSON_GetArraySize(cells) : 0;
  CHECK(recs.n == want, "%s: %d cells found, truth has %d (no ghosts, none missed)", name, recs.n, want);
  const cJSON *c;
  cJSON_ArrayForEach(c, cells) {
    int pci = cJSON_GetObjectItem(c, "pci")->valueint;
    const cs_cell_record *r = lte_find(&recs, pci);
    CHECK(r != NULL, "%s: PCI %d not found", name, pci);
    if (!r) continue;
    printf("%s: PCI %d n_prb %d ports %d SFN %d RSRP %.2f dBFS (truth %.2f) RSRQ %.2f SINR %.2f CFO %.1f Hz SIB1 %s\n",
           name, pci, r->n_prb, r->ports, r->sfn, r->rsrp_dbfs,
           cJSON_GetObjectItem(c, "rsrp_dbfs")->valuedouble, r->rsrq_db, r->sinr_db, r->cfo_hz,
           r->sib1_status);
    CHECK_STR(r->duplex, "FDD");
    CHECK_INT(r->n_prb, cJSON_GetObjectItem(c, "n_prb")->valueint);
    CHECK_INT(r->ports, cJSON_GetObjectItem(c, "nof_ports")->valueint);
    CHECK_STR(r->cp, cJSON_GetObjectItem(c, "cp")->valuestring);
    CHECK_STR(r->phich_duration, cJSON_GetObjectItem(c, "phich_duration")->valuestring);
    CHECK_STR(r->phich_resource, cJSON_GetObjectItem(c, "phich_resources")->valuestring);
    /* the SFN of the first whole frame in the capture */
    int sfn0 = cJSON_GetObjectItem(c, "sfn_at_sample0")->valueint;
    int into = cJSON_GetObjectItem(c, "samples_into_subframe_at_sample0")->valueint;
    int sf0 = cJSON_GetObjectItem(c, "subframe_at_sample0")->valueint;
    int whole = (sf0 == 0 && into == 0) ? sfn0 : (sfn0 + 1) % 1024;
    CHECK(r->sfn == whole, "%s: PCI %d SFN %d, want %d", name, pci, r->sfn, whole);
    if (snr && snr->valuedouble >= 10)
      CHECK_NEAR(r->rsrp_dbfs, cJSON_GetObjectItem(c, "rsrp_dbfs")->valuedouble, 1.5);
    CHECK(isfinite(r->rssi_dbfs) && isfinite(r->rsrq_db) && isfinite(r->sinr_db), "%s: measurements", name);
    double cfo = cJSON_GetObjectItem(g, "truth:cfo_hz")->valuedouble;
    CHECK_NEAR(r->cfo_hz, cfo, 250.0);
    CHECK_STR(r->sib1_status, "decoded");
    if (!strcmp(r->sib1_status, "decoded")) {
      CHECK_STR(r->plmn.mcc, cJSON_GetObjectItem(c, "mcc")->valuestring);
      CHECK_STR(r->plmn.mnc, cJSON_GetObjectItem(c, "mnc")->valuestring);
      CHECK_INT(r->tac, cJSON_GetObjectItem(c, "tac")->valueint);
      CHECK_INT(r->cell_identity, (long long)cJSON_GetObjectItem(c, "cell_identity")->valuedouble);
    }
  }
  cJSON_Delete(meta);
}

int main(void) {
  const char *dir = check_shared_dir("lte");
  static char names[64][256];
  int n = lte_list_metas(dir, names, 64);
  CHECK(n > 0, "no captures in %s", dir);
  for (int i = 0; i < n; i++) check_file(dir, names[i]);
  return check_done();
}
