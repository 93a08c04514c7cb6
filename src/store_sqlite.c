/* store_sqlite.c: the SQLite backend of the measurement store (docs/storage.md).
 *
 * WAL journal with synchronous=FULL: a COMMIT returns only after the WAL is on disk, so a
 * committed measurement survives kill -9 and power loss; readers (grid, exports, a second
 * process) never block the writer. The schema version is PRAGMA user_version; migrations[i]
 * takes version i to i+1 inside one transaction, so a database from any older build is brought up
 * to date on open, and a newer one is refused rather than damaged. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "store_backend.h"

/* ---- schema ---- */
const char *const cs_store_sqlite_migrations[] = {
    /* 0 -> 1: sessions, per-channel spectrum rows, measurements, unique cells */
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('replay','scan','daemon','import')),"
    "  started REAL NOT NULL,"
    "  ended REAL,"
    "  device TEXT,"
    "  description TEXT);"
    "CREATE TABLE spectrum ("
    "  id INTEGER PRIMARY KEY,"
    "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
    "  time REAL, lat REAL, lon REAL, alt REAL,"
    "  rat TEXT NOT NULL, band TEXT, channel INTEGER,"
    "  freq_hz REAL NOT NULL, bandwidth_hz REAL NOT NULL, n_prb INTEGER,"
    "  power_dbfs REAL NOT NULL, noise_dbfs REAL, occupied INTEGER NOT NULL);"
    "CREATE TABLE cells ("
    "  id INTEGER PRIMARY KEY,"
    "  rat TEXT NOT NULL, band TEXT NOT NULL, channel INTEGER NOT NULL,"
    "  mcc TEXT NOT NULL, mnc TEXT NOT NULL, area INTEGER NOT NULL, cell INTEGER NOT NULL,"
    "  local_id INTEGER NOT NULL,"
    "  first_seen REAL, last_seen REAL, count INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (rat, mcc, mnc, area, cell, local_id, band, channel));"
    "CREATE TABLE measurements ("
    "  id INTEGER PRIMARY KEY,"
    "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
    "  cell_id INTEGER NOT NULL REFERENCES cells(id),"
    "  time REAL, lat REAL, lon REAL, alt REAL, eph_m REAL, fix_mode INTEGER,"
    "  device TEXT, source TEXT, calibrated INTEGER NOT NULL,"
    "  rat TEXT NOT NULL, band TEXT, arfcn INTEGER, earfcn INTEGER, freq_hz REAL,"
    "  mcc TEXT, mnc TEXT, lac INTEGER, cid INTEGER, bsic INTEGER,"
    "  tac INTEGER, eci INTEGER, pci INTEGER, n_prb INTEGER,"
    "  power_dbfs REAL, power_dbm REAL, rxlev INTEGER, snr_db REAL,"
    "  rsrp_dbfs REAL, rsrp_dbm REAL, rssi_dbfs REAL, rssi_dbm REAL, rsrq_db REAL, sinr_db REAL,"
    "  cfo_hz REAL, cfo_ppm REAL,"
    "  json TEXT NOT NULL);"
    "CREATE INDEX measurements_time ON measurements(time);"
    "CREATE INDEX measurements_cell ON measurements(cell_id);"
    "CREATE INDEX spectrum_time ON spectrum(time);",
    /* 1 -> 2: GPS track points without a cell; where each cell was heard best */
    "CREATE TABLE track ("
    "  id INTEGER PRIMARY KEY,"
    "  session_id INTEGER NOT NULL REFERENCES sessions(id),"
    "  time REAL, lat REAL NOT NULL, lon REAL NOT NULL, alt REAL, eph_m REAL, fix_mode INTEGER);"
    "CREATE INDEX track_time ON track(time);"
    "ALTER TABLE cells ADD COLUMN best_power_dbfs REAL;"
    "ALTER TABLE cells ADD COLUMN best_lat REAL;"
    "ALTER TABLE cells ADD COLUMN best_lon REAL;",
};
const int cs_store_sqlite_n_migrations =
    (int)(sizeof cs_store_sqlite_migrations / sizeof *cs_store_sqlite_migrations);

/* ---- the connection ---- */
enum { ST_SESSION, ST_END, ST_SPECTRUM, ST_CELL, ST_MEAS, ST_TRACK, ST_COUNT };

