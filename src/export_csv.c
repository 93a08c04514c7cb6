/* export_csv.c: the CSV exports: OpenCelliD upload, CellMapper, and plain CSV of every point. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "export.h"

static cs_status open_out(const char *path, FILE **f, cs_err *err) {
  *f = fopen(path, "w");
  return *f ? CS_OK : cs_fail(err, CS_ERR_ENV, "cannot write %s: %s", path, strerror(errno));
}

static cs_status close_out(FILE *f, const char *path, cs_err *err) {
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed: %s", path, strerror(errno)) : CS_OK;
}

/* OpenCelliD's acceptance rules (docs/coverage.md): a row it would reject is left out. */
static int ocid_reject(const cs_survey_obs *o, const cs_survey_cell *c, cs_export_counts *n) {
  int mcc = -1, mnc = -1;
  if (c->plmn.mcc[0]) sscanf(c->plmn.mcc, "%d", &mcc);
  if (c->plmn.mnc[0]) sscanf(c->plmn.mnc, "%d", &mnc);
  int gsm = c->rat == CS_RAT_GSM;
  /* MCC: ITU-T E.212 geographic codes 200..799; LAC/TAC 0x0000 and 0xFFFE/0xFFFF are reserved
   * (TS 24.008 10.5.1.3, TS 24.301 9.9.3.32); GSM CI 16 bit, LTE ECI 28 bit, both non-zero */
  if (mcc < 200 || mcc > 799 || mnc < 0 || mnc > 999 || c->area < 1 || c->area > 65533 || c->cid < 1 ||
      c->cid > (gsm ? 65535 : 268435455)) { n->bad_identity++; return 1; }
  if (!isfinite(o->lat) || !isfinite(o->lon) || fabs(o->lat) > 90 || fabs(o->lon) > 180 ||
      (o->lat == 0 && o->lon == 0)) { n->bad_position++; return 1; }
  if (!isfinite(o->t) || o->t < 946684800.0 || o->t > (double)time(NULL) + 86400) { n->bad_time++; return 1; }
  /* a level no receiver can report is a broken measurement */
  if (isfinite(o->dbm) && (o->dbm < -150 || o->dbm > 0)) { n->bad_signal++; return 1; }
  return 0;
}

cs_status cs_export_opencellid(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  FILE *f;
  cs_status st = open_out(path, &f, err);
  if (st) return st;
  fputs("mcc,mnc,lac,cellid,lon,lat,signal,measured_at,rating,speed,direction,act,ta,psc,tac,pci,sid,nid,bid\n", f);
  for (size_t i = 0; i < d->s->n_obs; i++) {
    const cs_survey_obs *o = &d->s->obs[i];
    if (o->cell < 0) continue; /* track point */
    const cs_survey_cell *c = &d->s->cells[o->cell];
    if (ocid_reject(o, c, n)) { n->rejected++; continue; }
    int lte = c->rat == CS_RAT_LTE;
    char sig[16] = "", tac[16] = "", pci[16] = "";
    /* signal in dBm within the reporting range: GSM RSSI -113..-51 (TS 27.007 +CSQ), LTE RSRP
     * -140..-44 (TS 36.133 9.1.4); levels beyond it are reported at its end, as a phone would */
    if (isfinite(o->dbm)) {
      double lo = lte ? -140 : -113, hi = lte ? -44 : -51;
      snprintf(sig, sizeof sig, "%d", (int)lrint(fmin(hi, fmax(lo, o->dbm))));
    }
    if (lte) {
      snprintf(tac, sizeof tac, "%d", c->area);
      if (c->code >= 0) snprintf(pci, sizeof pci, "%d", c->code);
    }
    /* LTE: lac is the TAC and cellid the 28-bit ECI; measured_at in milliseconds since 1970 */
    fprintf(f, "%s,%s,%d,%lld,%.7f,%.7f,%s,%lld,,,,%s,,,%s,%s,,,\n", c->plmn.mcc, c->plmn.mnc, c->area,
            (long long)c->cid, o->lon, o->lat, sig, (long long)llround(o->t * 1000.0), lte ? "LTE" : "GSM", tac, pci);
    n->written++;
  }
  return close_out(f, path, err);
}

