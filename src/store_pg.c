/* store_pg.c: the PostgreSQL + PostGIS backend of the store (store_pg.h), through libpq.
 *
 * One connection holds the open transaction (BEGIN at open and after every commit); a second
 * connection in autocommit creates cell identity rows, so writers never hold locks on shared
 * cells rows. Every data row has a unique content key and is inserted with ON CONFLICT DO
 * NOTHING: re-inserting the same data is a no-op, two writers inserting it at once are
 * serialised by PostgreSQL's unique index. Reads use a cursor inside the open transaction. */
#include "pq_dl.h"
#include "store_pg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "store_backend.h"

typedef struct {
  char *key;
  int64_t id;
} cell_slot;

typedef struct {
  PGconn *c, *cells;
  char target[256];   /* the URI without password, for messages */
  int64_t session;
  char skey[1200];    /* the session's natural key: prefix of every row key */
  long inserted;       /* rows inserted since open (counted when the pipeline drains) */
  int piped, queued;   /* pipeline mode on; inserts sent whose results are not read yet */
  cell_slot *slots;
  size_t n_slots, n_used;
} pgstore;

static const char schema_sql[] =
    "BEGIN;"
    "SELECT pg_advisory_xact_lock(7263541001);"
    "CREATE EXTENSION IF NOT EXISTS postgis;"
    "CREATE TABLE IF NOT EXISTS sessions ("
    "  id bigserial PRIMARY KEY,"
    "  kind text NOT NULL CHECK (kind IN ('replay','scan','daemon','import')),"
    "  started double precision NOT NULL, ended double precision,"
    "  device text NOT NULL DEFAULT '', description text NOT NULL DEFAULT '',"
    "  UNIQUE (kind, started, device, description));"
    "CREATE TABLE IF NOT EXISTS spectrum ("
    "  id bigserial PRIMARY KEY, session_id bigint NOT NULL REFERENCES sessions(id),"
    "  time double precision, lat double precision, lon double precision, alt double precision,"
    "  geom geometry(Point, 4326),"
    "  rat text NOT NULL, band text, channel integer,"
    "  freq_hz double precision NOT NULL, bandwidth_hz double precision NOT NULL, n_prb integer,"
    "  power_dbfs double precision NOT NULL, noise_dbfs double precision, occupied integer NOT NULL,"
    "  row_key text NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS cells ("
    "  id bigserial PRIMARY KEY,"
    "  rat text NOT NULL, band text NOT NULL, channel integer NOT NULL,"
    "  mcc text NOT NULL, mnc text NOT NULL, area integer NOT NULL, cell bigint NOT NULL,"
    "  local_id integer NOT NULL,"
    "  UNIQUE (rat, mcc, mnc, area, cell, local_id, band, channel));"
    "CREATE TABLE IF NOT EXISTS measurements ("
    "  id bigserial PRIMARY KEY, session_id bigint NOT NULL REFERENCES sessions(id),"
    "  cell_id bigint NOT NULL REFERENCES cells(id),"
    "  time double precision, lat double precision, lon double precision, alt double precision,"
    "  eph_m double precision, fix_mode integer, geom geometry(Point, 4326),"
    "  device text, source text, calibrated integer NOT NULL,"
    "  rat text NOT NULL, band text, arfcn integer, earfcn integer, freq_hz double precision,"
    "  mcc text, mnc text, lac integer, cid bigint, bsic integer,"
    "  tac integer, eci bigint, pci integer, n_prb integer,"
    "  power_dbfs double precision, power_dbm double precision, rxlev integer, snr_db double precision,"
    "  rsrp_dbfs double precision, rsrp_dbm double precision, rssi_dbfs double precision,"
    "  rssi_dbm double precision, rsrq_db double precision, sinr_db double precision,"
    "  cfo_hz double precision, cfo_ppm double precision,"
    "  json text NOT NULL, obs_key text NOT NULL UNIQUE);"
    "CREATE INDEX IF NOT EXISTS measurements_time ON measurements(time);"
    "CREATE INDEX IF NOT EXISTS measurements_cell ON measurements(cell_id);"
    "CREATE INDEX IF NOT EXISTS measurements_geom ON measurements USING gist(geom);"
    "CREATE TABLE IF NOT EXISTS track ("
    "  id bigserial PRIMARY KEY, session_id bigint NOT NULL REFERENCES sessions(id),"
    "  time double precision, lat double precision NOT NULL, lon double precision NOT NULL,"
    "  alt double precision, eph_m double precision, fix_mode integer, geom geometry(Point, 4326),"
    "  row_key text NOT NULL UNIQUE);"
    "CREATE INDEX IF NOT EXISTS track_time ON track(time);"
    "CREATE INDEX IF NOT EXISTS track_geom ON track USING gist(geom);"
    "COMMIT;";

#define GEOM(lat, lon) "CASE WHEN " lat "::float8 IS NULL OR " lon "::float8 IS NULL THEN NULL ELSE " \
  "ST_SetSRID(ST_MakePoint(" lon "::float8, " lat "::float8), 4326) END"

