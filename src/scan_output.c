/* scan_output.c: JSON Lines, table and progress bar for scan results (see scan_output.h). */
#include "scan_output.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

char *cs_scan_record_json(const cs_cell_record *r, const cs_gps_fix *fix) {
  char *base = cs_record_to_json(r);
  if (!base) return NULL;
  cJSON *o = cJSON_Parse(base);
  free(base);
  if (!o) return NULL;
  if (fix && fix->mode != 0 && isfinite(fix->time_unix)) {
    char ts[40];
    cs_format_time(fix->time_unix, ts, sizeof ts);
    cJSON_AddStringToObject(o, "fix_time", ts);
  } else {
    cJSON_AddNullToObject(o, "fix_time");
  }
  if (!r->has_fix && !cJSON_GetObjectItem(o, "fix_mode")) cJSON_AddNumberToObject(o, "fix_mode", 0);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}

void cs_scan_table_header(FILE *f) {
  fprintf(f, "%-4s %-8s %7s %11s %-7s %6s %10s %5s %9s %-20s\n", "RAT", "BAND", "CHAN", "FREQ MHz",
          "PLMN", "LAC/TA", "CELL", "ID", "POWER dBFS", "POSITION");
}

void cs_scan_table_row(FILE *f, const cs_cell_record *r) {
  char plmn[12] = "-", pos[32] = "no fix";
  const cs_plmn *p = r->rat == CS_RAT_LTE && r->n_plmns > 0 ? &r->plmns[0] : &r->plmn;
  if (p->mcc[0]) snprintf(plmn, sizeof plmn, "%s-%s", p->mcc, p->mnc);
  if (r->has_fix) snprintf(pos, sizeof pos, "%.5f,%.5f", r->lat, r->lon);
  int gsm = r->rat == CS_RAT_GSM;
  double pw = gsm ? r->power_dbfs : r->rsrp_dbfs;
  fprintf(f, "%-4s %-8s %7d %11.3f %-7s %6d %10lld %5d %9.1f %-20s\n", gsm ? "GSM" : "LTE",
          r->band, gsm ? r->arfcn : r->earfcn, r->freq_hz / 1e6, plmn, gsm ? r->lac : r->tac,
          (long long)(gsm ? r->cell_id : r->cell_identity), gsm ? r->bsic : r->pci, pw, pos);
}

void cs_scan_step_header(FILE *f) {
  fprintf(f, "%-8s %5s %11s %8s %8s %9s %4s %4s %5s %4s  %s\n", "BAND", "STEP", "CENTRE MHz",
          "ADC dBFS", "CLIP %", "NOISE/200k", "GSM", "LTE", "CELLS", "OVF", "VERDICT");
}

void cs_scan_step_row(FILE *f, const cs_scan_step *s) {
  fprintf(f, "%-8s %2d/%-2d %11.3f %8.1f %8.3f %9.1f %4d %4d %5d %4llu  %s\n", s->band, s->step + 1,
          s->n_steps, s->center_hz / 1e6, s->adc_dbfs, 100.0 * s->clip_frac, s->noise_dbfs_200k,
          s->gsm_occupied, s->lte_carriers, s->cells, (unsigned long long)s->overflows, s->verdict);
}

void cs_scan_progress(FILE *f, const char *band, int step, int n_steps, int cells) {
  const int w = 30;
  int fill = n_steps > 0 ? step * w / n_steps : w;
  char bar[64];
  for (int i = 0; i < w; i++) bar[i] = i < fill ? '#' : '.';
  bar[w] = '\0';
  fprintf(f, "\r[%s] %-8s step %d/%d, %d cells found ", bar, band, step < n_steps ? step + 1 : n_steps,
          n_steps, cells);
  fflush(f);
}
