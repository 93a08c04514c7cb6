/* record_json_in.c: the cell record's JSON Lines form read back (import; docs/records.md).
 *
 * The inverse of cs_record_to_json(): "time" (RFC 3339), "lat", "lon" are required; a record
 * without "rat" is a track point (the kit was there). Fields a kit did not know are null or
 * absent. Anything present but of the wrong type or out of range is an input error naming it. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cellsurvey/record.h"

/* RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm). Returns 0 on success. */
static int parse_rfc3339(const char *s, double *out) {
  int y, mo, d, h, mi, sec, n = 0;
  if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
  const char *p = s + n;
  double frac = 0;
  if (*p == '.') {
    double scale = 0.1;
    p++;
    if (*p < '0' || *p > '9') return -1;
    while (*p >= '0' && *p <= '9') { frac += (*p - '0') * scale; scale /= 10; p++; }
  }
  long offset = 0;
  if (*p == 'Z' || *p == 'z') p++;
  else if (*p == '+' || *p == '-') {
    int oh, om, m = 0;
    if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5 || oh > 23 || om > 59) return -1;
    offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
    p += 6;
  } else return -1;
  if (*p) return -1;
  struct tm tm = {0};
  tm.tm_year = y - 1900; tm.tm_mon = mo - 1; tm.tm_mday = d;
  tm.tm_hour = h; tm.tm_min = mi; tm.tm_sec = sec;
  *out = (double)timegm(&tm) - (double)offset + frac;
  return 0;
}

/* A numeric field: absent or null leaves *v; a number in [lo, hi] sets it. */
static cs_status get_num(const cJSON *o, const char *k, double lo, double hi, double *v, cs_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
  if (!it || cJSON_IsNull(it)) return CS_OK;
  if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
    return cs_fail(err, CS_ERR_INPUT, "\"%s\" is not a number", k);
  if (it->valuedouble < lo || it->valuedouble > hi)
    return cs_fail(err, CS_ERR_INPUT, "\"%s\" = %g is outside %g..%g", k, it->valuedouble, lo, hi);
  *v = it->valuedouble;
  return CS_OK;
}

static cs_status get_int(const cJSON *o, const char *k, double lo, double hi, int64_t *v, cs_err *err) {
  double d = NAN;
  cs_status st = get_num(o, k, lo, hi, &d, err);
  if (st) return st;
  if (isfinite(d)) {
    if (d != floor(d)) return cs_fail(err, CS_ERR_INPUT, "\"%s\" = %g is not an integer", k, d);
    *v = (int64_t)d;
  }
  return CS_OK;
}

#define GET_INT(key, lo, hi, field) do { int64_t t_ = -1; \
    if ((st = get_int(o, key, lo, hi, &t_, err))) goto done; \
    if (t_ >= 0) field = t_; } while (0)

static cs_status get_str(const cJSON *o, const char *k, char *dst, size_t cap, cs_err *err) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
  if (!it || cJSON_IsNull(it)) return CS_OK;
  if (!cJSON_IsString(it)) return cs_fail(err, CS_ERR_INPUT, "\"%s\" is not a string", k);
  if (strlen(it->valuestring) >= cap) return cs_fail(err, CS_ERR_INPUT, "\"%s\" is too long", k);
  strcpy(dst, it->valuestring);
  return CS_OK;
}

/* MCC: 3 digits; MNC: 2 or 3 digits (TS 23.003 2.2). */
static int plmn_ok(const cs_plmn *p) {
  size_t lc = strlen(p->mcc), ln = strlen(p->mnc);
  if (lc != 3 || (ln != 2 && ln != 3)) return 0;
  for (size_t i = 0; i < lc; i++) if (p->mcc[i] < '0' || p->mcc[i] > '9') return 0;
  for (size_t i = 0; i < ln; i++) if (p->mnc[i] < '0' || p->mnc[i] > '9') return 0;
  return 1;
}