static const char ins_meas[] =
    "INSERT INTO measurements (session_id, cell_id, time, lat, lon, alt, eph_m, fix_mode, device, source,"
    " calibrated, rat, band, arfcn, earfcn, freq_hz, mcc, mnc, lac, cid, bsic, tac, eci, pci, n_prb,"
    " power_dbfs, power_dbm, rxlev, snr_db, rsrp_dbfs, rsrp_dbm, rssi_dbfs, rssi_dbm, rsrq_db, sinr_db,"
    " cfo_hz, cfo_ppm, json, geom, obs_key) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,"
    "$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32,$33,$34,$35,$36,$37,$38,"
    GEOM("$4", "$5") ", md5($39 || $38)) ON CONFLICT (obs_key) DO NOTHING";
static const char ins_track[] =
    "INSERT INTO track (session_id, time, lat, lon, alt, eph_m, fix_mode, geom, row_key)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7," GEOM("$3", "$4") ", md5($8)) ON CONFLICT (row_key) DO NOTHING";
static const char ins_spec[] =
    "INSERT INTO spectrum (session_id, time, lat, lon, alt, rat, band, channel, freq_hz, bandwidth_hz,"
    " n_prb, power_dbfs, noise_dbfs, occupied, geom, row_key) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,"
    "$12,$13,$14," GEOM("$3", "$4") ", md5($15)) ON CONFLICT (row_key) DO NOTHING";

/* ---- small helpers ---- */

static cs_status pg_fail(pgstore *p, PGconn *c, cs_err *err, const char *what) {
  const char *m = cs_pq.PQerrorMessage(c);
  char msg[300];
  snprintf(msg, sizeof msg, "%s", m ? m : "");
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = 0;
  return cs_fail(err, cs_pq.PQstatus(c) == CONNECTION_OK ? CS_ERR_INPUT : CS_ERR_ENV, "%s: %s: %s", p->target, what, msg);
}

static int exec_ok(PGconn *c, const char *sql) {
  PGresult *r = cs_pq.PQexec(c, sql);
  int ok = cs_pq.PQresultStatus(r) == PGRES_COMMAND_OK || cs_pq.PQresultStatus(r) == PGRES_TUPLES_OK;
  cs_pq.PQclear(r);
  return ok;
}

static int prepare(PGconn *c, const char *name, const char *sql) {
  PGresult *r = cs_pq.PQprepare(c, name, sql, 0, NULL);
  int ok = cs_pq.PQresultStatus(r) == PGRES_COMMAND_OK;
  cs_pq.PQclear(r);
  return ok;
}

/* text parameters: a fixed pool of buffers per statement */
typedef struct {
  char buf[40][48];
  const char *v[40];
  int n;
} params;

static void p_dbl(params *pp, double x, int prec) {
  if (!isfinite(x)) { pp->v[pp->n++] = NULL; return; }
  snprintf(pp->buf[pp->n], sizeof pp->buf[0], "%.*g", prec, x);
  pp->v[pp->n] = pp->buf[pp->n];
  pp->n++;
}
static void p_int(params *pp, int64_t x) { /* negative = unknown */
  if (x < 0) { pp->v[pp->n++] = NULL; return; }
  snprintf(pp->buf[pp->n], sizeof pp->buf[0], "%lld", (long long)x);
  pp->v[pp->n] = pp->buf[pp->n];
  pp->n++;
}
static void p_str(params *pp, const char *s) { pp->v[pp->n++] = s && s[0] ? s : NULL; }
static void p_raw(params *pp, const char *s) { pp->v[pp->n++] = s; }

static double now_unix(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return tv.tv_sec + tv.tv_usec * 1e-6;
}

static const char *rat_text(cs_rat r) { return r == CS_RAT_GSM ? "gsm" : r == CS_RAT_LTE ? "lte" : "none"; }

static void strip_password(const char *uri, char *out, size_t cap) {
  /* postgresql://user:secret@host/db -> postgresql://user@host/db */
  const char *at = strchr(uri, '@'), *scheme = strstr(uri, "://");
  const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
  if (at && colon && colon < at) snprintf(out, cap, "%.*s%s", (int)(colon - uri), uri, at);
  else snprintf(out, cap, "%s", uri);
}

/* ---- open / close ---- */

static void pg_free(pgstore *p) {
  if (!p) return;
  if (p->c) cs_pq.PQfinish(p->c);
  if (p->cells) cs_pq.PQfinish(p->cells);
  for (size_t i = 0; i < p->n_slots; i++) free(p->slots[i].key);
  free(p->slots);
  free(p);
}

static cs_status connect_one(pgstore *p, const char *uri, PGconn **c, cs_err *err) {
  *c = cs_pq.PQconnectdb(uri);
  if (!*c || cs_pq.PQstatus(*c) != CONNECTION_OK) {
    const char *m = *c ? cs_pq.PQerrorMessage(*c) : "out of memory";
    char msg[300];
    snprintf(msg, sizeof msg, "%s", m);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n') msg[--n] = 0;
    return cs_fail(err, CS_ERR_ENV, "%s: cannot connect: %s", p->target, msg);
  }
  exec_ok(*c, "SET client_min_messages = warning");
  return CS_OK;
}

