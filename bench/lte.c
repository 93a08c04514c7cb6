/* bench/lte.c: LTE receive chain cost per capture: wall and CPU time, seconds per second of
 * signal (and x real time), peak memory (each capture runs in its own child process), cells found
 * from the whole file and from its first 100 ms, beside srsRAN 4G's pdsch_ue figures from the
 * captures' README. Run on demand:
 *   build/bench/bench_lte [DIR]      (default ../shared/captures/lte) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cellsurvey/sigmf.h"
#include "pipeline.h"

/* a source that ends after `limit` samples (the first 100 ms) */
typedef struct {
  cs_source *in;
  uint64_t limit, pos;
} capped;

static cs_status capped_read(void *self, float complex *out, size_t max, size_t *n,
                             cs_block_info *info, cs_err *err) {
  capped *c = self;
  if (c->pos >= c->limit) { *n = 0; return CS_OK; }
  if (max > c->limit - c->pos) max = (size_t)(c->limit - c->pos);
  cs_status st = cs_source_read(c->in, out, max, n, info, err);
  c->pos += *n;
  return st;
}

static cs_status capped_seek(void *self, uint64_t idx, cs_err *err) {
  capped *c = self;
  c->pos = idx;
  return c->in->ops->seek(c->in->self, idx, err);
}

static void count_cell(void *ctx, const cs_cell_record *r) {
  if (r->rat == CS_RAT_LTE) ++*(int *)ctx;
}

/* Decode one capture (optionally only its first limit_s seconds); returns cells or -1. */
static int run(const char *path, double limit_s, double *signal_s) {
  cs_err err = {{0}};
  cs_source *src;
  const cs_sigmf_meta *meta;
  if (cs_sigmf_open(path, &src, &meta, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
  *signal_s = meta->num_samples / meta->sample_rate;
  capped cap = {src, limit_s > 0 ? (uint64_t)(limit_s * meta->sample_rate) : UINT64_MAX, 0};
  static const struct cs_source_ops ops = {capped_read, NULL, capped_seek, NULL};
  cs_source wrapped = {&ops, &cap, ""};
  int cells = 0;
  cs_pipeline_opts o = {0};
  o.decode_lte = 1;
  o.on_record = count_cell;
  o.ctx = &cells;
  cs_status st = cs_pipeline_run(&wrapped, &o, &err);
  cs_source_close(src);
  if (st) { fprintf(stderr, "%s\n", err.msg); return -1; }
  if (limit_s > 0 && *signal_s > limit_s) *signal_s = limit_s;
  return cells;
}

/* srsRAN's pdsch_ue time column for a capture, from the README table */
static void srsran_figure(const char *dir, const char *base, char *out, size_t cap) {
  snprintf(out, cap, "-");
  char path[4400], line[4096], key[300];
  snprintf(path, sizeof path, "%.4000s/README.md", dir);
  snprintf(key, sizeof key, "| %.256s |", base);
  FILE *f = fopen(path, "r");
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, strlen(key)) != 0 || !strstr(line, "(user")) continue;
    char *col = line;
    for (int i = 0; i < 4 && col; i++) col = strchr(col + 1, '|');
    if (!col) continue;
    char *end = strchr(col + 1, '|');
    if (end) *end = '\0';
    while (*++col == ' ') {}
    snprintf(out, cap, "%.60s", col);
    size_t l = strlen(out);
    while (l && out[l - 1] == ' ') out[--l] = '\0';
  }
  fclose(f);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/captures/lte";
  DIR *d = opendir(dir);
  if (!d) { fprintf(stderr, "bench_lte: cannot open %s\n", dir); return 1; }
  static char names[128][256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 128) {
    size_t l = strlen(e->d_name);
    if (l > 11 && !strcmp(e->d_name + l - 11, ".sigmf-meta")) {
      snprintf(names[n], 256, "%.*s", (int)(l - 11), e->d_name);
      n++;
    }
  }
  closedir(d);
  qsort(names, (size_t)n, 256, (int (*)(const void *, const void *))strcmp);
  printf("| capture | signal s | cells | cells in first 100 ms | wall s | CPU s | CPU s per s of signal | x real time | peak MB | srsRAN pdsch_ue (1 s copy) |\n");
  printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < n; i++) {
    char path[4400];
    snprintf(path, sizeof path, "%.4000s/%.256s.sigmf-meta", dir, names[i]);
    int fds[2];
    if (pipe(fds)) return 1;
    pid_t pid = fork();
    if (pid == 0) { /* child: one capture, so its peak memory is its own */
      close(fds[0]);
      double sig = 0, sig100 = 0;
      struct timespec t0, t1;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      int cells = run(path, 0, &sig);
      clock_gettime(CLOCK_MONOTONIC, &t1);
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
                   ru.ru_stime.tv_usec * 1e-6;
      int cells100 = run(path, 0.1, &sig100);
      double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
      char msg[256];
      int len = snprintf(msg, sizeof msg, "%d %d %.4f %.4f %.4f", cells, cells100, sig, wall, cpu);
      if (write(fds[1], msg, (size_t)len) < 0) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    char msg[256] = {0};
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    int cells = -1, cells100 = -1;
    double sig = 0, wall = 0, cpu = 0;
    if (got > 0) sscanf(msg, "%d %d %lf %lf %lf", &cells, &cells100, &sig, &wall, &cpu);
    char srs[64];
    srsran_figure(dir, names[i], srs, sizeof srs);
    printf("| %s | %.3f | %d | %d | %.3f | %.3f | %.2f | %.1f | %.1f | %s |\n", names[i], sig, cells,
           cells100, wall, cpu, sig > 0 ? cpu / sig : 0, wall > 0 ? sig / wall : 0,
           ru.ru_maxrss / 1024.0, srs);
    fflush(stdout);
  }
  return 0;
}
