/* bench/sim.c: throughput of the simulated SDR (hw/sim) read through hw/soapy.c, in samples per
 * CPU-second of this process (per core, independent of other load), best of 3 runs.
 *
 * usage: SOAPY_SDR_PLUGIN_PATH=build/hw/sim build/bench/bench_sim [SCENE_DIR] [seconds-per-run]
 * SCENE_DIR defaults to the bundled captures/ (GSM at 952 and 953.6 MHz, LTE 1.4 MHz at 739 MHz). */
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cellsurvey/soapy.h"

static float complex buf[1 << 16];

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Msps per CPU-second reading `seconds` of stream at (f, rate). */
static double run(const char *args, double f, double rate, double seconds) {
  cs_source *s;
  cs_err err;
  if (cs_soapy_open(args, NULL, &s, &err) != CS_OK) {
    fprintf(stderr, "bench_sim: %s\n", err.msg);
    exit(1);
  }
  double best = 0;
  for (int r = 0; r < 3; r++) {
    if (s->ops->tune(s->self, f, rate, 0, NAN, &err) != CS_OK) {
      fprintf(stderr, "bench_sim: %s\n", err.msg);
      exit(1);
    }
    double t0 = cpu_s(), total = 0;
    while (total < seconds * rate) {
      size_t n;
      cs_block_info bi;
      if (cs_source_read(s, buf, sizeof buf / sizeof *buf, &n, &bi, &err) != CS_OK) {
        fprintf(stderr, "bench_sim: %s\n", err.msg);
        exit(1);
      }
      total += (double)n;
    }
    double v = total / (cpu_s() - t0) / 1e6;
    if (v > best) best = v;
  }
  cs_source_close(s);
  return best;
}

int main(int argc, char **argv) {
  const char *scene = argc > 1 ? argv[1] : "captures";
  double secs = argc > 2 ? atof(argv[2]) : 0.5;
  char args[4200];
  snprintf(args, sizeof args, "driver=cellsurvey-sim,scene=%s", scene);
  static const struct {
    const char *what;
    double f, rate;
  } cases[] = {
      {"GSM900 step, 20 Msps at 950 MHz", 950e6, 20e6},
      {"GSM900 step, 5 Msps at 954 MHz", 954e6, 5e6},
      {"LTE 1.4 MHz carrier, 1.92 Msps at 739 MHz", 739e6, 1.92e6},
      {"empty band, 20 Msps at 2.4 GHz (noise only)", 2.4e9, 20e6},
      {"empty band, 61.44 Msps at 2.4 GHz (noise only)", 2.4e9, 61.44e6},
  };
  printf("scene %s, %.2f s of stream per run, best of 3\n", scene, secs);
  printf("| case | Msps per CPU-second |\n|---|---:|\n");
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    printf("| %s | %.1f |\n", cases[i].what, run(args, cases[i].f, cases[i].rate, secs));
  return 0;
}