cs_status cs_store_pg_open(const char *uri, void **self, cs_err *err) {
  *self = NULL;
  cs_status st0 = cs_pq_open(err);
  if (st0) return st0;
  pgstore *p = calloc(1, sizeof *p);
  if (!p) return cs_fail(err, CS_ERR_ENV, "out of memory");
  strip_password(uri, p->target, sizeof p->target);
  cs_status st = connect_one(p, uri, &p->c, err);
  if (!st) st = connect_one(p, uri, &p->cells, err);
  if (st) { pg_free(p); return st; }
  PGresult *r = cs_pq.PQexec(p->c, schema_sql);
  if (cs_pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
    cs_pq.PQclear(r);
    st = pg_fail(p, p->c, err, "creating the schema (needs the PostGIS extension: Debian postgresql-15-postgis-3)");
    pg_free(p);
    return st;
  }
  cs_pq.PQclear(r);
  if (!prepare(p->c, "ins_meas", ins_meas) || !prepare(p->c, "ins_track", ins_track) ||
      !prepare(p->c, "ins_spec", ins_spec) || !exec_ok(p->c, "BEGIN")) {
    st = pg_fail(p, p->c, err, "preparing statements");
    pg_free(p);
    return st;
  }
  *self = p;
  return CS_OK;
}

/* Inserts are pipelined (libpq pipeline mode): sent without waiting, their results read here, at
 * most PIPE_MAX at a time and before anything else uses the connection. One round trip per batch
 * instead of per row: what makes push usable over a slow link. */
#define PIPE_MAX 500

static cs_status drain(pgstore *p, cs_err *err) {
  if (!p->piped) return CS_OK;
  cs_status st = CS_OK;
  if (!cs_pq.PQpipelineSync(p->c)) st = pg_fail(p, p->c, err, "pipeline sync");
  int nulls = 0;
  for (;;) {
    PGresult *r = cs_pq.PQgetResult(p->c);
    if (!r) {
      if (++nulls > p->queued + 1) break; /* connection lost: no sync will come */
      continue;
    }
    ExecStatusType t = cs_pq.PQresultStatus(r);
    if (t == PGRES_PIPELINE_SYNC) { cs_pq.PQclear(r); break; }
    if (t == PGRES_COMMAND_OK) p->inserted += strtol(cs_pq.PQcmdTuples(r), NULL, 10);
    else if (!st) {
      char msg[300];
      snprintf(msg, sizeof msg, "%s", cs_pq.PQresultErrorMessage(r));
      size_t n = strlen(msg);
      while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) msg[--n] = 0;
      st = cs_fail(err, cs_pq.PQstatus(p->c) == CONNECTION_OK ? CS_ERR_INPUT : CS_ERR_ENV, "%s: insert failed: %s",
                   p->target, msg);
    }
    cs_pq.PQclear(r);
  }
  cs_pq.PQexitPipelineMode(p->c);
  p->piped = 0;
  p->queued = 0;
  return st;
}

static cs_status commit_pg(void *self, cs_err *err) {
  pgstore *p = self;
  cs_status st = drain(p, err);
  if (st) { exec_ok(p->c, "ROLLBACK"); exec_ok(p->c, "BEGIN"); return st; }
  if (!exec_ok(p->c, "COMMIT")) {
    st = pg_fail(p, p->c, err, "commit failed");
    exec_ok(p->c, "BEGIN");
    return st;
  }
  if (!exec_ok(p->c, "BEGIN")) return pg_fail(p, p->c, err, "BEGIN");
  return CS_OK;
}

static cs_status close_pg(void *self, cs_err *err) {
  pgstore *p = self;
  cs_status st = drain(p, err);
  if (st) exec_ok(p->c, "ROLLBACK");
  else if (!exec_ok(p->c, "COMMIT")) st = pg_fail(p, p->c, err, "commit failed");
  pg_free(p);
  return st;
}

/* ---- writing ---- */

static cs_status begin_session_pg(void *self, const char *kind, double started, const char *device,
                                  const char *description, int64_t *session_id, cs_err *err) {
  pgstore *p = self;
  cs_status st = drain(p, err);
  if (st) return st;
  params pp = {.n = 0};
  p_raw(&pp, kind);
  p_dbl(&pp, isfinite(started) ? started : now_unix(), 17);
  p_raw(&pp, device ? device : "");
  p_raw(&pp, description ? description : "");
  PGresult *r = cs_pq.PQexecParams(p->c,
                             "INSERT INTO sessions (kind, started, device, description) VALUES ($1,$2,$3,$4)"
                             " ON CONFLICT (kind, started, device, description) DO UPDATE SET kind = EXCLUDED.kind"
                             " RETURNING id",
                             pp.n, NULL, pp.v, NULL, NULL, 0);
  if (cs_pq.PQresultStatus(r) != PGRES_TUPLES_OK || cs_pq.PQntuples(r) != 1) {
    cs_pq.PQclear(r);
    return pg_fail(p, p->c, err, "adding a session");
  }
  p->session = strtoll(cs_pq.PQgetvalue(r, 0, 0), NULL, 10);
  cs_pq.PQclear(r);
  snprintf(p->skey, sizeof p->skey, "%s|%s|%s|%s|", pp.v[0], pp.v[1], pp.v[2], pp.v[3]);
  if (session_id) *session_id = p->session;
  return CS_OK;
}

static cs_status end_session_pg(void *self, double ended, cs_err *err) {
  pgstore *p = self;
  cs_status st = drain(p, err);
  if (st) return st;
  params pp = {.n = 0};
  p_dbl(&pp, isfinite(ended) ? ended : now_unix(), 17);
  p_int(&pp, p->session);
  PGresult *r = cs_pq.PQexecParams(p->c, "UPDATE sessions SET ended = $1 WHERE id = $2", 2, NULL, pp.v, NULL, NULL, 0);
  int ok = cs_pq.PQresultStatus(r) == PGRES_COMMAND_OK;
  cs_pq.PQclear(r);
  if (!ok) return pg_fail(p, p->c, err, "ending the session");
  return commit_pg(self, err);
}

