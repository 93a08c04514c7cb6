/* bench/sigmf.c: SigMF reader throughput per datatype (samples per CPU-second converted to
 * complex float), on a file written by the SigMF writer into $TMPDIR (the page cache, so the
 * figure is the conversion, not the disk). Run on demand: build/bench/bench_sigmf. */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cellsurvey/sigmf.h"

#define N (1u << 22)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  static const char *types[] = {"ci16_le", "cf32_le", "ci8", "cu8", "ci16_be", "cf64_le"};
  float complex *x = malloc(sizeof *x * 65536);
  if (!x) return 1;
  for (int i = 0; i < 65536; i++) x[i] = 0.3f * cexpf(I * 0.01f * i);
  printf("%-8s %12s\n", "datatype", "Msps/core");
  for (unsigned t = 0; t < sizeof types / sizeof *types; t++) {
    char base[512];
    snprintf(base, sizeof base, "%s/bench_sigmf_%d", tmp, (int)getpid());
    cs_err err = {{0}};
    cs_sigmf_writer *w;
    if (cs_sigmf_writer_create(base, types[t], 1e6, NULL, NULL, &w, &err) ||
        cs_sigmf_writer_segment(w, 947e6, NAN, NAN, NAN, NAN, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    for (unsigned i = 0; i < N / 65536; i++) cs_sigmf_writer_write(w, x, 65536, &err);
    if (cs_sigmf_writer_close(w, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double best = 0;
    for (int run = 0; run < 3; run++) {
      cs_source *src;
      if (cs_sigmf_open(base, &src, NULL, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
      size_t n, total = 0;
      cs_block_info info;
      double t0 = now();
      while (cs_source_read(src, x, 65536, &n, &info, &err) == CS_OK && n > 0) total += n;
      double msps = total / (now() - t0) / 1e6;
      if (msps > best) best = msps;
      cs_source_close(src);
      for (int i = 0; i < 65536; i++) x[i] = 0.3f * cexpf(I * 0.01f * i);
    }
    printf("%-8s %12.1f\n", types[t], best);
    char p[600];
    snprintf(p, sizeof p, "%s.sigmf-data", base); unlink(p);
    snprintf(p, sizeof p, "%s.sigmf-meta", base); unlink(p);
  }
  free(x);
  return 0;
}
