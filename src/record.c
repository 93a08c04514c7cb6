/* record.c: the cell record's JSON Lines form (docs/records.md), written and read with cJSON. */
#include "cellsurvey/record.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cs_record_init(cs_cell_record *r) {
  memset(r, 0, sizeof *r);
  r->time_unix = NAN;
  r->lat = r->lon = r->alt = r->eph_m = NAN;
  r->arfcn = r->earfcn = -1;
  r->freq_hz = NAN;
  r->bsic = r->lac = -1;
  r->cell_id = -1;
  r->n_neighbours = -1;
  r->cell_barred = r->gprs = -1;
  r->rac = r->nmo = r->n_utran = r->n_eutran = -1;
  r->pci = r->n_prb = r->ports = r->sfn = r->tac = -1;
  r->cell_identity = -1;
  r->q_rxlevmin_dbm = INT32_MIN;
  r->freq_band_indicator = -1;
  r->power_dbfs = r->power_dbm = r->snr_db = NAN;
  r->rxlev = -1;
  r->rsrp_dbfs = r->rsrp_dbm = r->rssi_dbfs = r->rssi_dbm = r->rsrq_db = r->sinr_db = NAN;
  r->cfo_hz = r->cfo_ppm = NAN;
}

static void add_num(cJSON *o, const char *k, double v, double scale) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, k, round(v * scale) / scale + 0.0); /* -0 -> 0 */
  else cJSON_AddNullToObject(o, k);
}

static void add_int(cJSON *o, const char *k, int64_t v) {
  if (v >= 0) cJSON_AddNumberToObject(o, k, (double)v);
  else cJSON_AddNullToObject(o, k);
}

static void add_str(cJSON *o, const char *k, const char *s) {
  if (s[0]) cJSON_AddStringToObject(o, k, s);
  else cJSON_AddNullToObject(o, k);
}