static cs_status need_session(pgstore *p, cs_err *err) {
  if (p->session > 0) return CS_OK;
  return cs_fail(err, CS_ERR_INPUT, "%s: no session begun (cs_store_begin_session)", p->target);
}

static uint64_t str_hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  while (*s) { h ^= (unsigned char)*s++; h *= 1099511628211ull; }
  return h;
}

/* The cells row id of a record's cell (created in autocommit when new). */
static cs_status cell_id(pgstore *p, const cs_cell_record *r, int64_t *id, cs_err *err) {
  int gsm = r->rat == CS_RAT_GSM;
  char ch[16], area[16], cell[24], loc[16];
  snprintf(ch, sizeof ch, "%d", gsm ? r->arfcn : r->earfcn);
  snprintf(area, sizeof area, "%d", gsm ? r->lac : r->tac);
  snprintf(cell, sizeof cell, "%lld", (long long)(gsm ? r->cell_id : r->cell_identity));
  snprintf(loc, sizeof loc, "%d", gsm ? r->bsic : r->pci);
  params pp = {.n = 8};
  const char *v[8] = {rat_text(r->rat), r->band, ch, r->plmn.mcc, r->plmn.mnc, area, cell, loc};
  memcpy(pp.v, v, sizeof v);
  char key[200];
  snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s|%s|%s", pp.v[0], pp.v[1], pp.v[2], pp.v[3], pp.v[4], pp.v[5],
           pp.v[6], pp.v[7]);
  if (p->n_slots) {
    size_t k = str_hash(key) & (p->n_slots - 1);
    while (p->slots[k].key) {
      if (!strcmp(p->slots[k].key, key)) { *id = p->slots[k].id; return CS_OK; }
      k = (k + 1) & (p->n_slots - 1);
    }
  }
  /* The insert-or-select sees the statement's snapshot: when another writer inserted the same
   * cell after it began, ON CONFLICT skips and the select does not see the row yet, so select
   * again in a new statement (a new snapshot), which does. */
  static const char *const sql[2] = {
      "WITH ins AS (INSERT INTO cells (rat, band, channel, mcc, mnc, area, cell, local_id)"
      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING id)"
      " SELECT id FROM ins UNION ALL SELECT id FROM cells WHERE rat=$1 AND band=$2 AND"
      " channel=$3 AND mcc=$4 AND mnc=$5 AND area=$6 AND cell=$7 AND local_id=$8",
      "SELECT id FROM cells WHERE rat=$1 AND band=$2 AND channel=$3 AND mcc=$4 AND mnc=$5 AND area=$6"
      " AND cell=$7 AND local_id=$8"};
  int found = 0;
  for (int attempt = 0; attempt < 2 && !found; attempt++) {
    PGresult *res = cs_pq.PQexecParams(p->cells, sql[attempt], 8, NULL, pp.v, NULL, NULL, 0);
    if (cs_pq.PQresultStatus(res) != PGRES_TUPLES_OK) {
      cs_pq.PQclear(res);
      return pg_fail(p, p->cells, err, "adding a cell");
    }
    if (cs_pq.PQntuples(res) > 0) {
      *id = strtoll(cs_pq.PQgetvalue(res, 0, 0), NULL, 10);
      found = 1;
    }
    cs_pq.PQclear(res);
  }
  if (!found) return cs_fail(err, CS_ERR_ENV, "%s: adding a cell: row neither inserted nor found", p->target);
  if ((p->n_used + 1) * 2 > p->n_slots) {
    size_t n = p->n_slots ? p->n_slots * 2 : 256;
    cell_slot *ns = calloc(n, sizeof *ns);
    if (!ns) return cs_fail(err, CS_ERR_ENV, "out of memory");
    for (size_t i = 0; i < p->n_slots; i++) {
      if (!p->slots[i].key) continue;
      size_t k = str_hash(p->slots[i].key) & (n - 1);
      while (ns[k].key) k = (k + 1) & (n - 1);
      ns[k] = p->slots[i];
    }
    free(p->slots);
    p->slots = ns;
    p->n_slots = n;
  }
  size_t k = str_hash(key) & (p->n_slots - 1);
  while (p->slots[k].key) k = (k + 1) & (p->n_slots - 1);
  p->slots[k].key = strdup(key);
  p->slots[k].id = *id;
  p->n_used++;
  return CS_OK;
}

static cs_status insert(pgstore *p, const char *stmt, params *pp, cs_err *err, const char *what) {
  if (!p->piped) {
    if (!cs_pq.PQenterPipelineMode(p->c)) return pg_fail(p, p->c, err, "entering pipeline mode");
    p->piped = 1;
  }
  if (!cs_pq.PQsendQueryPrepared(p->c, stmt, pp->n, pp->v, NULL, NULL, 0)) {
    cs_status st = pg_fail(p, p->c, err, what);
    cs_err ignored;
    drain(p, &ignored);
    return st;
  }
  return ++p->queued >= PIPE_MAX ? drain(p, err) : CS_OK;
}

