/* bench/lte.c: LTE receive chain cost per capture: wall and CPU time, seconds per second of
 * signal (and x real time), peak memory, cells found from the whole file and from its first
 * 100 ms; then the same capture repeated to 1 s of signal (a "1 s copy", as srsRAN's figures were
 * taken on 1 s copies of the same scenarios): its CPU time and peak memory beside srsRAN 4G's
 * pdsch_ue figures from the captures' README, and their ratio. Each figure is the best of REPEAT
 * runs, each in its own child process (so its peak memory is its own); CPU time is the child's
 * CPU clock across the decode. Run on demand:
 *   build/bench/bench_lte [DIR]      (default ../shared/captures/lte) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cellsurvey/clock.h"
#include "cellsurvey/sigmf.h"
#include "pipeline.h"

#define REPEAT 9        /* runs of each, in their own processes: the least time, the largest peak */
#define MAX_CAPTURES 128

/* A source over a capture: it ends after `limit` samples (the first 100 ms) or, when the capture
 * is shorter than `limit`, starts it again from its first sample until `limit` (a 1 s copy: the
 * shared synthetic captures are whole frames long, so the frame timing carries on across each
 * join; the SFN and the noise repeat). */
typedef struct {
  cs_source *in;
  uint64_t file_len, limit, pos;
} shaped;

static cs_status shaped_read(void *self, float complex *out, size_t max, size_t *n,
                             cs_block_info *info, cs_err *err) {
  shaped *c = self;
  *n = 0;
  if (c->pos >= c->limit) return CS_OK;
  uint64_t in_file = c->pos % c->file_len;
  if (in_file == 0 && c->pos > 0 && c->in->ops->seek(c->in->self, 0, err)) return CS_ERR_INPUT;
  if (max > c->limit - c->pos) max = (size_t)(c->limit - c->pos);
  if (max > c->file_len - in_file) max = (size_t)(c->file_len - in_file);
  cs_status st = cs_source_read(c->in, out, max, n, info, err);
  info->sample_index = c->pos;
  info->segment_start = 0;
  info->segment_samples = c->limit;
  c->pos += *n;
  return st;
}

static cs_status shaped_seek(void *self, uint64_t idx, cs_err *err) {
  shaped *c = self;
  c->pos = idx;
  return c->in->ops->seek(c->in->self, idx % c->file_len, err);
}

static void count_cell(void *ctx, const cs_cell_record *r) {
  if (r->rat == CS_RAT_LTE) ++*(int *)ctx;
}

/* Decode one capture over its first limit_s seconds (0: the whole file), repeated up to limit_s
 * when `repeat`; returns cells or -1, the seconds of signal decoded in *signal_s. */
