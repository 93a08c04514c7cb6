/* test_lte_real.c: real LTE recordings in ../shared/captures/lte_real give the cells their meta
 * states (truth:cells or truth:pci: PCI, duplex, n_prb and ports from the MIB) from the file alone;
 * recordings our checks list as holding no cell yield none; a 1.92 Msps recording of a wider cell
 * says SIB1 was outside the captured bandwidth. */
#include "check.h"
#include "lte_run.h"

static void check_cell(const char *name, const lte_recs *recs, int pci, const char *duplex,
                       int n_prb, int ports, double fs) {
  const cs_cell_record *r = lte_find(recs, pci);
  CHECK(r != NULL, "%s: PCI %d not found", name, pci);
  if (!r) return;
  printf("%s: PCI %d %s n_prb %d ports %d SFN %d CFO %.1f Hz RSRP %.1f dBFS SIB1 %s\n", name, pci,
         r->duplex, r->n_prb, r->ports, r->sfn, r->cfo_hz, r->rsrp_dbfs, r->sib1_status);
  if (duplex) CHECK_STR(r->duplex, duplex);
  if (n_prb > 0) CHECK_INT(r->n_prb, n_prb);
  if (ports > 0) CHECK_INT(r->ports, ports);
  if (n_prb > 0 && fs / 15000.0 < 12 * n_prb + 1)
    CHECK_STR(r->sib1_status, "outside captured bandwidth");
}

static int item_int(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItem(o, k);
  return cJSON_IsNumber(v) ? v->valueint : -1;
}

int main(void) {
  const char *dir = check_shared_dir("lte_real");
  static char names[64][256];
  int n = lte_list_metas(dir, names, 64), checked = 0, negatives = 0;
  for (int i = 0; i < n; i++) {
    char path[4096 + 512];
    snprintf(path, sizeof path, "%.4000s/%.255s", dir, names[i]);
    cJSON *meta = lte_load_meta(path);
    CHECK(meta != NULL, "%s: meta unreadable", names[i]);
    if (!meta) continue;
    const cJSON *g = cJSON_GetObjectItem(meta, "global");
    double fs = cJSON_GetObjectItem(g, "core:sample_rate")->valuedouble;
    const cJSON *cells = cJSON_GetObjectItem(g, "truth:cells");
    const cJSON *tpci = cJSON_GetObjectItem(g, "truth:pci");
    const cJSON *ours = cJSON_GetObjectItem(g, "check:ours");
    int negative = !cells && !tpci && cJSON_IsString(ours) &&
                   (strstr(ours->valuestring, "no cell") || strstr(ours->valuestring, "finds nothing"));
    if (!cells && !tpci && !negative) { cJSON_Delete(meta); continue; }
    lte_recs recs;
    CHECK(lte_run(path, &recs) == 0, "%s: replay failed", names[i]);
    if (negative) {
      CHECK(recs.n == 0, "%s: %d cells in a recording with none", names[i], recs.n);
      negatives++;
    } else if (cells) {
      const cJSON *c;
      cJSON_ArrayForEach(c, cells) {
        const cJSON *dx = cJSON_GetObjectItem(c, "duplex");
        check_cell(names[i], &recs, item_int(c, "pci"), cJSON_IsString(dx) ? dx->valuestring : NULL,
                   item_int(c, "n_prb"), item_int(c, "n_ports"), fs);
      }
    } else {
      const cJSON *dx = cJSON_GetObjectItem(g, "truth:duplex");
      check_cell(names[i], &recs, tpci->valueint, cJSON_IsString(dx) ? dx->valuestring : NULL,
                 item_int(g, "truth:n_prb"), item_int(g, "truth:n_ports"), fs);
    }
    checked++;
    cJSON_Delete(meta);
  }
  CHECK(checked >= 8 && negatives >= 4, "%d recordings checked, %d negatives", checked, negatives);
  return check_done();
}