static cs_status add_track(pgstore *p, const cs_cell_record *r, cs_err *err) {
  params pp = {.n = 0};
  p_int(&pp, p->session);
  p_dbl(&pp, r->time_unix, 17);
  p_dbl(&pp, r->lat, 12);
  p_dbl(&pp, r->lon, 12);
  p_dbl(&pp, r->alt, 8);
  p_dbl(&pp, r->eph_m, 8);
  snprintf(pp.buf[pp.n], 48, "%d", r->fix_mode); pp.v[pp.n] = pp.buf[pp.n]; pp.n++;
  char key[1400];
  snprintf(key, sizeof key, "%s%.3f|%.7f|%.7f|%.1f", p->skey, r->time_unix, r->lat, r->lon, r->alt);
  p_raw(&pp, key);
  return insert(p, "ins_track", &pp, err, "adding a track point");
}

cs_status cs_store_pg_add_measurement_json(void *self, const cs_cell_record *r, const char *json, cs_err *err) {
  pgstore *p = self;
  cs_status st = need_session(p, err);
  if (st) return st;
  int64_t cid = 0;
  if ((st = cell_id(p, r, &cid, err))) return st;
  int gsm = r->rat == CS_RAT_GSM;
  params pp = {.n = 0};
  p_int(&pp, p->session);
  p_int(&pp, cid);
  p_dbl(&pp, r->time_unix, 17);
  p_dbl(&pp, r->has_fix ? r->lat : NAN, 12);
  p_dbl(&pp, r->has_fix ? r->lon : NAN, 12);
  p_dbl(&pp, r->alt, 8);
  p_dbl(&pp, r->eph_m, 8);
  snprintf(pp.buf[pp.n], 48, "%d", r->fix_mode); pp.v[pp.n] = pp.buf[pp.n]; pp.n++;
  p_str(&pp, r->device);
  p_str(&pp, r->source);
  p_int(&pp, r->calibrated ? 1 : 0);
  p_raw(&pp, rat_text(r->rat));
  p_str(&pp, r->band);
  p_int(&pp, gsm ? r->arfcn : -1);
  p_int(&pp, gsm ? -1 : r->earfcn);
  p_dbl(&pp, r->freq_hz, 12);
  p_str(&pp, r->plmn.mcc);
  p_str(&pp, r->plmn.mnc);
  p_int(&pp, gsm ? r->lac : -1);
  p_int(&pp, gsm ? r->cell_id : -1);
  p_int(&pp, gsm ? r->bsic : -1);
  p_int(&pp, gsm ? -1 : r->tac);
  p_int(&pp, gsm ? -1 : r->cell_identity);
  p_int(&pp, gsm ? -1 : r->pci);
  p_int(&pp, gsm ? -1 : r->n_prb);
  p_dbl(&pp, r->power_dbfs, 8);
  p_dbl(&pp, r->power_dbm, 8);
  p_int(&pp, r->rxlev);
  p_dbl(&pp, r->snr_db, 8);
  p_dbl(&pp, r->rsrp_dbfs, 8);
  p_dbl(&pp, r->rsrp_dbm, 8);
  p_dbl(&pp, r->rssi_dbfs, 8);
  p_dbl(&pp, r->rssi_dbm, 8);
  p_dbl(&pp, r->rsrq_db, 8);
  p_dbl(&pp, r->sinr_db, 8);
  p_dbl(&pp, r->cfo_hz, 10);
  p_dbl(&pp, r->cfo_ppm, 8);
  p_raw(&pp, json);
  p_raw(&pp, p->skey);
  return insert(p, "ins_meas", &pp, err, "adding a measurement");
}

static cs_status add_record_pg(void *self, const cs_cell_record *r, int64_t *measurement_id, cs_err *err) {
  pgstore *p = self;
  if (measurement_id) *measurement_id = 0;
  cs_status st = need_session(p, err);
  if (st) return st;
  if (r->rat == CS_RAT_NONE) {
    if (!r->has_fix) return CS_OK;
    return add_track(p, r, err);
  }
  char *json = cs_record_to_json(r);
  if (!json) return cs_fail(err, CS_ERR_ENV, "out of memory");
  st = cs_store_pg_add_measurement_json(self, r, json, err);
  free(json);
  return st;
}

static cs_status add_spectrum_pg(void *self, const cs_cell_record *w, const cs_channel *rows, int n, cs_err *err) {
  pgstore *p = self;
  cs_status st = need_session(p, err);
  for (int i = 0; i < n && !st; i++) {
    const cs_channel *ch = &rows[i];
    params pp = {.n = 0};
    p_int(&pp, p->session);
    p_dbl(&pp, w->time_unix, 17);
    p_dbl(&pp, w->has_fix ? w->lat : NAN, 12);
    p_dbl(&pp, w->has_fix ? w->lon : NAN, 12);
    p_dbl(&pp, w->has_fix ? w->alt : NAN, 8);
    p_raw(&pp, rat_text(ch->rat));
    p_str(&pp, ch->band);
    p_int(&pp, ch->channel);
    p_dbl(&pp, ch->freq_hz, 12);
    p_dbl(&pp, ch->bandwidth_hz, 10);
    p_int(&pp, ch->n_prb);
    p_dbl(&pp, ch->power_dbfs, 8);
    p_dbl(&pp, ch->noise_dbfs, 8);
    p_int(&pp, ch->occupied ? 1 : 0);
    char key[1500];
    snprintf(key, sizeof key, "%s%.3f|%.7f|%.7f|%s|%d|%.0f|%.3f|%.3f", p->skey, w->time_unix, w->lat, w->lon,
             rat_text(ch->rat), ch->channel, ch->freq_hz, ch->power_dbfs, ch->noise_dbfs);
    p_raw(&pp, key);
    st = insert(p, "ins_spec", &pp, err, "adding a spectrum row");
  }
  return st;
}