cs_status cs_record_from_json(const char *text, cs_cell_record *r, cs_err *err) {
  cs_record_init(r);
  cJSON *o = cJSON_Parse(text);
  if (!o) return cs_fail(err, CS_ERR_INPUT, "not valid JSON");
  cs_status st = CS_OK;
  if (!cJSON_IsObject(o)) { st = cs_fail(err, CS_ERR_INPUT, "not a JSON object"); goto done; }

  const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "time");
  if (!cJSON_IsString(t)) { st = cs_fail(err, CS_ERR_INPUT, "\"time\" (RFC 3339 string) is missing"); goto done; }
  if (parse_rfc3339(t->valuestring, &r->time_unix)) {
    st = cs_fail(err, CS_ERR_INPUT, "\"time\" \"%.40s\" is not RFC 3339", t->valuestring);
    goto done;
  }
  if ((st = get_num(o, "lat", -90, 90, &r->lat, err)) || (st = get_num(o, "lon", -180, 180, &r->lon, err)) ||
      (st = get_num(o, "alt", -1000, 100000, &r->alt, err)) || (st = get_num(o, "eph_m", 0, 1e7, &r->eph_m, err)))
    goto done;
  if (!isfinite(r->lat) || !isfinite(r->lon)) { st = cs_fail(err, CS_ERR_INPUT, "\"lat\" and \"lon\" are required"); goto done; }
  r->has_fix = 1;
  int64_t fm = 0;
  if ((st = get_int(o, "fix_mode", -1, 3, &fm, err))) goto done;
  r->fix_mode = (int)fm;
  if ((st = get_str(o, "device", r->device, sizeof r->device, err)) ||
      (st = get_str(o, "source", r->source, sizeof r->source, err)))
    goto done;

  const cJSON *rat = cJSON_GetObjectItemCaseSensitive(o, "rat");
  if (!rat || cJSON_IsNull(rat)) goto done; /* track point */
  if (!cJSON_IsString(rat)) { st = cs_fail(err, CS_ERR_INPUT, "\"rat\" is not a string"); goto done; }
  if (!strcmp(rat->valuestring, "gsm")) r->rat = CS_RAT_GSM;
  else if (!strcmp(rat->valuestring, "lte")) r->rat = CS_RAT_LTE;
  else { st = cs_fail(err, CS_ERR_INPUT, "\"rat\" \"%.20s\" is not \"gsm\" or \"lte\"", rat->valuestring); goto done; }

  if ((st = get_str(o, "band", r->band, sizeof r->band, err)) ||
      (st = get_str(o, "mcc", r->plmn.mcc, sizeof r->plmn.mcc, err)) ||
      (st = get_str(o, "mnc", r->plmn.mnc, sizeof r->plmn.mnc, err)) ||
      (st = get_num(o, "freq_hz", 0, 1e11, &r->freq_hz, err)))
    goto done;
  if ((r->plmn.mcc[0] || r->plmn.mnc[0]) && !plmn_ok(&r->plmn)) {
    st = cs_fail(err, CS_ERR_INPUT, "\"mcc\"/\"mnc\" \"%s\"/\"%s\" are not 3 and 2-3 digits", r->plmn.mcc, r->plmn.mnc);
    goto done;
  }
  const cJSON *cal = cJSON_GetObjectItemCaseSensitive(o, "calibrated");
  r->calibrated = cJSON_IsTrue(cal);
  double dc = NAN;
  if ((st = get_num(o, "decode_count", 0, 1e9, &dc, err))) goto done;
  if (isfinite(dc)) r->decode_count = (int)dc;
  if ((st = get_num(o, "cfo_hz", -1e7, 1e7, &r->cfo_hz, err)) || (st = get_num(o, "cfo_ppm", -1e4, 1e4, &r->cfo_ppm, err)))
    goto done;

  if (r->rat == CS_RAT_GSM) {
    GET_INT("arfcn", 0, 1023, r->arfcn);
    GET_INT("bsic", 0, 63, r->bsic);
    GET_INT("lac", 0, 65535, r->lac);
    GET_INT("cell_id", 0, 65535, r->cell_id);
    if ((st = get_num(o, "power_dbfs", -300, 100, &r->power_dbfs, err)) ||
        (st = get_num(o, "power_dbm", -200, 50, &r->power_dbm, err)) ||
        (st = get_num(o, "snr_db", -100, 100, &r->snr_db, err)))
      goto done;
    GET_INT("rxlev", 0, 63, r->rxlev);
  } else {
    GET_INT("earfcn", 0, 262143, r->earfcn);
    GET_INT("pci", 0, 503, r->pci);
    GET_INT("n_prb", 6, 100, r->n_prb);
    GET_INT("tac", 0, 65535, r->tac);
    GET_INT("cell_identity", 0, 268435455, r->cell_identity);
    if ((st = get_str(o, "duplex", r->duplex, sizeof r->duplex, err)) ||
        (st = get_num(o, "rsrp_dbfs", -300, 100, &r->rsrp_dbfs, err)) ||
        (st = get_num(o, "rsrp_dbm", -200, 50, &r->rsrp_dbm, err)) ||
        (st = get_num(o, "rssi_dbfs", -300, 100, &r->rssi_dbfs, err)) ||
        (st = get_num(o, "rssi_dbm", -200, 50, &r->rssi_dbm, err)) ||
        (st = get_num(o, "rsrq_db", -60, 20, &r->rsrq_db, err)) ||
        (st = get_num(o, "sinr_db", -50, 80, &r->sinr_db, err)) ||
        (st = get_str(o, "sib1_status", r->sib1_status, sizeof r->sib1_status, err)))
      goto done;
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(o, "plmns");
    const cJSON *it;
    if (cJSON_IsArray(pl)) cJSON_ArrayForEach(it, pl) {
      if (r->n_plmns >= CS_MAX_PLMNS) break;
      cs_plmn p = {{0}, {0}};
      if (!cJSON_IsString(it) || sscanf(it->valuestring, "%3[0-9]-%3[0-9]", p.mcc, p.mnc) != 2 || !plmn_ok(&p)) {
        st = cs_fail(err, CS_ERR_INPUT, "\"plmns\" holds an entry that is not \"MCC-MNC\"");
        goto done;
      }
      r->plmns[r->n_plmns++] = p;
    }
    if (!r->plmn.mcc[0] && r->n_plmns > 0) r->plmn = r->plmns[0];
  }
done:
  cJSON_Delete(o);
  return st;
}