static const char *const stmt_sql[ST_COUNT] = {
    [ST_SESSION] = "INSERT INTO sessions (kind, started, device, description) VALUES (?,?,?,?)",
    [ST_END] = "UPDATE sessions SET ended = ? WHERE id = ?",
    [ST_SPECTRUM] = "INSERT INTO spectrum (session_id, time, lat, lon, alt, rat, band, channel, freq_hz,"
                    " bandwidth_hz, n_prb, power_dbfs, noise_dbfs, occupied) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_CELL] = "INSERT INTO cells (rat, band, channel, mcc, mnc, area, cell, local_id, first_seen, last_seen,"
                " count, best_power_dbfs, best_lat, best_lon) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9,1,?10,?11,?12)"
                " ON CONFLICT (rat, mcc, mnc, area, cell, local_id, band, channel) DO UPDATE SET"
                " first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen)),"
                " last_seen = max(coalesce(last_seen, excluded.last_seen), coalesce(excluded.last_seen, last_seen)),"
                " count = count + 1,"
                " best_lat = CASE WHEN excluded.best_power_dbfs > coalesce(best_power_dbfs, -1e300) THEN excluded.best_lat ELSE best_lat END,"
                " best_lon = CASE WHEN excluded.best_power_dbfs > coalesce(best_power_dbfs, -1e300) THEN excluded.best_lon ELSE best_lon END,"
                " best_power_dbfs = max(coalesce(best_power_dbfs, -1e300), coalesce(excluded.best_power_dbfs, -1e300))"
                " RETURNING id",
    [ST_MEAS] = "INSERT INTO measurements (session_id, cell_id, time, lat, lon, alt, eph_m, fix_mode, device,"
                " source, calibrated, rat, band, arfcn, earfcn, freq_hz, mcc, mnc, lac, cid, bsic, tac, eci,"
                " pci, n_prb, power_dbfs, power_dbm, rxlev, snr_db, rsrp_dbfs, rsrp_dbm, rssi_dbfs, rssi_dbm,"
                " rsrq_db, sinr_db, cfo_hz, cfo_ppm, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_TRACK] = "INSERT INTO track (session_id, time, lat, lon, alt, eph_m, fix_mode) VALUES (?,?,?,?,?,?,?)",
};

typedef struct {
  sqlite3 *db;
  char path[1024];
  sqlite3_stmt *stmt[ST_COUNT];
  int64_t session;
  int in_tx;
  unsigned pending; /* rows added since the last commit */
} sq_store;

/* Turn an SQLite failure into a cs_err naming the database; disk full and I/O errors are the
 * environment's fault, a corrupt or foreign file is bad input. */
static cs_status sq_fail(sq_store *s, int rc, const char *doing, cs_err *err) {
  int base = rc & 0xff;
  const char *msg = s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
  char lost[96] = "";
  if (s->in_tx && s->db && sqlite3_get_autocommit(s->db)) { /* SQLite rolled the transaction back */
    if (s->pending) snprintf(lost, sizeof lost, " (%u rows since the last commit were not stored)", s->pending);
    s->in_tx = 0;
    s->pending = 0;
  }
  switch (base) {
  case SQLITE_FULL:
    return cs_fail(err, CS_ERR_ENV, "%s: disk full while %s: free space and retry; data committed before is safe%s", s->path, doing, lost);
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
    return cs_fail(err, CS_ERR_INPUT, "%s: not a usable cellsurvey database (%s) while %s", s->path, msg, doing);
  case SQLITE_CONSTRAINT:
  case SQLITE_MISMATCH:
  case SQLITE_RANGE:
    return cs_fail(err, CS_ERR_INPUT, "%s: rejected while %s: %s", s->path, doing, msg);
  default:
    return cs_fail(err, CS_ERR_ENV, "%s: %s while %s%s", s->path, msg, doing, lost);
  }
}

static cs_status exec(sq_store *s, const char *sql, const char *doing, cs_err *err) {
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? CS_OK : sq_fail(s, rc, doing, err);
}

static double now_unix(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return tv.tv_sec + tv.tv_usec * 1e-6;
}

static cs_status sq_begin(sq_store *s, cs_err *err) {
  if (s->in_tx) return CS_OK;
  cs_status st = exec(s, "BEGIN IMMEDIATE", "starting a transaction", err);
  if (!st) s->in_tx = 1;
  return st;
}

static cs_status sq_commit(void *self, cs_err *err) {
  sq_store *s = self;
  if (!s->in_tx) return CS_OK;
  cs_status st = exec(s, "COMMIT", "committing", err);
  if (!st) { s->in_tx = 0; s->pending = 0; }
  return st;
}

static int user_version(sq_store *s, int *v) {
  sqlite3_stmt *q;
  int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL);
  if (rc) return rc;
  rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) { *v = sqlite3_column_int(q, 0); rc = SQLITE_OK; }
  sqlite3_finalize(q);
  return rc;
}

