/* sim_scene.c: load the SigMF captures of a scene directory into memory for the simulator.
 * A capture without core:frequency cannot be placed: it is skipped with a SoapySDR warning; any
 * other problem fails the whole scene with a message naming the file. */
#include "sim_scene.h"

#include <complex.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SoapySDR/Logger.h>

#include "cellsurvey/sigmf.h"

#define SCENE_MAX_SAMPLES (256u * 1024 * 1024) /* 2 GB of cf32: beyond any test scene */

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_one(sim_capture *c, const char *path, char *err, size_t cap) {
  cs_source *src;
  const cs_sigmf_meta *meta;
  cs_err e;
  if (cs_sigmf_open(path, &src, &meta, &e) != CS_OK) {
    snprintf(err, cap, "scene capture: %s", e.msg);
    return -1;
  }
  if (meta->n_segments < 1 || !(meta->segments[0].frequency_hz > 0)) {
    SoapySDR_logf(SOAPY_SDR_WARNING, "cellsurvey-sim: %s has no core:frequency: not played", path);
    cs_source_close(src);
    return 1;
  }
  if (meta->num_samples == 0 || meta->num_samples > SCENE_MAX_SAMPLES) {
    snprintf(err, cap, "scene capture %s: %llu samples (want 1..%u)", path,
             (unsigned long long)meta->num_samples, SCENE_MAX_SAMPLES);
    cs_source_close(src);
    return -1;
  }
  c->center_hz = meta->segments[0].frequency_hz;
  c->rate = meta->sample_rate;
  c->n = (size_t)meta->num_samples;
  c->x = malloc(c->n * sizeof *c->x);
  snprintf(c->name, sizeof c->name, "%s", path);
  if (!c->x) {
    snprintf(err, cap, "out of memory loading scene capture %s", path);
    cs_source_close(src);
    return -1;
  }
  size_t got = 0;
  while (got < c->n) {
    size_t k;
    cs_block_info info;
    if (cs_source_read(src, c->x + got, c->n - got, &k, &info, &e) != CS_OK) {
      snprintf(err, cap, "scene capture: %s", e.msg);
      cs_source_close(src);
      return -1;
    }
    if (k == 0) break;
    got += k;
  }
  c->n = got;
  cs_source_close(src);
  if (got == 0) {
    snprintf(err, cap, "scene capture %s holds no samples", path);
    return -1;
  }
  return 0;
}

sim_scene *sim_scene_load(const char *dir, char *err, size_t cap) {
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, cap, "scene directory %s cannot be read", dir);
    return NULL;
  }
  char *names[SIM_SCENE_MAX];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t len = strlen(e->d_name);
    if (len < 12 || strcmp(e->d_name + len - 11, ".sigmf-meta")) continue;
    if (n == SIM_SCENE_MAX) {
      snprintf(err, cap, "scene %s: more than %d captures", dir, SIM_SCENE_MAX);
      for (int i = 0; i < n; i++) free(names[i]);
      closedir(d);
      return NULL;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, by_name);
  sim_scene *s = calloc(1, sizeof *s);
  int ok = s != NULL;
  if (!s) snprintf(err, cap, "out of memory");
  for (int i = 0; ok && i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    int r = load_one(&s->cap[s->n], path, err, cap);
    ok = r >= 0;
    if (r == 0) {
      s->n++;
    } else { /* skipped or failed: the slot is reused or freed */
      free(s->cap[s->n].x);
      s->cap[s->n].x = NULL;
    }
  }
  for (int i = 0; i < n; i++) free(names[i]);
  if (!ok) {
    sim_scene_free(s);
    return NULL;
  }
  if (s->n == 0) {
    snprintf(err, cap, "scene directory %s holds no .sigmf-meta captures", dir);
    sim_scene_free(s);
    return NULL;
  }
  return s;
}

void sim_scene_free(sim_scene *s) {
  if (!s) return;
  for (int i = 0; i < s->n; i++) free(s->cap[i].x);
  free(s);
}