cs_status cs_store_pg_flush(void *self, long *inserted, cs_err *err) {
  pgstore *p = self;
  cs_status st = drain(p, err);
  if (inserted) *inserted = p->inserted;
  return st;
}

PGconn *cs_store_pg_conn(void *self) {
  cs_err ignored;
  drain(self, &ignored); /* pending inserts are read back before the caller's query */
  return ((pgstore *)self)->c;
}

/* ---- reading ---- */

static double g_dbl(PGresult *r, int row, int col) {
  return cs_pq.PQgetisnull(r, row, col) ? NAN : strtod(cs_pq.PQgetvalue(r, row, col), NULL);
}
static int64_t g_int(PGresult *r, int row, int col) {
  return cs_pq.PQgetisnull(r, row, col) ? -1 : strtoll(cs_pq.PQgetvalue(r, row, col), NULL, 10);
}
static void g_str(PGresult *r, int row, int col, char *dst, size_t cap) {
  snprintf(dst, cap, "%s", cs_pq.PQgetisnull(r, row, col) ? "" : cs_pq.PQgetvalue(r, row, col));
}

/* WHERE clause for a query on a table with session_id, time, rat (when has_rat), lat. */
static void where_clause(const cs_store_query *q, int has_rat, params *pp, char *sql, size_t cap) {
  size_t n = strlen(sql);
  n += snprintf(sql + n, cap - n, " WHERE true");
  if (q->session_id > 0) { p_int(pp, q->session_id); n += snprintf(sql + n, cap - n, " AND session_id = $%d", pp->n); }
  if (has_rat && q->rat != CS_RAT_NONE) { p_raw(pp, rat_text(q->rat)); n += snprintf(sql + n, cap - n, " AND rat = $%d", pp->n); }
  if (isfinite(q->t_from)) { p_dbl(pp, q->t_from, 17); n += snprintf(sql + n, cap - n, " AND time >= $%d", pp->n); }
  if (isfinite(q->t_to)) { p_dbl(pp, q->t_to, 17); n += snprintf(sql + n, cap - n, " AND time <= $%d", pp->n); }
  if (q->with_fix_only) snprintf(sql + n, cap - n, " AND lat IS NOT NULL AND lon IS NOT NULL");
}

typedef int (*row_fn)(void *ctx, PGresult *r, int row);

/* Run sql through a cursor, calling fn per row until it returns non-zero. */
static cs_status iterate(pgstore *p, const char *sql, params *pp, row_fn fn, void *ctx, cs_err *err) {
  cs_status dst = drain(p, err);
  if (dst) return dst;
  char *decl = malloc(strlen(sql) + 64);
  if (!decl) return cs_fail(err, CS_ERR_ENV, "out of memory");
  sprintf(decl, "DECLARE cs_cur NO SCROLL CURSOR FOR %s", sql);
  PGresult *r = cs_pq.PQexecParams(p->c, decl, pp->n, NULL, pp->v, NULL, NULL, 0);
  free(decl);
  if (cs_pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
    cs_pq.PQclear(r);
    cs_status st = pg_fail(p, p->c, err, "query");
    exec_ok(p->c, "ROLLBACK");
    exec_ok(p->c, "BEGIN");
    return st;
  }
  cs_pq.PQclear(r);
  int stop = 0;
  while (!stop) {
    r = cs_pq.PQexec(p->c, "FETCH 5000 FROM cs_cur");
    if (cs_pq.PQresultStatus(r) != PGRES_TUPLES_OK) {
      cs_pq.PQclear(r);
      cs_status st = pg_fail(p, p->c, err, "fetch");
      exec_ok(p->c, "ROLLBACK");
      exec_ok(p->c, "BEGIN");
      return st;
    }
    int n = cs_pq.PQntuples(r);
    for (int i = 0; i < n && !stop; i++) stop = fn(ctx, r, i);
    cs_pq.PQclear(r);
    if (n == 0) break;
  }
  exec_ok(p->c, "CLOSE cs_cur");
  return CS_OK;
}

typedef struct {
  void *fn;
  void *ctx;
} cb;

static const char meas_cols[] =
    "SELECT id, session_id, cell_id, time, lat, lon, alt, eph_m, fix_mode, device, source, calibrated, rat,"
    " band, arfcn, earfcn, freq_hz, mcc, mnc, lac, cid, bsic, tac, eci, pci, n_prb, power_dbfs, power_dbm,"
    " rxlev, snr_db, rsrp_dbfs, rsrp_dbm, rssi_dbfs, rssi_dbm, rsrq_db, sinr_db, cfo_hz, cfo_ppm, json"
    " FROM measurements";

