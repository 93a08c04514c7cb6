/* cmd_import.c: `cellsurvey import`: JSON Lines records (replay, scan, other kits) into a store. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "store.h"

static const char usage[] =
    "usage: cellsurvey import --db FILE|postgresql://... INPUT.jsonl...\n"
    "\n"
    "Imports JSON Lines cell records (as replay and scan write them; docs/records.md) into a store,\n"
    "one session per input file. Each line needs \"time\" (RFC 3339), \"lat\" and \"lon\"; a line\n"
    "with only those is a track point. Bad lines are reported with their line number and skipped.\n";

#define COMMIT_EVERY 20000

static cs_status import_file(cs_store *db, const char *path, long *n_rec, long *n_track, long *n_bad, cs_err *err) {
  FILE *f = fopen(path, "r");
  if (!f) return cs_fail(err, CS_ERR_INPUT, "%s: %s", path, strerror(errno));
  cs_status st = cs_store_begin_session(db, "import", NAN, "import", path, NULL, err);
  char *line = NULL;
  size_t cap = 0;
  long lineno = 0, pending = 0;
  ssize_t len;
  while (!st && (len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    size_t sp = strspn(line, " \t");
    if (!line[sp]) continue;
    cs_cell_record r;
    cs_err lerr;
    if (cs_record_from_json(line, &r, &lerr)) {
      fprintf(stderr, "cellsurvey import: %s:%ld: line %ld skipped: %s\n", path, lineno, lineno, lerr.msg);
      (*n_bad)++;
      continue;
    }
    st = cs_store_add_record(db, &r, NULL, err);
    if (st) break;
    if (r.rat == CS_RAT_NONE) (*n_track)++;
    else (*n_rec)++;
    if (++pending >= COMMIT_EVERY) { st = cs_store_commit(db, err); pending = 0; }
  }
  if (!st && ferror(f)) st = cs_fail(err, CS_ERR_ENV, "%s: read error after line %ld", path, lineno);
  free(line);
  fclose(f);
  if (!st) st = cs_store_end_session(db, NAN, err);
  return st;
}

int cmd_import(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *dbpath = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'd') dbpath = optarg;
    else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (!dbpath || optind >= argc) { fputs(usage, stderr); return 2; }
  cs_err err = {{0}};
  cs_store *db;
  cs_status st = cs_store_open(dbpath, &db, &err);
  if (st) { fprintf(stderr, "cellsurvey import: %s\n", err.msg); return (int)st; }
  long n_rec = 0, n_track = 0, n_bad = 0;
  for (int i = optind; i < argc && !st; i++) st = import_file(db, argv[i], &n_rec, &n_track, &n_bad, &err);
  cs_err cerr = {{0}};
  cs_status cst = cs_store_close(db, &cerr);
  if (st) { fprintf(stderr, "cellsurvey import: %s\n", err.msg); return (int)st; }
  if (cst) { fprintf(stderr, "cellsurvey import: %s\n", cerr.msg); return (int)cst; }
  fprintf(stderr, "cellsurvey import: %ld records and %ld track points imported, %ld bad lines skipped\n", n_rec,
          n_track, n_bad);
  return 0;
}
