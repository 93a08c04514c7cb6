/* test_store.c: the SQLite store: round trip of sessions, spectrum rows, measurements, cells and
 * track points; WAL and schema version; migration from an older schema; refusal of newer,
 * corrupt and foreign databases; unwritable locations; committed rows survive kill -9 of the
 * writer. (Disk full: tests/foundation/store_full.sh.) */
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "store_backend.h"

static char tmp[4096];

static const char *tmp_path(const char *name) {
  static char p[4][4200];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", tmp, name);
  return p[k];
}

static void remove_db(const char *path) {
  char p[4300];
  unlink(path);
  snprintf(p, sizeof p, "%s-wal", path); unlink(p);
  snprintf(p, sizeof p, "%s-shm", path); unlink(p);
}

static void gsm_record(cs_cell_record *r, double t, double power) {
  cs_record_init(r);
  r->time_unix = t;
  r->has_fix = 1; r->lat = 52.5; r->lon = 13.4; r->alt = 40; r->eph_m = 5; r->fix_mode = 3;
  snprintf(r->device, sizeof r->device, "file");
  snprintf(r->source, sizeof r->source, "x.sigmf-meta");
  r->rat = CS_RAT_GSM;
  snprintf(r->band, sizeof r->band, "GSM900");
  r->arfcn = 60; r->freq_hz = 947e6;
  snprintf(r->plmn.mcc, 4, "001"); snprintf(r->plmn.mnc, 4, "01");
  r->bsic = 21; r->lac = 4660; r->cell_id = 22136;
  r->power_dbfs = power; r->snr_db = 20; r->cfo_hz = 12.5;
}

static void lte_record(cs_cell_record *r, double t) {
  cs_record_init(r);
  r->time_unix = t;
  r->rat = CS_RAT_LTE;
  snprintf(r->band, sizeof r->band, "7");
  r->earfcn = 3350; r->freq_hz = 2680e6; r->pci = 101; r->n_prb = 25;
  snprintf(r->plmns[0].mcc, 4, "262"); snprintf(r->plmns[0].mnc, 4, "001");
  r->n_plmns = 1; r->tac = 4097; r->cell_identity = 0x1234567;
  r->rsrp_dbfs = -60.5; r->rsrq_db = -10.25;
}

typedef struct { int n; cs_store_measurement first; char json0[4096]; } meas_acc;
static int on_meas(void *ctx, const cs_store_measurement *m) {
  meas_acc *a = ctx;
  if (a->n++ == 0) { a->first = *m; snprintf(a->json0, sizeof a->json0, "%s", m->json); }
  return 0;
}
typedef struct { int n; cs_store_cell c[8]; } cell_acc;
static int on_cell(void *ctx, const cs_store_cell *c) {
  cell_acc *a = ctx;
  if (a->n < 8) a->c[a->n] = *c;
  a->n++;
  return 0;
}
static int on_spec(void *ctx, const cs_store_spectrum_row *r) {
  int *n = ctx;
  CHECK(r->ch.rat == CS_RAT_GSM && r->ch.channel >= 50 && r->ch.bandwidth_hz == 200e3, "spectrum row %d", r->ch.channel);
  (*n)++;
  return 0;
}
static int on_track(void *ctx, const cs_store_track_point *p) {
  int *n = ctx;
  CHECK_NEAR(p->lat, 52.51, 1e-9);
  (*n)++;
  return 0;
}