static int meas_row(void *ctx, PGresult *r, int i) {
  cb *c = ctx;
  cs_store_measurement m;
  cs_cell_record *x = &m.rec;
  cs_record_init(x);
  m.id = g_int(r, i, 0);
  m.session_id = g_int(r, i, 1);
  m.cell_id = g_int(r, i, 2);
  x->time_unix = g_dbl(r, i, 3);
  x->lat = g_dbl(r, i, 4);
  x->lon = g_dbl(r, i, 5);
  x->has_fix = isfinite(x->lat) && isfinite(x->lon);
  x->alt = g_dbl(r, i, 6);
  x->eph_m = g_dbl(r, i, 7);
  x->fix_mode = (int)g_int(r, i, 8);
  g_str(r, i, 9, x->device, sizeof x->device);
  g_str(r, i, 10, x->source, sizeof x->source);
  x->calibrated = g_int(r, i, 11) == 1;
  const char *rat = cs_pq.PQgetvalue(r, i, 12);
  x->rat = !strcmp(rat, "gsm") ? CS_RAT_GSM : !strcmp(rat, "lte") ? CS_RAT_LTE : CS_RAT_NONE;
  g_str(r, i, 13, x->band, sizeof x->band);
  x->arfcn = (int)g_int(r, i, 14);
  x->earfcn = (int)g_int(r, i, 15);
  x->freq_hz = g_dbl(r, i, 16);
  g_str(r, i, 17, x->plmn.mcc, sizeof x->plmn.mcc);
  g_str(r, i, 18, x->plmn.mnc, sizeof x->plmn.mnc);
  x->lac = (int)g_int(r, i, 19);
  x->cell_id = g_int(r, i, 20);
  x->bsic = (int)g_int(r, i, 21);
  x->tac = (int)g_int(r, i, 22);
  x->cell_identity = g_int(r, i, 23);
  x->pci = (int)g_int(r, i, 24);
  x->n_prb = (int)g_int(r, i, 25);
  x->power_dbfs = g_dbl(r, i, 26);
  x->power_dbm = g_dbl(r, i, 27);
  x->rxlev = (int)g_int(r, i, 28);
  x->snr_db = g_dbl(r, i, 29);
  x->rsrp_dbfs = g_dbl(r, i, 30);
  x->rsrp_dbm = g_dbl(r, i, 31);
  x->rssi_dbfs = g_dbl(r, i, 32);
  x->rssi_dbm = g_dbl(r, i, 33);
  x->rsrq_db = g_dbl(r, i, 34);
  x->sinr_db = g_dbl(r, i, 35);
  x->cfo_hz = g_dbl(r, i, 36);
  x->cfo_ppm = g_dbl(r, i, 37);
  m.json = cs_pq.PQgetvalue(r, i, 38);
  return ((int (*)(void *, const cs_store_measurement *))c->fn)(c->ctx, &m);
}

static cs_status each_measurement_pg(void *self, const cs_store_query *q,
                                     int (*fn)(void *ctx, const cs_store_measurement *m), void *ctx, cs_err *err) {
  char sql[1024];
  snprintf(sql, sizeof sql, "%s", meas_cols);
  params pp = {.n = 0};
  where_clause(q, 1, &pp, sql, sizeof sql);
  strcat(sql, " ORDER BY time, id");
  cb c = {(void *)fn, ctx};
  return iterate(self, sql, &pp, meas_row, &c, err);
}

static int cell_row(void *ctx, PGresult *r, int i) {
  cb *c = ctx;
  cs_store_cell x;
  memset(&x, 0, sizeof x);
  x.id = g_int(r, i, 0);
  const char *rat = cs_pq.PQgetvalue(r, i, 1);
  x.rat = !strcmp(rat, "gsm") ? CS_RAT_GSM : !strcmp(rat, "lte") ? CS_RAT_LTE : CS_RAT_NONE;
  g_str(r, i, 2, x.band, sizeof x.band);
  x.channel = (int)strtol(cs_pq.PQgetvalue(r, i, 3), NULL, 10);
  g_str(r, i, 4, x.plmn.mcc, sizeof x.plmn.mcc);
  g_str(r, i, 5, x.plmn.mnc, sizeof x.plmn.mnc);
  x.area = (int)strtol(cs_pq.PQgetvalue(r, i, 6), NULL, 10);
  x.cell = strtoll(cs_pq.PQgetvalue(r, i, 7), NULL, 10);
  x.local_id = (int)strtol(cs_pq.PQgetvalue(r, i, 8), NULL, 10);
  x.first_seen = g_dbl(r, i, 9);
  x.last_seen = g_dbl(r, i, 10);
  x.count = g_int(r, i, 11);
  x.best_power_dbfs = g_dbl(r, i, 12);
  x.best_lat = g_dbl(r, i, 13);
  x.best_lon = g_dbl(r, i, 14);
  x.best_has_fix = isfinite(x.best_lat) && isfinite(x.best_lon);
  return ((int (*)(void *, const cs_store_cell *))c->fn)(c->ctx, &x);
}

static cs_status each_cell_pg(void *self, const cs_store_query *q, int (*fn)(void *ctx, const cs_store_cell *c),
                              void *ctx, cs_err *err) {
  /* counts, first/last seen and the best place come from the measurements (no hot rows to update) */
  char sql[1536] =
      "SELECT c.id, c.rat, c.band, c.channel, c.mcc, c.mnc, c.area, c.cell, c.local_id, min(m.time),"
      " max(m.time), count(*), max(COALESCE(m.power_dbfs, m.rsrp_dbfs)),"
      " (array_agg(m.lat ORDER BY COALESCE(m.power_dbfs, m.rsrp_dbfs) DESC NULLS LAST))[1],"
      " (array_agg(m.lon ORDER BY COALESCE(m.power_dbfs, m.rsrp_dbfs) DESC NULLS LAST))[1]"
      " FROM cells c JOIN (SELECT * FROM measurements";
  params pp = {.n = 0};
  where_clause(q, 1, &pp, sql, sizeof sql);
  strcat(sql, ") m ON m.cell_id = c.id GROUP BY c.id ORDER BY c.id");
  cb c = {(void *)fn, ctx};
  return iterate(self, sql, &pp, cell_row, &c, err);
}