static int run(const char *path, double limit_s, int repeat, double *signal_s) {
  cs_err err = {{0}};
  cs_source *src;
  const cs_sigmf_meta *meta;
  if (cs_sigmf_open(path, &src, &meta, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
  shaped sh = {src, meta->num_samples, meta->num_samples, 0};
  if (limit_s > 0) sh.limit = (uint64_t)(limit_s * meta->sample_rate);
  if (!repeat && sh.limit > sh.file_len) sh.limit = sh.file_len;
  *signal_s = sh.limit / meta->sample_rate;
  static const struct cs_source_ops ops = {shaped_read, NULL, shaped_seek, NULL};
  cs_source wrapped = {&ops, &sh, ""};
  int cells = 0;
  cs_pipeline_opts o = {0};
  o.decode_lte = 1;
  o.on_record = count_cell;
  o.ctx = &cells;
  cs_status st = meta->num_samples ? cs_pipeline_run(&wrapped, &o, &err) : CS_OK;
  cs_source_close(src);
  if (st) { fprintf(stderr, "%s\n", err.msg); return -1; }
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

/* One run in its own child process (so its peak memory is its own): the capture as it is (and
 * then its first 100 ms, on the first round) or its 1 s copy. */
typedef struct {
  int cells, cells100;
  double signal_s, wall, cpu, peak_mb;
} one_run;

static int child_run(const char *path, int copy, int with100, one_run *o) {
  int fds[2];
  if (pipe(fds)) return -1;
  pid_t pid = fork();
  if (pid < 0) { close(fds[0]); close(fds[1]); return -1; }
  if (pid == 0) {
    close(fds[0]);
    double s0 = 0, s100 = 0;
    double t0 = cs_clock_s(CLOCK_MONOTONIC), c0 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
    int c = run(path, copy ? 1.0 : 0, copy, &s0);
    double w = cs_clock_s(CLOCK_MONOTONIC) - t0, cp = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    int c100 = with100 ? run(path, 0.1, 0, &s100) : 0;
    char msg[256];
    int len = snprintf(msg, sizeof msg, "%d %d %.4f %.4f %.4f", c, c100, s0, w, cp);
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
  *o = (one_run){-1, -1, 0, 0, 0, ru.ru_maxrss / 1024.0};
  if (got > 0) sscanf(msg, "%d %d %lf %lf %lf", &o->cells, &o->cells100, &o->signal_s, &o->wall, &o->cpu);
  return 0;
}

/* The least time and the largest peak of the runs so far (first: the first run). */
static void keep_best(one_run *best, const one_run *o, int first) {
  if (first) { *best = *o; return; }
  if (o->wall < best->wall) best->wall = o->wall;
  if (o->cpu < best->cpu) best->cpu = o->cpu;
  if (o->peak_mb > best->peak_mb) best->peak_mb = o->peak_mb;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/captures/lte";
  DIR *d = opendir(dir);
  if (!d) { fprintf(stderr, "bench_lte: cannot open %s\n", dir); return 1; }
  static char names[MAX_CAPTURES][256];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < MAX_CAPTURES) {
    size_t l = strlen(e->d_name);
    if (l > 11 && !strcmp(e->d_name + l - 11, ".sigmf-meta")) {
      snprintf(names[n], 256, "%.*s", (int)(l - 11), e->d_name);
      n++;
    }
  }
  closedir(d);
  qsort(names, (size_t)n, 256, (int (*)(const void *, const void *))strcmp);
  static one_run file[MAX_CAPTURES], copy[MAX_CAPTURES];
  static char srs[MAX_CAPTURES][64];
  /* the repeats go round all the captures, so a slow spell of this shared machine touches every
   * capture a little rather than one capture entirely */
  for (int rep = 0; rep < REPEAT; rep++)
    for (int i = 0; i < n; i++) {
      char path[4400];
      snprintf(path, sizeof path, "%.4000s/%.256s.sigmf-meta", dir, names[i]);
      if (!rep) srsran_figure(dir, names[i], srs[i], sizeof srs[i]);
      one_run o;
      if (child_run(path, 0, !rep, &o)) return 1;
      keep_best(&file[i], &o, !rep);
      /* the 1 s copy where srsRAN has a figure to compare with (the shared synthetic captures:
       * no sample-clock drift across the joins, which a real recording's copy would have) */
      if (atof(srs[i]) > 0) {
        if (child_run(path, 1, 0, &o)) return 1;
        keep_best(&copy[i], &o, !rep);
      }
    }
  printf("| capture | signal s | cells | cells in first 100 ms | wall s | CPU s | CPU s per s of signal "
         "| x real time | peak MB | 1 s copy: cells | 1 s copy: CPU s | 1 s copy: peak MB "
         "| srsRAN pdsch_ue (1 s copy) | srsRAN time / ours (1 s) |\n");
  printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < n; i++) {
    const one_run *f = &file[i], *c = &copy[i];
    double srs_s = atof(srs[i]);
    char ratio[16] = "-", copy1[64] = "- | - | -";
    if (srs_s > 0 && c->cpu > 0) snprintf(ratio, sizeof ratio, "%.1f", srs_s / c->cpu);
    if (srs_s > 0) snprintf(copy1, sizeof copy1, "%d | %.3f | %.1f", c->cells, c->cpu, c->peak_mb);
    printf("| %s | %.3f | %d | %d | %.3f | %.3f | %.2f | %.1f | %.1f | %s | %s | %s |\n", names[i],
           f->signal_s, f->cells, f->cells100, f->wall, f->cpu, f->signal_s > 0 ? f->cpu / f->signal_s : 0,
           f->wall > 0 ? f->signal_s / f->wall : 0, f->peak_mb, copy1, srs[i], ratio);
  }
  return 0;
}