static int pragma_int(const char *path, const char *pragma, char *text, size_t cap) {
  sqlite3 *db;
  sqlite3_stmt *q;
  int v = -1;
  if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, pragma, -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW) {
      v = sqlite3_column_int(q, 0);
      if (text) snprintf(text, cap, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return v;
}

static void test_round_trip(void) {
  const char *path = tmp_path("store_rt.db");
  remove_db(path);
  cs_err err = {{0}};
  cs_store *s;
  CHECK(cs_store_open(path, &s, &err) == CS_OK, "%s", err.msg);
  int64_t sid = 0;
  CHECK(cs_store_begin_session(s, "replay", 1.7e9, "file", "unit test", &sid, &err) == CS_OK, "%s", err.msg);
  CHECK(sid > 0, "session id %lld", (long long)sid);
  CHECK(cs_store_begin_session(s, "bogus", NAN, "", "", &sid, &err) == CS_ERR_INPUT, "bad kind accepted");
  cs_channel rows[3] = {0};
  for (int i = 0; i < 3; i++) {
    rows[i].rat = CS_RAT_GSM; snprintf(rows[i].band, 16, "GSM900"); rows[i].channel = 50 + i;
    rows[i].freq_hz = 945e6 + 200e3 * i; rows[i].bandwidth_hz = 200e3; rows[i].n_prb = -1;
    rows[i].power_dbfs = -30 - i; rows[i].noise_dbfs = -75; rows[i].occupied = i == 0;
  }
  cs_cell_record r, where;
  cs_record_init(&where);
  where.time_unix = 1.7e9;
  CHECK(cs_store_add_spectrum(s, &where, rows, 3, &err) == CS_OK, "%s", err.msg);
  gsm_record(&r, 1.7e9 + 10, -40);
  int64_t mid = 0;
  CHECK(cs_store_add_record(s, &r, &mid, &err) == CS_OK, "%s", err.msg);
  CHECK(mid > 0, "measurement id");
  gsm_record(&r, 1.7e9 + 5, -30); /* same cell, earlier and stronger, elsewhere */
  r.lat = 52.6;
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_OK, "%s", err.msg);
  lte_record(&r, 1.7e9 + 20);
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_OK, "%s", err.msg);
  cs_record_init(&r); /* a track point */
  r.time_unix = 1.7e9 + 30; r.has_fix = 1; r.lat = 52.51; r.lon = 13.41; r.fix_mode = 2;
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_OK, "%s", err.msg);
  CHECK(cs_store_commit(s, &err) == CS_OK, "%s", err.msg);
  CHECK(cs_store_end_session(s, NAN, &err) == CS_OK, "%s", err.msg);
  CHECK(cs_store_close(s, &err) == CS_OK, "%s", err.msg);

  char mode[32] = "";
  pragma_int(path, "PRAGMA journal_mode", mode, sizeof mode);
  CHECK_STR(mode, "wal");
  CHECK_INT(pragma_int(path, "PRAGMA user_version", NULL, 0), cs_store_schema_version());

  CHECK(cs_store_open(path, &s, &err) == CS_OK, "%s", err.msg);
  cs_store_query q;
  cs_store_query_init(&q);
  meas_acc m = {0};
  CHECK(cs_store_each_measurement(s, &q, on_meas, &m, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(m.n, 3);
  CHECK_NEAR(m.first.rec.time_unix, 1.7e9 + 5, 1e-6); /* time order */
  CHECK_INT(m.first.rec.rat, CS_RAT_GSM);
  CHECK_INT(m.first.rec.arfcn, 60);
  CHECK_INT(m.first.rec.bsic, 21);
  CHECK_INT(m.first.rec.lac, 4660);
  CHECK_INT(m.first.rec.cell_id, 22136);
  CHECK_STR(m.first.rec.plmn.mnc, "01");
  CHECK_STR(m.first.rec.band, "GSM900");
  CHECK_NEAR(m.first.rec.power_dbfs, -30, 1e-9);
  CHECK_NEAR(m.first.rec.lat, 52.6, 1e-9);
  CHECK_INT(m.first.rec.fix_mode, 3);
  CHECK(isnan(m.first.rec.rsrp_dbfs), "unknown stays unknown");
  CHECK(strstr(m.json0, "\"bsic\":21") != NULL, "json %s", m.json0);
  q.rat = CS_RAT_LTE;
  m.n = 0;
  CHECK(cs_store_each_measurement(s, &q, on_meas, &m, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(m.n, 1);
  CHECK_INT(m.first.rec.pci, 101);
  CHECK_INT(m.first.rec.tac, 4097);
  CHECK_INT(m.first.rec.cell_identity, 0x1234567);
  CHECK_STR(m.first.rec.plmn.mcc, "262");
  CHECK_STR(m.first.rec.plmn.mnc, "001");
  CHECK_NEAR(m.first.rec.rsrq_db, -10.25, 1e-9);
  CHECK(!m.first.rec.has_fix, "LTE record had no fix");
  q.rat = CS_RAT_NONE;
  q.t_from = 1.7e9 + 8; q.t_to = 1.7e9 + 15;
  m.n = 0;
  CHECK(cs_store_each_measurement(s, &q, on_meas, &m, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(m.n, 1);
  cs_store_query_init(&q);

  cell_acc c = {0};
  CHECK(cs_store_each_cell(s, &q, on_cell, &c, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(c.n, 2);
  CHECK_INT(c.c[0].rat, CS_RAT_GSM);
  CHECK_INT(c.c[0].count, 2);
  CHECK_NEAR(c.c[0].first_seen, 1.7e9 + 5, 1e-6);
  CHECK_NEAR(c.c[0].last_seen, 1.7e9 + 10, 1e-6);
  CHECK_NEAR(c.c[0].best_power_dbfs, -30, 1e-9);
  CHECK_NEAR(c.c[0].best_lat, 52.6, 1e-9);
  CHECK_INT(c.c[0].local_id, 21);
  CHECK_INT(c.c[0].area, 4660);
  CHECK_INT(c.c[1].rat, CS_RAT_LTE);
  CHECK_INT(c.c[1].count, 1);
  CHECK_INT(c.c[1].channel, 3350);
  CHECK_INT(c.c[1].cell, 0x1234567);
  CHECK(!c.c[1].best_has_fix, "LTE cell heard without a fix");
  int n = 0;
  CHECK(cs_store_each_spectrum(s, &q, on_spec, &n, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(n, 3);
  n = 0;
  CHECK(cs_store_each_track(s, &q, on_track, &n, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(n, 1);
  /* session filter: a second session sees none of the first's rows */
  CHECK(cs_store_begin_session(s, "scan", NAN, "sim", NULL, &sid, &err) == CS_OK, "%s", err.msg);
  q.session_id = sid;
  c.n = 0;
  CHECK(cs_store_each_cell(s, &q, on_cell, &c, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(c.n, 0);
  CHECK(cs_store_close(s, &err) == CS_OK, "%s", err.msg);
}

static void exec_raw(sqlite3 *db, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  CHECK(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
  sqlite3_free(msg);
}

static void test_migration(void) {
  /* a database as the first schema version wrote it, with data */
  const char *path = tmp_path("store_v1.db");
  remove_db(path);
  sqlite3 *db;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK, "open raw");
  exec_raw(db, cs_store_sqlite_migrations[0]);
  exec_raw(db, "PRAGMA user_version = 1");
  exec_raw(db, "INSERT INTO sessions (id, kind, started) VALUES (1, 'replay', 1.6e9)");
  exec_raw(db, "INSERT INTO cells (id, rat, band, channel, mcc, mnc, area, cell, local_id, first_seen, last_seen, count)"
               " VALUES (1, 'gsm', 'GSM900', 60, '001', '01', 4660, 22136, 21, 1.6e9, 1.6e9, 1)");
  exec_raw(db, "INSERT INTO measurements (session_id, cell_id, time, calibrated, rat, band, arfcn, bsic, power_dbfs, json)"
               " VALUES (1, 1, 1.6e9, 0, 'gsm', 'GSM900', 60, 21, -50.0, '{}')");
  sqlite3_close(db);

  cs_err err = {{0}};
  cs_store *s;
  CHECK(cs_store_open(path, &s, &err) == CS_OK, "%s", err.msg);
  if (!s) return;
  CHECK_INT(pragma_int(path, "PRAGMA user_version", NULL, 0), cs_store_schema_version());
  int64_t sid;
  cs_cell_record r;
  CHECK(cs_store_begin_session(s, "import", NAN, NULL, NULL, &sid, &err) == CS_OK, "%s", err.msg);
  gsm_record(&r, 1.6e9 + 100, -45); /* the same cell again: one cells row, count 2 */
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_OK, "%s", err.msg);
  cs_record_init(&r);
  r.has_fix = 1; r.lat = 52.51; r.lon = 1;
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_OK, "track table added by the migration: %s", err.msg);
  cs_store_query q;
  cs_store_query_init(&q);
  cell_acc c = {0};
  CHECK(cs_store_each_cell(s, &q, on_cell, &c, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(c.n, 1);
  CHECK_INT(c.c[0].count, 2);
  CHECK_NEAR(c.c[0].best_power_dbfs, -45, 1e-9);
  meas_acc m = {0};
  CHECK(cs_store_each_measurement(s, &q, on_meas, &m, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(m.n, 2);
  CHECK_NEAR(m.first.rec.power_dbfs, -50, 1e-9);
  CHECK(cs_store_close(s, &err) == CS_OK, "%s", err.msg);
}

static void expect_open_fails(const char *path, cs_status want, const char *needle) {
  cs_err err = {{0}};
  cs_store *s = NULL;
  cs_status st = cs_store_open(path, &s, &err);
  CHECK(st == want, "%s: status %d, want %d (%s)", path, st, want, err.msg);
  CHECK(s == NULL, "no store on failure");
  CHECK(strstr(err.msg, path) != NULL, "message names the database: %s", err.msg);
  CHECK(strstr(err.msg, needle) != NULL, "message '%s' lacks '%s'", err.msg, needle);
  if (s) cs_store_close(s, NULL);
}

static void test_errors(void) {
  /* newer schema */
  const char *path = tmp_path("store_new.db");
  remove_db(path);
  sqlite3 *db;
  sqlite3_open(path, &db);
  exec_raw(db, "PRAGMA user_version = 99");
  exec_raw(db, "CREATE TABLE future (x)");
  sqlite3_close(db);
  expect_open_fails(path, CS_ERR_INPUT, "newer");

  /* another program's database */
  path = tmp_path("store_foreign.db");
  remove_db(path);
  sqlite3_open(path, &db);
  exec_raw(db, "CREATE TABLE contacts (name TEXT)");
  sqlite3_close(db);
  expect_open_fails(path, CS_ERR_INPUT, "another program");

  /* a corrupt file (not SQLite at all) */
  path = tmp_path("store_corrupt.db");
  remove_db(path);
  FILE *f = fopen(path, "wb");
  for (int i = 0; i < 8192; i++) fputc((i * 7919) & 0xff, f);
  fclose(f);
  expect_open_fails(path, CS_ERR_INPUT, "not a usable cellsurvey database");

  /* a truncated real database: header intact, pages gone */
  path = tmp_path("store_trunc.db");
  remove_db(path);
  sqlite3_open(path, &db);
  exec_raw(db, cs_store_sqlite_migrations[0]);
  exec_raw(db, "PRAGMA user_version = 1");
  sqlite3_close(db);
  CHECK(truncate(path, 1024) == 0, "truncate");
  cs_err err = {{0}};
  cs_store *s = NULL;
  cs_status st = cs_store_open(path, &s, &err);
  CHECK(st != CS_OK && strstr(err.msg, path), "truncated database opened: %s", err.msg);
  if (s) cs_store_close(s, NULL);

  /* a directory that does not exist / a path through a regular file */
  expect_open_fails(tmp_path("no/such/dir/x.db"), CS_ERR_ENV, "cannot open");
  expect_open_fails(tmp_path("store_corrupt.db/x.db"), CS_ERR_ENV, "cannot open");
  /* a read-only directory (root ignores permissions, so only as a normal user) */
  if (geteuid() != 0) {
    const char *ro = tmp_path("ro_dir");
    mkdir(ro, 0555);
    chmod(ro, 0555);
    char p[4300];
    snprintf(p, sizeof p, "%s/x.db", ro);
    expect_open_fails(p, CS_ERR_ENV, "cannot open");
  } else {
    printf("note: running as root, read-only directory case covered by the ENOTDIR path only\n");
  }
  /* writing before a session is a usage error, not a crash */
  path = tmp_path("store_nosession.db");
  remove_db(path);
  CHECK(cs_store_open(path, &s, &err) == CS_OK, "%s", err.msg);
  cs_cell_record r;
  gsm_record(&r, 1, -1);
  CHECK(cs_store_add_record(s, &r, NULL, &err) == CS_ERR_INPUT, "record without session accepted");
  CHECK(cs_store_close(s, &err) == CS_OK, "%s", err.msg);
  /* PostgreSQL backend (src/store_pg.c): a server that cannot be reached is the environment */
  expect_open_fails("postgresql://nowhere.invalid/db", CS_ERR_ENV, "cannot connect");
}

/* A child writes and commits records, reporting each commit's total on a pipe; the parent kills
 * it with SIGKILL mid-stream. Every acknowledged record must be in the database afterwards. */
static void test_kill9(void) {
  const char *path = tmp_path("store_kill9.db");
  remove_db(path);
  int fd[2];
  if (pipe(fd) != 0) { CHECK(0, "pipe"); return; }
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    cs_err err = {{0}};
    cs_store *s;
    int64_t sid;
    if (cs_store_open(path, &s, &err) || cs_store_begin_session(s, "daemon", NAN, "sim", NULL, &sid, &err)) _exit(3);
    for (int total = 0;;) {
      cs_cell_record r;
      for (int k = 0; k < 10; k++, total++) {
        gsm_record(&r, 1.7e9 + total, -40);
        r.arfcn = total % 124 + 1;
        if (cs_store_add_record(s, &r, NULL, &err)) _exit(4);
      }
      if (cs_store_commit(s, &err)) _exit(5);
      if (write(fd[1], &total, sizeof total) != sizeof total) _exit(6);
    }
  }
  close(fd[1]);
  int acked = 0, v, reports = 0;
  while (reports < 20 && read(fd[0], &v, sizeof v) == sizeof v) { acked = v; reports++; }
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  while (read(fd[0], &v, sizeof v) == sizeof v) acked = v; /* commits acknowledged before the kill */
  close(fd[0]);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "writer did not die by SIGKILL (status %d)", status);
  CHECK(reports == 20, "writer reported %d commits", reports);
  cs_err err = {{0}};
  cs_store *s;
  CHECK(cs_store_open(path, &s, &err) == CS_OK, "reopen after kill -9: %s", err.msg);
  if (!s) return;
  cs_store_query q;
  cs_store_query_init(&q);
  meas_acc m = {0};
  CHECK(cs_store_each_measurement(s, &q, on_meas, &m, &err) == CS_OK, "%s", err.msg);
  CHECK(m.n >= acked, "%d measurements after kill -9, %d were acknowledged", m.n, acked);
  CHECK(m.n % 10 == 0, "%d measurements: a partial transaction survived", m.n);
  cs_store_close(s, NULL);
  char ok[16] = "";
  pragma_int(path, "PRAGMA integrity_check", ok, sizeof ok);
  CHECK_STR(ok, "ok");
  printf("kill -9: %d acknowledged, %d stored\n", acked, m.n);
}

int main(void) {
  snprintf(tmp, sizeof tmp, "%s", check_tmp_dir());
  test_round_trip();
  test_migration();
  test_errors();
  test_kill9();
  return check_done();
}
