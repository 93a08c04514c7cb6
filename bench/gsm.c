/* bench/gsm.c: GSM decoding speed per shared capture (run on demand: build/bench/bench_gsm [DIR]).
 * For every .sigmf-meta in DIR (default ../shared/captures/gsm): wall and CPU time of the whole
 * replay pipeline (spectrum pass + GSM decoder), the decode pass alone (CPU with GSM minus CPU of a
 * spectrum-only run; best of three runs each), x real time of the whole, x real time per decoded cell of the decode pass,
 * beside
 * gr-gsm's decode times recorded in truth:grgsm_verification (sum over its carriers plus its
 * channelizer for wideband files); then the peak memory of the process. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cellsurvey/sigmf.h"
#include "pipeline.h"
#include "cellsurvey/clock.h"

static void count(void *ctx, const cs_cell_record *r) { (void)r; (*(int *)ctx)++; }

static double grgsm_seconds(const char *meta_path, double *duration) {
  FILE *f = fopen(meta_path, "rb");
  if (!f) return 0;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  cJSON *m = cJSON_Parse(buf);
  cJSON *g = cJSON_GetObjectItem(m, "global");
  *duration = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(g, "truth:capture"), "duration_s"));
  cJSON *v = cJSON_GetObjectItem(g, "truth:grgsm_verification"), *c;
  double s = 0;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(v, "carriers")) s += cJSON_GetNumberValue(cJSON_GetObjectItem(c, "decode_wall_s"));
  cJSON *ch = cJSON_GetObjectItem(v, "channelize");
  if (ch) s += cJSON_GetNumberValue(cJSON_GetObjectItem(ch, "wall_s"));
  cJSON_Delete(m);
  return s;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/captures/gsm";
  DIR *d = opendir(dir);
  if (!d) { fprintf(stderr, "bench_gsm: cannot open %s\n", dir); return 1; }
  printf("%-34s %6s %6s %8s %8s %8s %7s %9s %9s %7s\n", "capture", "dur_s", "cells", "wall_s", "cpu_s",
         "dec_s", "xRT", "xRT/cell", "grgsm_s", "speedup");
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    if (l < 12 || strcmp(de->d_name + l - 11, ".sigmf-meta")) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    double dur = 0, gr = grgsm_seconds(path, &dur);
    int cells = 0;
    double w = 1e9, c = 1e9, cs = 1e9;
    cs_status st = CS_OK;
    cs_err err = {{0}};
    /* pass 0, 2, 4: spectrum only; 1, 3, 5: with GSM; best of three of each (shared machine) */
    for (int pass = 0; pass < 6 && !st; pass++) {
      cs_source *src;
      if ((st = cs_sigmf_open(path, &src, NULL, &err))) break;
      cs_pipeline_opts o = {0};
      o.decode_gsm = pass & 1;
      o.on_record = count;
      o.ctx = &cells;
      cells = 0;
      double w0 = cs_clock_s(CLOCK_MONOTONIC), c0 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
      st = cs_pipeline_run(src, &o, &err);
      double wt = cs_clock_s(CLOCK_MONOTONIC) - w0, ct = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
      if (!(pass & 1)) cs = fmin(cs, ct);
      else { w = fmin(w, wt); c = fmin(c, ct); }
      cs_source_close(src);
    }
    if (st) { fprintf(stderr, "%s\n", err.msg); continue; }
    double dec = c - cs; /* the decode pass: second read of the file + GSM receivers */
    de->d_name[l - 11] = 0;
    printf("%-34s %6.2f %6d %8.3f %8.3f %8.3f %7.1f %9.1f %9.2f %6.1fx\n", de->d_name, dur, cells, w, c, dec,
           dur / c, cells ? dur * cells / dec : 0.0, gr, gr / c);
  }
  closedir(d);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("peak memory (max RSS): %.1f MB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