void cs_format_time(double t, char *buf, unsigned long cap) {
  /* round to whole milliseconds first: t - floor(t) of 1764357307.123 is 0.12299990..., and
   * flooring that lost a millisecond on every import/export round trip */
  long long total_ms = llround(t * 1000.0);
  long long sec = total_ms / 1000, rem = total_ms % 1000;
  if (rem < 0) { rem += 1000; sec--; }
  time_t s = (time_t)sec;
  struct tm tm;
  gmtime_r(&s, &tm);
  int ms = (int)rem;
  snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

/* GSM SI2quater neighbours: "utran_neighbours": [{"uarfcn", "scrambling_codes"}],
 * "eutran_neighbours": [{"earfcn", "meas_bw_prb", "priority", "thresh_high", "thresh_low",
 * "qrxlevmin"}]; null without SI2quater. */
static void add_si2quater(cJSON *o, const cs_cell_record *r) {
  if (r->n_utran >= 0) {
    cJSON *a = cJSON_AddArrayToObject(o, "utran_neighbours");
    for (int i = 0; i < r->n_utran && i < CS_MAX_UTRAN; i++) {
      cJSON *u = cJSON_CreateObject();
      cJSON_AddNumberToObject(u, "uarfcn", r->utran[i].uarfcn);
      cJSON *sc = cJSON_AddArrayToObject(u, "scrambling_codes");
      for (int k = 0; k < r->utran[i].n_sc && k < CS_MAX_UTRAN_SC; k++)
        cJSON_AddItemToArray(sc, cJSON_CreateNumber(r->utran[i].sc[k]));
      cJSON_AddItemToArray(a, u);
    }
  } else {
    cJSON_AddNullToObject(o, "utran_neighbours");
  }
  if (r->n_eutran >= 0) {
    cJSON *a = cJSON_AddArrayToObject(o, "eutran_neighbours");
    for (int i = 0; i < r->n_eutran && i < CS_MAX_EUTRAN; i++) {
      const cs_eutran_neighbour *e = &r->eutran[i];
      cJSON *u = cJSON_CreateObject();
      cJSON_AddNumberToObject(u, "earfcn", e->earfcn);
      cJSON_AddNumberToObject(u, "meas_bw_prb", e->meas_bw_prb);
      add_int(u, "priority", e->priority);
      add_int(u, "thresh_high", e->thresh_high);
      add_int(u, "thresh_low", e->thresh_low);
      add_int(u, "qrxlevmin", e->qrxlevmin);
      cJSON_AddItemToArray(a, u);
    }
  } else {
    cJSON_AddNullToObject(o, "eutran_neighbours");
  }
}

static const char *rat_name(cs_rat rat) {
  return rat == CS_RAT_GSM ? "gsm" : rat == CS_RAT_LTE ? "lte" : NULL;
}

char *cs_record_to_json(const cs_cell_record *r) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  char ts[40];
  if (isfinite(r->time_unix)) { cs_format_time(r->time_unix, ts, sizeof ts); cJSON_AddStringToObject(o, "time", ts); }
  else cJSON_AddNullToObject(o, "time");
  if (r->has_fix) {
    add_num(o, "lat", r->lat, 1e7);
    add_num(o, "lon", r->lon, 1e7);
    add_num(o, "alt", r->alt, 10);
    add_num(o, "eph_m", r->eph_m, 10);
    cJSON_AddNumberToObject(o, "fix_mode", r->fix_mode);
  }
  if (r->rat == CS_RAT_NONE) { /* a track point: the kit was here */
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
  }
  cJSON_AddStringToObject(o, "rat", rat_name(r->rat));
  add_str(o, "band", r->band);
  if (r->rat == CS_RAT_GSM) add_int(o, "arfcn", r->arfcn);
  else add_int(o, "earfcn", r->earfcn);
  add_num(o, "freq_hz", r->freq_hz, 1);
  add_str(o, "mcc", r->plmn.mcc);
  add_str(o, "mnc", r->plmn.mnc);
  if (r->rat == CS_RAT_GSM) {
    add_int(o, "bsic", r->bsic);
    add_int(o, "lac", r->lac);
    add_int(o, "cell_id", r->cell_id);
    if (r->n_neighbours >= 0) {
      cJSON *a = cJSON_AddArrayToObject(o, "neighbours");
      for (int i = 0; i < r->n_neighbours; i++) cJSON_AddItemToArray(a, cJSON_CreateNumber(r->neighbours[i]));
    } else {
      cJSON_AddNullToObject(o, "neighbours");
    }
    static const char *si_names[] = {"SI1", "SI2", "SI2bis", "SI2ter", "SI2quater", "SI3", "SI4", "SI13"};
    cJSON *si = cJSON_AddArrayToObject(o, "si_seen");
    for (unsigned i = 0; i < sizeof si_names / sizeof *si_names; i++)
      if (r->si_seen & (1u << i)) cJSON_AddItemToArray(si, cJSON_CreateString(si_names[i]));
    if (r->gprs >= 0) cJSON_AddBoolToObject(o, "gprs", r->gprs);
    else cJSON_AddNullToObject(o, "gprs");
    add_int(o, "rac", r->rac);
    add_int(o, "nmo", r->nmo);
    add_si2quater(o, r);
    add_num(o, "power_dbfs", r->power_dbfs, 100);
    add_num(o, "power_dbm", r->power_dbm, 100);
    add_int(o, "rxlev", r->rxlev);
    add_num(o, "snr_db", r->snr_db, 100);
  } else {
    add_str(o, "duplex", r->duplex);
    add_int(o, "pci", r->pci);
    add_int(o, "n_prb", r->n_prb);
    add_int(o, "ports", r->ports);
    add_str(o, "cp", r->cp);
    add_str(o, "phich_duration", r->phich_duration);
    add_str(o, "phich_resource", r->phich_resource);
    add_int(o, "sfn", r->sfn);
    cJSON *a = cJSON_AddArrayToObject(o, "plmns");
    for (int i = 0; i < r->n_plmns; i++) {
      char s[8];
      snprintf(s, sizeof s, "%s-%s", r->plmns[i].mcc, r->plmns[i].mnc);
      cJSON_AddItemToArray(a, cJSON_CreateString(s));
    }
    add_int(o, "tac", r->tac);
    add_int(o, "cell_identity", r->cell_identity);
    add_int(o, "enb_id", r->cell_identity >= 0 ? r->cell_identity >> 8 : -1);
    add_int(o, "local_cell_id", r->cell_identity >= 0 ? r->cell_identity & 0xff : -1);
    add_int(o, "freq_band_indicator", r->freq_band_indicator);
    if (r->q_rxlevmin_dbm != INT32_MIN) cJSON_AddNumberToObject(o, "q_rxlevmin_dbm", r->q_rxlevmin_dbm);
    else cJSON_AddNullToObject(o, "q_rxlevmin_dbm");
    add_str(o, "sib1_status", r->sib1_status);
    add_num(o, "rsrp_dbfs", r->rsrp_dbfs, 100);
    add_num(o, "rsrp_dbm", r->rsrp_dbm, 100);
    add_num(o, "rssi_dbfs", r->rssi_dbfs, 100);
    add_num(o, "rssi_dbm", r->rssi_dbm, 100);
    add_num(o, "rsrq_db", r->rsrq_db, 100);
    add_num(o, "sinr_db", r->sinr_db, 100);
  }
  if (r->cell_barred >= 0) cJSON_AddBoolToObject(o, "cell_barred", r->cell_barred);
  else cJSON_AddNullToObject(o, "cell_barred");
  add_num(o, "cfo_hz", r->cfo_hz, 10);
  add_num(o, "cfo_ppm", r->cfo_ppm, 1000);
  cJSON_AddBoolToObject(o, "calibrated", r->calibrated);
  if (r->decode_count > 0) cJSON_AddNumberToObject(o, "decode_count", r->decode_count);
  add_str(o, "device", r->device);
  add_str(o, "source", r->source);
  char *s = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return s;
}
