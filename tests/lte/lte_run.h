/* lte_run.h: for the LTE capture tests: run the replay pipeline (LTE only) over one SigMF capture
 * and collect the cell records; read the capture's meta with cJSON. */
#ifndef CS_TEST_LTE_RUN_H
#define CS_TEST_LTE_RUN_H

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/sigmf.h"
#include "pipeline.h"

#define MAX_RECS 32

typedef struct {
  cs_cell_record r[MAX_RECS];
  int n;
} lte_recs;

static inline void lte_collect(void *ctx, const cs_cell_record *rec) {
  lte_recs *c = ctx;
  if (rec->rat == CS_RAT_LTE && c->n < MAX_RECS) c->r[c->n++] = *rec;
}

/* Returns 0 on success (records in out), prints the error otherwise. */
static inline int lte_run(const char *path, lte_recs *out) {
  cs_err err = {{0}};
  cs_source *src;
  out->n = 0;
  if (cs_sigmf_open(path, &src, NULL, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  cs_pipeline_opts o = {0};
  o.decode_lte = 1;
  o.on_record = lte_collect;
  o.ctx = out;
  cs_status st = cs_pipeline_run(src, &o, &err);
  cs_source_close(src);
  if (st) fprintf(stderr, "%s: %s\n", path, err.msg);
  return st != CS_OK;
}

static inline cJSON *lte_load_meta(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  size_t got = buf ? fread(buf, 1, (size_t)len, f) : 0;
  fclose(f);
  if (!buf) return NULL;
  buf[got] = '\0';
  cJSON *j = cJSON_Parse(buf);
  free(buf);
  return j;
}

static inline const cs_cell_record *lte_find(const lte_recs *c, int pci) {
  for (int i = 0; i < c->n; i++)
    if (c->r[i].pci == pci) return &c->r[i];
  return NULL;
}

/* Sorted list of the .sigmf-meta files in dir; returns the count. */
static inline int lte_list_metas(const char *dir, char names[][256], int max) {
  DIR *d = opendir(dir);
  int n = 0;
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < max) {
    size_t l = strlen(e->d_name);
    if (l > 11 && !strcmp(e->d_name + l - 11, ".sigmf-meta")) snprintf(names[n++], 256, "%s", e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, 256, (int (*)(const void *, const void *))strcmp);
  return n;
}

#endif
