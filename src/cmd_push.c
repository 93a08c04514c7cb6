/* cmd_push.c: `cellsurvey push`: merge a kit's store into the PostgreSQL fleet store.
 *
 * Session by session, one transaction each: the session row is upserted on its natural key, and
 * every measurement (keyed by its JSON), track point and spectrum row (keyed by content) is
 * inserted with ON CONFLICT DO NOTHING (store_pg.c). Pushing twice adds nothing; kits pushing at
 * once are serialised per row by PostgreSQL's unique indexes. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "store.h"
#include "store_pg.h"

static const char usage[] =
    "usage: cellsurvey push --from KIT.db --to postgresql://...\n"
    "\n"
    "Merges a kit's store (sessions, measurements, track, spectrum) into a PostgreSQL + PostGIS fleet\n"
    "store. Idempotent: pushing the same kit again adds nothing; several kits may push at once.\n";

typedef struct {
  int64_t id;
  char *kind, *device, *description;
  double started, ended;
} sess;

typedef struct {
  sess *v;
  int n, cap;
} sess_list;

static int on_session(void *ctx, const cs_store_session *s) {
  sess_list *l = ctx;
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 16;
    sess *nv = realloc(l->v, cap * sizeof *nv);
    if (!nv) return 1;
    l->v = nv;
    l->cap = cap;
  }
  sess *x = &l->v[l->n++];
  x->id = s->id;
  x->kind = strdup(s->kind ? s->kind : "import");
  x->device = strdup(s->device ? s->device : "");
  x->description = strdup(s->description ? s->description : "");
  x->started = s->started;
  x->ended = s->ended;
  return 0;
}

typedef struct {
  cs_store *dst;
  void *pg;
  cs_err *err;
  cs_status st;
  long seen, added;
} copy_ctx;

/* Rows the phase really inserted: the store's running count after its pipeline drained. */
static cs_status count_new(copy_ctx *c, long *mark) {
  long now;
  cs_status st = cs_store_pg_flush(c->pg, &now, c->err);
  c->added += now - *mark;
  *mark = now;
  return st;
}

static int copy_meas(void *ctx, const cs_store_measurement *m) {
  copy_ctx *c = ctx;
  c->st = cs_store_pg_add_measurement_json(c->pg, &m->rec, m->json, c->err);
  c->seen++;
  return c->st != CS_OK;
}

static int copy_track(void *ctx, const cs_store_track_point *p) {
  copy_ctx *c = ctx;
  cs_cell_record r;
  cs_store_track_record(p, &r);
  c->st = cs_store_add_record(c->dst, &r, NULL, c->err);
  c->seen++;
  return c->st != CS_OK;
}

static int copy_spec(void *ctx, const cs_store_spectrum_row *row) {
  copy_ctx *c = ctx;
  cs_cell_record w;
  cs_record_init(&w);
  w.time_unix = row->time_unix;
  w.has_fix = row->has_fix;
  w.lat = row->lat;
  w.lon = row->lon;
  w.alt = row->alt;
  c->st = cs_store_add_spectrum(c->dst, &w, &row->ch, 1, c->err);
  c->seen++;
  return c->st != CS_OK;
}

int cmd_push(int argc, char **argv) {
  static const struct option opts[] = {
      {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
      {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  const char *from = NULL, *to = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'f') from = optarg;
    else if (c == 't') to = optarg;
    else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (!from || !to || optind != argc) { fputs(usage, stderr); return 2; }
  if (strncmp(to, "postgresql://", 13) && strncmp(to, "postgres://", 11)) {
    fprintf(stderr, "cellsurvey push: --to '%s' is not a postgresql:// URI\n", to);
    return 2;
  }
  cs_err err = {{0}}, cerr = {{0}};
  cs_store *src = NULL, *dst = NULL;
  sess_list l = {0};
  cs_status st = cs_store_open(from, &src, &err);
  if (!st) st = cs_store_each_session(src, on_session, &l, &err);
  if (!st) st = cs_store_open(to, &dst, &err);
  long totals[3][2] = {{0}}, mark = 0;
  for (int i = 0; i < l.n && !st; i++) {
    sess *s = &l.v[i];
    st = cs_store_begin_session(dst, s->kind, s->started, s->device, s->description, NULL, &err);
    cs_store_query q;
    cs_store_query_init(&q);
    q.session_id = s->id;
    copy_ctx cc[3] = {{dst, cs_store_backend_self(dst, "postgresql"), &err, CS_OK, 0, 0}};
    cc[1] = cc[2] = cc[0];
    if (!st) st = cs_store_pg_flush(cc[0].pg, &mark, &err);
    if (!st) st = cs_store_each_measurement(src, &q, copy_meas, &cc[0], &err);
    if (!st) st = cc[0].st;
    if (!st) st = count_new(&cc[0], &mark);
    if (!st) st = cs_store_each_track(src, &q, copy_track, &cc[1], &err);
    if (!st) st = cc[1].st;
    if (!st) st = count_new(&cc[1], &mark);
    if (!st) st = cs_store_each_spectrum(src, &q, copy_spec, &cc[2], &err);
    if (!st) st = cc[2].st;
    if (!st) st = count_new(&cc[2], &mark);
    if (!st) st = isfinite(s->ended) ? cs_store_end_session(dst, s->ended, &err) : cs_store_commit(dst, &err);
    for (int k = 0; k < 3; k++) { totals[k][0] += cc[k].seen; totals[k][1] += cc[k].added; }
  }
  if (dst && cs_store_close(dst, &cerr) && !st) { st = CS_ERR_ENV; err = cerr; }
  if (src) cs_store_close(src, &cerr);
  for (int i = 0; i < l.n; i++) { free(l.v[i].kind); free(l.v[i].device); free(l.v[i].description); }
  free(l.v);
  if (st) { fprintf(stderr, "cellsurvey push: %s\n", err.msg); return (int)st; }
  printf("pushed %d sessions: %ld measurements (%ld new), %ld track points (%ld new), %ld spectrum rows (%ld new)\n",
         l.n, totals[0][0], totals[0][1], totals[1][0], totals[1][1], totals[2][0], totals[2][1]);
  return 0;
}