static cs_status migrate(sq_store *s, cs_err *err) {
  int v = 0, rc;
  if ((rc = user_version(s, &v))) return sq_fail(s, rc, "reading the schema version", err);
  if (v > cs_store_sqlite_n_migrations)
    return cs_fail(err, CS_ERR_INPUT, "%s: schema version %d is newer than this cellsurvey understands (%d); upgrade cellsurvey",
                   s->path, v, cs_store_sqlite_n_migrations);
  if (v == 0) { /* a fresh file, or another program's database */
    sqlite3_stmt *q;
    if ((rc = sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL)))
      return sq_fail(s, rc, "reading the schema", err);
    int n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    if (n > 0) return cs_fail(err, CS_ERR_INPUT, "%s: an SQLite database of another program (no cellsurvey schema version)", s->path);
  }
  for (; v < cs_store_sqlite_n_migrations; v++) {
    cs_status st;
    char sql[64], doing[64];
    snprintf(doing, sizeof doing, "migrating the schema to version %d", v + 1);
    if ((st = exec(s, "BEGIN IMMEDIATE", doing, err))) return st;
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
    if ((st = exec(s, cs_store_sqlite_migrations[v], doing, err)) || (st = exec(s, sql, doing, err))) {
      sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
      return st;
    }
    if ((st = exec(s, "COMMIT", doing, err))) return st;
  }
  return CS_OK;
}

static void sq_free(sq_store *s) {
  for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(s->stmt[i]);
  sqlite3_close_v2(s->db);
  free(s);
}

cs_status cs_store_sqlite_open(const char *path, void **out, cs_err *err) {
  *out = NULL;
  sq_store *s = calloc(1, sizeof *s);
  if (!s) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", path);
  snprintf(s->path, sizeof s->path, "%s", path);
  int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  cs_status st;
  if (rc) {
    st = cs_fail(err, CS_ERR_ENV, "%s: cannot open or create the database: %s (is the directory writable?)",
                 path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    sq_free(s);
    return st;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, 5000);
  /* WAL: readers never block the writer; FULL: a commit is on disk before it returns */
  if ((st = exec(s, "PRAGMA journal_mode = WAL", "switching to WAL mode", err)) ||
      (st = exec(s, "PRAGMA synchronous = FULL", "setting synchronous", err)) ||
      (st = exec(s, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)) ||
      (st = migrate(s, err))) {
    sq_free(s);
    return st;
  }
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK) {
    int wal = sqlite3_step(q) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    if (!wal) {
      sq_free(s);
      return cs_fail(err, CS_ERR_ENV, "%s: cannot use WAL mode here (network or read-only file system?)", path);
    }
  }
  for (int i = 0; i < ST_COUNT; i++) {
    rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);
    if (rc) { st = sq_fail(s, rc, "preparing statements", err); sq_free(s); return st; }
  }
  *out = s;
  return CS_OK;
}

static cs_status sq_close(void *self, cs_err *err) {
  sq_store *s = self;
  cs_status st = sq_commit(s, err);
  if (st) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  sq_free(s);
  return st;
}

/* ---- binding helpers: unknown values become NULL ---- */
static void bind_real(sqlite3_stmt *q, int i, double v) {
  if (isfinite(v)) sqlite3_bind_double(q, i, v);
  else sqlite3_bind_null(q, i);
}
static void bind_int(sqlite3_stmt *q, int i, int64_t v) {
  if (v >= 0) sqlite3_bind_int64(q, i, v);
  else sqlite3_bind_null(q, i);
}
static void bind_text(sqlite3_stmt *q, int i, const char *v) {
  if (v && v[0]) sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(q, i);
}