cs_status cs_export_cellmapper(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  FILE *f;
  cs_status st = open_out(path, &f, err);
  if (st) return st;
  fputs("latitude,longitude,altitude,MCC,MNC,LAC,CID,signal,type,subtype,ARFCN,PSC\n", f);
  for (size_t i = 0; i < d->s->n_obs; i++) {
    const cs_survey_obs *o = &d->s->obs[i];
    if (o->cell < 0) continue;
    const cs_survey_cell *c = &d->s->cells[o->cell];
    if (!c->plmn.mcc[0] || c->area < 0 || c->cid < 0) { n->rejected++; continue; } /* no identity */
    int lte = c->rat == CS_RAT_LTE;
    char alt[24] = "", sig[16] = "", arfcn[16] = "", psc[16] = "";
    if (isfinite(o->alt)) snprintf(alt, sizeof alt, "%.1f", o->alt);
    if (isfinite(o->dbm)) snprintf(sig, sizeof sig, "%d", (int)lrint(o->dbm));
    if (c->channel >= 0) snprintf(arfcn, sizeof arfcn, "%d", c->channel);
    if (lte && c->code >= 0) snprintf(psc, sizeof psc, "%d", c->code);
    fprintf(f, "%.7f,%.7f,%s,%s,%s,%d,%lld,%s,%s,%s,%s,%s\n", o->lat, o->lon, alt, c->plmn.mcc, c->plmn.mnc, c->area,
            (long long)c->cid, sig, lte ? "LTE" : "GSM", lte ? "LTE" : "GSM", arfcn, psc);
    n->written++;
  }
  return close_out(f, path, err);
}

cs_status cs_export_csv(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  FILE *f;
  cs_status st = open_out(path, &f, err);
  if (st) return st;
  fputs("time,lat,lon,alt,kind,rat,mcc,mnc,lac_tac,cell_id,bsic_pci,arfcn_earfcn,band,level_dbm,rsrq_db,sinr_db\n", f);
  for (size_t i = 0; i < d->s->n_obs; i++) {
    const cs_survey_obs *o = &d->s->obs[i];
    char ts[40] = "", alt[24] = "", lvl[16] = "", rsrq[16] = "", sinr[16] = "";
    if (isfinite(o->t)) cs_format_time(o->t, ts, sizeof ts);
    if (isfinite(o->alt)) snprintf(alt, sizeof alt, "%.1f", o->alt);
    if (o->cell < 0) {
      fprintf(f, "%s,%.7f,%.7f,%s,track,,,,,,,,,,,\n", ts, o->lat, o->lon, alt);
      n->written++;
      continue;
    }
    const cs_survey_cell *c = &d->s->cells[o->cell];
    if (isfinite(o->dbm)) snprintf(lvl, sizeof lvl, "%.2f", o->dbm);
    if (isfinite(o->rsrq_db)) snprintf(rsrq, sizeof rsrq, "%.2f", o->rsrq_db);
    if (isfinite(o->sinr_db)) snprintf(sinr, sizeof sinr, "%.2f", o->sinr_db);
    char area[16] = "", cid[24] = "", code[16] = "", chan[16] = "";
    if (c->area >= 0) snprintf(area, sizeof area, "%d", c->area);
    if (c->cid >= 0) snprintf(cid, sizeof cid, "%lld", (long long)c->cid);
    if (c->code >= 0) snprintf(code, sizeof code, "%d", c->code);
    if (c->channel >= 0) snprintf(chan, sizeof chan, "%d", c->channel);
    fprintf(f, "%s,%.7f,%.7f,%s,measurement,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", ts, o->lat, o->lon, alt,
            cs_rat_name(c->rat), c->plmn.mcc, c->plmn.mnc, area, cid, code, chan, c->band, lvl, rsrq, sinr);
    n->written++;
  }
  return close_out(f, path, err);
}
