/* bench/psd.c: throughput of the Welch PSD (dsp/psd.c) per core, beside plain FFTW execute of the
 * same segments (same size, same 50 % hop, same data), so the pipeline's own overhead shows.
 * Throughput is input samples per CPU-second of this thread, best of 3 runs.
 * Run on demand: build/bench/bench_psd [seconds-per-run]. Figures go to docs/performance.md. */
#include <complex.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "psd.h"

#define N_SAMPLES (1u << 21) /* 2 M samples = 16 MB: beyond the caches, like a replay block stream */

/* CPU time of this thread: "per core" figures that do not depend on what else the machine runs
 * (on a shared machine wall-clock time would count other processes' time slices) */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  double budget = argc > 1 ? atof(argv[1]) : 1.0;
  float complex *x = fftwf_malloc(sizeof *x * N_SAMPLES);
  if (!x) return 1;
  unsigned seed = 1;
  for (unsigned i = 0; i < N_SAMPLES; i++) {
    seed = seed * 1103515245u + 12345u;
    float re = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    seed = seed * 1103515245u + 12345u;
    float im = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    x[i] = 0.1f * (re + I * im);
  }
  printf("%-6s %14s %14s %9s\n", "nfft", "welch Msps", "fftw Msps", "overhead");
  for (unsigned nfft = 256; nfft <= 4096; nfft *= 2) {
    psd q = psd_create(nfft);
    float *bins = malloc(sizeof(float) * nfft);
    fftwf_complex *out = fftwf_malloc(sizeof(fftwf_complex) * nfft);
    fftwf_plan p = fftwf_plan_dft_1d((int)nfft, (fftwf_complex *)x, out, FFTW_FORWARD,
                                     FFTW_MEASURE | FFTW_PRESERVE_INPUT);
    double welch = 0, plain = 0;
    for (int run = 0; run < 3; run++) {
      /* Welch: feed the stream in 64 k blocks, as the pipeline does */
      double t0 = now(), t;
      unsigned long long samples = 0;
      do {
        for (unsigned i = 0; i < N_SAMPLES; i += 65536) psd_execute(q, x + i, 65536);
        samples += N_SAMPLES;
      } while ((t = now() - t0) < budget);
      psd_get(q, bins);
      if (samples / t / 1e6 > welch) welch = samples / t / 1e6;
      /* plain FFTW on the same segments: out-of-place execute at every hop (each segment start is
       * as aligned as x, since the hop is a multiple of 64 bytes), no window, no power */
      samples = 0;
      t0 = now();
      do {
        for (unsigned i = 0; i + nfft <= N_SAMPLES; i += nfft / 2) fftwf_execute_dft(p, (fftwf_complex *)(x + i), out);
        samples += N_SAMPLES;
      } while ((t = now() - t0) < budget);
      if (samples / t / 1e6 > plain) plain = samples / t / 1e6;
    }
    printf("%-6u %14.1f %14.1f %8.0f%%\n", nfft, welch, plain, 100.0 * (plain / welch - 1.0));
    fftwf_destroy_plan(p);
    fftwf_free(out);
    free(bins);
    psd_destroy(q);
  }
  fftwf_free(x);
  return 0;
}