static int spec_row(void *ctx, PGresult *r, int i) {
  cb *c = ctx;
  cs_store_spectrum_row x;
  memset(&x, 0, sizeof x);
  x.id = g_int(r, i, 0);
  x.session_id = g_int(r, i, 1);
  x.time_unix = g_dbl(r, i, 2);
  x.lat = g_dbl(r, i, 3);
  x.lon = g_dbl(r, i, 4);
  x.alt = g_dbl(r, i, 5);
  x.has_fix = isfinite(x.lat) && isfinite(x.lon);
  const char *rat = cs_pq.PQgetvalue(r, i, 6);
  x.ch.rat = !strcmp(rat, "gsm") ? CS_RAT_GSM : !strcmp(rat, "lte") ? CS_RAT_LTE : CS_RAT_NONE;
  g_str(r, i, 7, x.ch.band, sizeof x.ch.band);
  x.ch.channel = (int)g_int(r, i, 8);
  x.ch.freq_hz = g_dbl(r, i, 9);
  x.ch.bandwidth_hz = g_dbl(r, i, 10);
  x.ch.n_prb = (int)g_int(r, i, 11);
  x.ch.power_dbfs = g_dbl(r, i, 12);
  x.ch.noise_dbfs = g_dbl(r, i, 13);
  x.ch.occupied = g_int(r, i, 14) == 1;
  x.ch.offset_hz = NAN;
  return ((int (*)(void *, const cs_store_spectrum_row *))c->fn)(c->ctx, &x);
}

static cs_status each_spectrum_pg(void *self, const cs_store_query *q,
                                  int (*fn)(void *ctx, const cs_store_spectrum_row *r), void *ctx, cs_err *err) {
  char sql[1024] = "SELECT id, session_id, time, lat, lon, alt, rat, band, channel, freq_hz, bandwidth_hz, n_prb,"
                   " power_dbfs, noise_dbfs, occupied FROM spectrum";
  params pp = {.n = 0};
  where_clause(q, 1, &pp, sql, sizeof sql);
  strcat(sql, " ORDER BY time, id");
  cb c = {(void *)fn, ctx};
  return iterate(self, sql, &pp, spec_row, &c, err);
}

static int track_row(void *ctx, PGresult *r, int i) {
  cb *c = ctx;
  cs_store_track_point x;
  x.id = g_int(r, i, 0);
  x.session_id = g_int(r, i, 1);
  x.time_unix = g_dbl(r, i, 2);
  x.lat = g_dbl(r, i, 3);
  x.lon = g_dbl(r, i, 4);
  x.alt = g_dbl(r, i, 5);
  x.eph_m = g_dbl(r, i, 6);
  x.fix_mode = cs_pq.PQgetisnull(r, i, 7) ? 0 : (int)strtol(cs_pq.PQgetvalue(r, i, 7), NULL, 10);
  return ((int (*)(void *, const cs_store_track_point *))c->fn)(c->ctx, &x);
}

static cs_status each_track_pg(void *self, const cs_store_query *q,
                               int (*fn)(void *ctx, const cs_store_track_point *p), void *ctx, cs_err *err) {
  char sql[1024] = "SELECT id, session_id, time, lat, lon, alt, eph_m, fix_mode FROM track";
  params pp = {.n = 0};
  where_clause(q, 0, &pp, sql, sizeof sql);
  strcat(sql, " ORDER BY time, id");
  cb c = {(void *)fn, ctx};
  return iterate(self, sql, &pp, track_row, &c, err);
}

static int session_row(void *ctx, PGresult *r, int i) {
  cb *c = ctx;
  cs_store_session x;
  x.id = g_int(r, i, 0);
  x.kind = cs_pq.PQgetvalue(r, i, 1);
  x.started = g_dbl(r, i, 2);
  x.ended = g_dbl(r, i, 3);
  x.device = cs_pq.PQgetvalue(r, i, 4);
  x.description = cs_pq.PQgetvalue(r, i, 5);
  return ((int (*)(void *, const cs_store_session *))c->fn)(c->ctx, &x);
}

static cs_status each_session_pg(void *self, int (*fn)(void *ctx, const cs_store_session *s), void *ctx,
                                 cs_err *err) {
  params pp = {.n = 0};
  cb c = {(void *)fn, ctx};
  return iterate(self, "SELECT id, kind, started, ended, device, description FROM sessions ORDER BY id", &pp,
                 session_row, &c, err);
}

const struct cs_store_backend cs_store_pg_backend = {
    .name = "postgresql",
    .close = close_pg,
    .begin_session = begin_session_pg,
    .end_session = end_session_pg,
    .add_spectrum = add_spectrum_pg,
    .add_record = add_record_pg,
    .commit = commit_pg,
    .each_measurement = each_measurement_pg,
    .each_cell = each_cell_pg,
    .each_spectrum = each_spectrum_pg,
    .each_track = each_track_pg,
    .each_session = each_session_pg,
};