/* Step a bound insert once and reset it. */
static int run(sqlite3_stmt *q) {
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static cs_status need_session(sq_store *s, cs_err *err) {
  if (s->session) return CS_OK;
  return cs_fail(err, CS_ERR_INPUT, "%s: no session begun (cs_store_begin_session)", s->path);
}

static cs_status sq_begin_session(void *self, const char *kind, double started, const char *device,
                                  const char *description, int64_t *id, cs_err *err) {
  sq_store *s = self;
  cs_status st = sq_begin(s, err);
  if (st) return st;
  sqlite3_stmt *q = s->stmt[ST_SESSION];
  sqlite3_bind_text(q, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(q, 2, isfinite(started) ? started : now_unix());
  bind_text(q, 3, device);
  bind_text(q, 4, description);
  int rc = run(q);
  if (rc) return sq_fail(s, rc, "starting a session", err);
  s->session = sqlite3_last_insert_rowid(s->db);
  if (id) *id = s->session;
  return sq_commit(s, err);
}

static cs_status sq_end_session(void *self, double ended, cs_err *err) {
  sq_store *s = self;
  cs_status st;
  if ((st = need_session(s, err)) || (st = sq_begin(s, err))) return st;
  sqlite3_stmt *q = s->stmt[ST_END];
  sqlite3_bind_double(q, 1, isfinite(ended) ? ended : now_unix());
  sqlite3_bind_int64(q, 2, s->session);
  int rc = run(q);
  if (rc) return sq_fail(s, rc, "ending the session", err);
  return sq_commit(s, err);
}

static const char *rat_text(cs_rat r) { return r == CS_RAT_GSM ? "gsm" : r == CS_RAT_LTE ? "lte" : "none"; }

static cs_status sq_add_spectrum(void *self, const cs_cell_record *w, const cs_channel *rows, int n,
                                 cs_err *err) {
  sq_store *s = self;
  cs_status st;
  if ((st = need_session(s, err)) || (st = sq_begin(s, err))) return st;
  sqlite3_stmt *q = s->stmt[ST_SPECTRUM];
  for (int i = 0; i < n; i++) {
    const cs_channel *c = &rows[i];
    sqlite3_bind_int64(q, 1, s->session);
    bind_real(q, 2, w->time_unix);
    bind_real(q, 3, w->has_fix ? w->lat : NAN);
    bind_real(q, 4, w->has_fix ? w->lon : NAN);
    bind_real(q, 5, w->has_fix ? w->alt : NAN);
    sqlite3_bind_text(q, 6, rat_text(c->rat), -1, SQLITE_STATIC);
    bind_text(q, 7, c->band);
    bind_int(q, 8, c->channel);
    sqlite3_bind_double(q, 9, c->freq_hz);
    sqlite3_bind_double(q, 10, c->bandwidth_hz);
    bind_int(q, 11, c->n_prb);
    sqlite3_bind_double(q, 12, c->power_dbfs);
    bind_real(q, 13, c->noise_dbfs);
    sqlite3_bind_int(q, 14, c->occupied != 0);
    int rc = run(q);
    if (rc) return sq_fail(s, rc, "storing spectrum rows", err);
    s->pending++;
  }
  return CS_OK;
}

static cs_status add_track(sq_store *s, const cs_cell_record *r, int64_t *id, cs_err *err) {
  if (!r->has_fix) return cs_fail(err, CS_ERR_INPUT, "%s: a track point needs a position", s->path);
  sqlite3_stmt *q = s->stmt[ST_TRACK];
  sqlite3_bind_int64(q, 1, s->session);
  bind_real(q, 2, r->time_unix);
  sqlite3_bind_double(q, 3, r->lat);
  sqlite3_bind_double(q, 4, r->lon);
  bind_real(q, 5, r->alt);
  bind_real(q, 6, r->eph_m);
  sqlite3_bind_int(q, 7, r->fix_mode);
  int rc = run(q);
  if (rc) return sq_fail(s, rc, "storing a track point", err);
  if (id) *id = sqlite3_last_insert_rowid(s->db);
  s->pending++;
  return CS_OK;
}

static cs_status sq_add_record(void *self, const cs_cell_record *r, int64_t *id, cs_err *err) {
  sq_store *s = self;
  cs_status st;
  if ((st = need_session(s, err)) || (st = sq_begin(s, err))) return st;
  if (r->rat == CS_RAT_NONE) return add_track(s, r, id, err);
  int gsm = r->rat == CS_RAT_GSM;
  double best = gsm ? r->power_dbfs : r->rsrp_dbfs;
  /* the cell: rat + PLMN + LAC/TAC + cell id + BSIC/PCI + band + channel; unknown parts are -1/'' */
  sqlite3_stmt *q = s->stmt[ST_CELL];
  sqlite3_bind_text(q, 1, rat_text(r->rat), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, r->band, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(q, 3, gsm ? r->arfcn : r->earfcn);
  const cs_plmn *p = gsm || r->n_plmns <= 0 ? &r->plmn : &r->plmns[0];
  if (!gsm && r->plmn.mcc[0]) p = &r->plmn;
  sqlite3_bind_text(q, 4, p->mcc, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 5, p->mnc, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(q, 6, gsm ? r->lac : r->tac);
  sqlite3_bind_int64(q, 7, gsm ? r->cell_id : r->cell_identity);
  sqlite3_bind_int(q, 8, gsm ? r->bsic : r->pci);
  bind_real(q, 9, r->time_unix);
  bind_real(q, 10, best);
  bind_real(q, 11, r->has_fix && isfinite(best) ? r->lat : NAN);
  bind_real(q, 12, r->has_fix && isfinite(best) ? r->lon : NAN);
  int rc = sqlite3_step(q);
  int64_t cell = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
  if (rc == SQLITE_ROW) rc = sqlite3_step(q);
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  if (rc != SQLITE_DONE) return sq_fail(s, rc, "storing a cell", err);

  char *json = cs_record_to_json(r);
  if (!json) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", s->path);
  q = s->stmt[ST_MEAS];
  int k = 1;
  sqlite3_bind_int64(q, k++, s->session);
  sqlite3_bind_int64(q, k++, cell);
  bind_real(q, k++, r->time_unix);
  bind_real(q, k++, r->has_fix ? r->lat : NAN);
  bind_real(q, k++, r->has_fix ? r->lon : NAN);
  bind_real(q, k++, r->has_fix ? r->alt : NAN);
  bind_real(q, k++, r->has_fix ? r->eph_m : NAN);
  if (r->has_fix) sqlite3_bind_int(q, k++, r->fix_mode); else sqlite3_bind_null(q, k++);
  bind_text(q, k++, r->device);
  bind_text(q, k++, r->source);
  sqlite3_bind_int(q, k++, r->calibrated != 0);
  sqlite3_bind_text(q, k++, rat_text(r->rat), -1, SQLITE_STATIC);
  bind_text(q, k++, r->band);
  bind_int(q, k++, r->arfcn);
  bind_int(q, k++, r->earfcn);
  bind_real(q, k++, r->freq_hz);
  bind_text(q, k++, p->mcc);
  bind_text(q, k++, p->mnc);
  bind_int(q, k++, r->lac);
  bind_int(q, k++, r->cell_id);
  bind_int(q, k++, r->bsic);
  bind_int(q, k++, r->tac);
  bind_int(q, k++, r->cell_identity);
  bind_int(q, k++, r->pci);
  bind_int(q, k++, r->n_prb);
  bind_real(q, k++, r->power_dbfs);
  bind_real(q, k++, r->power_dbm);
  bind_int(q, k++, r->rxlev);
  bind_real(q, k++, r->snr_db);
  bind_real(q, k++, r->rsrp_dbfs);
  bind_real(q, k++, r->rsrp_dbm);
  bind_real(q, k++, r->rssi_dbfs);
  bind_real(q, k++, r->rssi_dbm);
  bind_real(q, k++, r->rsrq_db);
  bind_real(q, k++, r->sinr_db);
  bind_real(q, k++, r->cfo_hz);
  bind_real(q, k++, r->cfo_ppm);
  sqlite3_bind_text(q, k++, json, -1, SQLITE_TRANSIENT);
  free(json);
  rc = run(q);
  if (rc) return sq_fail(s, rc, "storing a measurement", err);
  if (id) *id = sqlite3_last_insert_rowid(s->db);
  s->pending++;
  return CS_OK;
}

/* ---- reading ---- */

/* WHERE clause for a query over a table with session_id and time columns ("m." prefix etc.). */
static void where_clause(const cs_store_query *q, const char *t, int has_rat, int fix_col, char *buf,
                         size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, " WHERE 1");
  if (q->session_id > 0) n += (size_t)snprintf(buf + n, cap - n, " AND %ssession_id = :session", t);
  if (has_rat && q->rat != CS_RAT_NONE) n += (size_t)snprintf(buf + n, cap - n, " AND %srat = :rat", t);
  if (!isnan(q->t_from)) n += (size_t)snprintf(buf + n, cap - n, " AND %stime >= :t_from", t);
  if (!isnan(q->t_to)) n += (size_t)snprintf(buf + n, cap - n, " AND %stime <= :t_to", t);
  if (fix_col && q->with_fix_only) snprintf(buf + n, cap - n, " AND %slat IS NOT NULL", t);
}

static void bind_query(sqlite3_stmt *st, const cs_store_query *q) {
  int i;
  if ((i = sqlite3_bind_parameter_index(st, ":session"))) sqlite3_bind_int64(st, i, q->session_id);
  if ((i = sqlite3_bind_parameter_index(st, ":rat"))) sqlite3_bind_text(st, i, rat_text(q->rat), -1, SQLITE_STATIC);
  if ((i = sqlite3_bind_parameter_index(st, ":t_from"))) sqlite3_bind_double(st, i, q->t_from);
  if ((i = sqlite3_bind_parameter_index(st, ":t_to"))) sqlite3_bind_double(st, i, q->t_to);
}

static double col_real(sqlite3_stmt *q, int i) {
  return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}
static int64_t col_int(sqlite3_stmt *q, int i) {
  return sqlite3_column_type(q, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, i);
}
static void col_text(sqlite3_stmt *q, int i, char *out, size_t cap) {
  const unsigned char *t = sqlite3_column_text(q, i);
  snprintf(out, cap, "%s", t ? (const char *)t : "");
}
static cs_rat col_rat(sqlite3_stmt *q, int i) {
  const unsigned char *t = sqlite3_column_text(q, i);
  if (!t) return CS_RAT_NONE;
  return !strcmp((const char *)t, "gsm") ? CS_RAT_GSM : !strcmp((const char *)t, "lte") ? CS_RAT_LTE : CS_RAT_NONE;
}

/* Run a SELECT and call row() for each result until it returns non-zero. */
static cs_status each(sq_store *s, const char *sql, const cs_store_query *q,
                      int (*row)(sqlite3_stmt *st, void *cb), void *cb,
                      cs_err *err) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
  if (rc) return sq_fail(s, rc, "reading", err);
  bind_query(st, q);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    if (row(st, cb)) { rc = SQLITE_DONE; break; }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? CS_OK : sq_fail(s, rc, "reading", err);
}

typedef struct {
  int (*fn)(void *ctx, const cs_store_measurement *row);
  void *ctx;
} meas_cb;

static int meas_row(sqlite3_stmt *q, void *cbp) {
  const meas_cb *cb = cbp;
  cs_store_measurement m;
  cs_cell_record *r = &m.rec;
  cs_record_init(r);
  int k = 0;
  m.id = sqlite3_column_int64(q, k++);
  m.session_id = sqlite3_column_int64(q, k++);
  m.cell_id = sqlite3_column_int64(q, k++);
  r->time_unix = col_real(q, k++);
  r->has_fix = sqlite3_column_type(q, k) != SQLITE_NULL;
  r->lat = col_real(q, k++);
  r->lon = col_real(q, k++);
  r->alt = col_real(q, k++);
  r->eph_m = col_real(q, k++);
  r->fix_mode = (int)(r->has_fix ? sqlite3_column_int(q, k) : 0);
  k++;
  col_text(q, k++, r->device, sizeof r->device);
  col_text(q, k++, r->source, sizeof r->source);
  r->calibrated = sqlite3_column_int(q, k++);
  r->rat = col_rat(q, k++);
  col_text(q, k++, r->band, sizeof r->band);
  r->arfcn = (int)col_int(q, k++);
  r->earfcn = (int)col_int(q, k++);
  r->freq_hz = col_real(q, k++);
  col_text(q, k++, r->plmn.mcc, sizeof r->plmn.mcc);
  col_text(q, k++, r->plmn.mnc, sizeof r->plmn.mnc);
  r->lac = (int)col_int(q, k++);
  r->cell_id = col_int(q, k++);
  r->bsic = (int)col_int(q, k++);
  r->tac = (int)col_int(q, k++);
  r->cell_identity = col_int(q, k++);
  r->pci = (int)col_int(q, k++);
  r->n_prb = (int)col_int(q, k++);
  r->power_dbfs = col_real(q, k++);
  r->power_dbm = col_real(q, k++);
  r->rxlev = (int)col_int(q, k++);
  r->snr_db = col_real(q, k++);
  r->rsrp_dbfs = col_real(q, k++);
  r->rsrp_dbm = col_real(q, k++);
  r->rssi_dbfs = col_real(q, k++);
  r->rssi_dbm = col_real(q, k++);
  r->rsrq_db = col_real(q, k++);
  r->sinr_db = col_real(q, k++);
  r->cfo_hz = col_real(q, k++);
  r->cfo_ppm = col_real(q, k++);
  if (r->rat == CS_RAT_LTE && r->plmn.mcc[0]) { r->plmns[0] = r->plmn; r->n_plmns = 1; }
  m.json = (const char *)sqlite3_column_text(q, k++);
  return cb->fn(cb->ctx, &m);
}

static cs_status sq_each_measurement(void *self, const cs_store_query *q,
                                     int (*fn)(void *, const cs_store_measurement *), void *ctx,
                                     cs_err *err) {
  char where[256], sql[1024];
  where_clause(q, "", 1, 1, where, sizeof where);
  snprintf(sql, sizeof sql,
           "SELECT id, session_id, cell_id, time, lat, lon, alt, eph_m, fix_mode, device, source,"
           " calibrated, rat, band, arfcn, earfcn, freq_hz, mcc, mnc, lac, cid, bsic, tac, eci, pci,"
           " n_prb, power_dbfs, power_dbm, rxlev, snr_db, rsrp_dbfs, rsrp_dbm, rssi_dbfs, rssi_dbm,"
           " rsrq_db, sinr_db, cfo_hz, cfo_ppm, json FROM measurements%s ORDER BY time, id", where);
  meas_cb cb = {fn, ctx};
  return each(self, sql, q, meas_row, &cb, err);
}

typedef struct {
  int (*fn)(void *ctx, const cs_store_cell *row);
  void *ctx;
} cell_cb;

static int cell_row(sqlite3_stmt *q, void *cbp) {
  const cell_cb *cb = cbp;
  cs_store_cell c;
  memset(&c, 0, sizeof c);
  int k = 0;
  c.id = sqlite3_column_int64(q, k++);
  c.rat = col_rat(q, k++);
  col_text(q, k++, c.band, sizeof c.band);
  c.channel = (int)sqlite3_column_int(q, k++);
  col_text(q, k++, c.plmn.mcc, sizeof c.plmn.mcc);
  col_text(q, k++, c.plmn.mnc, sizeof c.plmn.mnc);
  c.area = sqlite3_column_int(q, k++);
  c.cell = sqlite3_column_int64(q, k++);
  c.local_id = sqlite3_column_int(q, k++);
  c.first_seen = col_real(q, k++);
  c.last_seen = col_real(q, k++);
  c.count = sqlite3_column_int64(q, k++);
  c.best_power_dbfs = col_real(q, k++);
  if (c.best_power_dbfs < -1e299) c.best_power_dbfs = NAN;
  c.best_has_fix = sqlite3_column_type(q, k) != SQLITE_NULL;
  c.best_lat = col_real(q, k++);
  c.best_lon = col_real(q, k++);
  return cb->fn(cb->ctx, &c);
}

static cs_status sq_each_cell(void *self, const cs_store_query *q,
                              int (*fn)(void *, const cs_store_cell *), void *ctx, cs_err *err) {
  char where[256], sql[1024];
  /* a cell matches when one of its observations does */
  where_clause(q, "m.", 1, 1, where, sizeof where);
  snprintf(sql, sizeof sql,
           "SELECT id, rat, band, channel, mcc, mnc, area, cell, local_id, first_seen, last_seen, count,"
           " best_power_dbfs, best_lat, best_lon FROM cells WHERE id IN"
           " (SELECT m.cell_id FROM measurements m%s) ORDER BY id", where);
  cell_cb cb = {fn, ctx};
  return each(self, sql, q, cell_row, &cb, err);
}

typedef struct {
  int (*fn)(void *ctx, const cs_store_spectrum_row *row);
  void *ctx;
} spectrum_cb;

static int spectrum_row(sqlite3_stmt *q, void *cbp) {
  const spectrum_cb *cb = cbp;
  cs_store_spectrum_row r;
  memset(&r, 0, sizeof r);
  int k = 0;
  r.id = sqlite3_column_int64(q, k++);
  r.session_id = sqlite3_column_int64(q, k++);
  r.time_unix = col_real(q, k++);
  r.has_fix = sqlite3_column_type(q, k) != SQLITE_NULL;
  r.lat = col_real(q, k++);
  r.lon = col_real(q, k++);
  r.alt = col_real(q, k++);
  r.ch.rat = col_rat(q, k++);
  col_text(q, k++, r.ch.band, sizeof r.ch.band);
  r.ch.gsm_band = CS_GSM_NONE;
  r.ch.channel = (int)col_int(q, k++);
  r.ch.freq_hz = sqlite3_column_double(q, k++);
  r.ch.bandwidth_hz = sqlite3_column_double(q, k++);
  r.ch.n_prb = (int)col_int(q, k++);
  r.ch.power_dbfs = sqlite3_column_double(q, k++);
  r.ch.noise_dbfs = col_real(q, k++);
  r.ch.occupied = sqlite3_column_int(q, k++);
  r.ch.offset_hz = NAN;
  return cb->fn(cb->ctx, &r);
}

static cs_status sq_each_spectrum(void *self, const cs_store_query *q,
                                  int (*fn)(void *, const cs_store_spectrum_row *), void *ctx,
                                  cs_err *err) {
  char where[256], sql[1024];
  where_clause(q, "", 1, 1, where, sizeof where);
  snprintf(sql, sizeof sql,
           "SELECT id, session_id, time, lat, lon, alt, rat, band, channel, freq_hz, bandwidth_hz, n_prb,"
           " power_dbfs, noise_dbfs, occupied FROM spectrum%s ORDER BY time, id", where);
  spectrum_cb cb = {fn, ctx};
  return each(self, sql, q, spectrum_row, &cb, err);
}

typedef struct {
  int (*fn)(void *ctx, const cs_store_track_point *row);
  void *ctx;
} track_cb;

static int track_row(sqlite3_stmt *q, void *cbp) {
  const track_cb *cb = cbp;
  cs_store_track_point p;
  int k = 0;
  p.id = sqlite3_column_int64(q, k++);
  p.session_id = sqlite3_column_int64(q, k++);
  p.time_unix = col_real(q, k++);
  p.lat = col_real(q, k++);
  p.lon = col_real(q, k++);
  p.alt = col_real(q, k++);
  p.eph_m = col_real(q, k++);
  p.fix_mode = sqlite3_column_int(q, k++);
  return cb->fn(cb->ctx, &p);
}

static cs_status sq_each_track(void *self, const cs_store_query *q,
                               int (*fn)(void *, const cs_store_track_point *), void *ctx,
                               cs_err *err) {
  char where[256], sql[512];
  where_clause(q, "", 0, 0, where, sizeof where);
  snprintf(sql, sizeof sql,
           "SELECT id, session_id, time, lat, lon, alt, eph_m, fix_mode FROM track%s ORDER BY time, id", where);
  track_cb cb = {fn, ctx};
  return each(self, sql, q, track_row, &cb, err);
}

typedef struct {
  int (*fn)(void *ctx, const cs_store_session *row);
  void *ctx;
} session_cb;

static int session_row(sqlite3_stmt *q, void *cbp) {
  const session_cb *cb = cbp;
  cs_store_session ss;
  ss.id = sqlite3_column_int64(q, 0);
  ss.kind = (const char *)sqlite3_column_text(q, 1);
  ss.started = col_real(q, 2);
  ss.ended = col_real(q, 3);
  ss.device = (const char *)sqlite3_column_text(q, 4);
  ss.description = (const char *)sqlite3_column_text(q, 5);
  return cb->fn(cb->ctx, &ss);
}

static cs_status sq_each_session(void *self, int (*fn)(void *, const cs_store_session *), void *ctx,
                                 cs_err *err) {
  cs_store_query q;
  cs_store_query_init(&q);
  session_cb cb = {fn, ctx};
  return each(self, "SELECT id, kind, started, ended, device, description FROM sessions ORDER BY id", &q,
              session_row, &cb, err);
}

const struct cs_store_backend cs_store_sqlite_backend = {
    "sqlite",        sq_close,            sq_begin_session, sq_end_session, sq_add_spectrum,
    sq_add_record,   sq_commit,           sq_each_measurement, sq_each_cell, sq_each_spectrum,
    sq_each_track,   sq_each_session,
};
