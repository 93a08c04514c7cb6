/* live_util.h: helpers for the live-radio tests: synthetic tone scenes for the simulated device
 * and tone/band power measurement with the project's Welch PSD. */
#ifndef CS_TEST_LIVE_UTIL_H
#define CS_TEST_LIVE_UTIL_H

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellsurvey/soapy.h"
#include "psd.h"

/* Write base.sigmf-data/-meta (cf32_le) holding n samples of a tone of amplitude amp at offset
 * tone_hz from centre fc (a whole number of cycles so the loop is seamless). */
static inline int write_tone_capture(const char *base, double fc, double rate, double tone_hz,
                                     double amp, size_t n) {
  char path[4096];
  snprintf(path, sizeof path, "%s.sigmf-data", base);
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  for (size_t i = 0; i < n; i++) {
    double ph = 2 * M_PI * tone_hz * (double)i / rate;
    float iq[2] = {(float)(amp * cos(ph)), (float)(amp * sin(ph))};
    fwrite(iq, sizeof iq, 1, f);
  }
  fclose(f);
  snprintf(path, sizeof path, "%s.sigmf-meta", base);
  f = fopen(path, "w");
  if (!f) return -1;
  char freq[64] = "";
  if (fc > 0) snprintf(freq, sizeof freq, ", \"core:frequency\": %.1f", fc);
  fprintf(f,
          "{\"global\": {\"core:datatype\": \"cf32_le\", \"core:sample_rate\": %.1f, "
          "\"core:version\": \"1.0.0\"},\n \"captures\": [{\"core:sample_start\": 0%s}],\n "
          "\"annotations\": []}\n",
          rate, freq);
  fclose(f);
  return 0;
}

/* A scene directory under the test's tmp dir with two tones:
 *   900 MHz capture at 1 Msps, tone at +100 kHz, -20 dBFS;
 *   1800 MHz capture at 2 Msps, tone at -300 kHz, -26 dBFS;
 *   a capture without core:frequency (skipped by the simulator). */
static inline const char *make_tone_scene(const char *tmp, const char *name) {
  static char dir[4096];
  char base[4200];
  snprintf(dir, sizeof dir, "%s/%s", tmp, name);
  mkdir(dir, 0755);
  snprintf(base, sizeof base, "%s/tone900", dir);
  if (write_tone_capture(base, 900e6, 1e6, 100e3, 0.1, 100000)) return NULL;
  snprintf(base, sizeof base, "%s/tone1800", dir);
  if (write_tone_capture(base, 1800e6, 2e6, -300e3, 0.05, 200000)) return NULL;
  /* a capture without core:frequency cannot be placed: the simulator skips it */
  snprintf(base, sizeof base, "%s/nofreq", dir);
  if (write_tone_capture(base, 0, 1e6, 0, 0.5, 1000)) return NULL;
  return dir;
}

/* Read n samples (one segment) from src into x. Returns samples read. */
static inline size_t read_n(cs_source *src, float complex *x, size_t n, cs_block_info *first,
                            cs_status *st, cs_err *err) {
  size_t got = 0;
  *st = CS_OK;
  while (got < n) {
    size_t k = 0;
    cs_block_info info;
    *st = cs_source_read(src, x + got, n - got, &k, &info, err);
    if (*st != CS_OK || k == 0) break;
    if (got == 0 && first) *first = info;
    got += k;
  }
  return got;
}

/* Power (dBFS) in [f_lo, f_hi] Hz from centre, and the frequency of the strongest bin. */
static inline double band_dbfs(const float complex *x, size_t n, double rate, double f_lo,
                               double f_hi, double *peak_hz) {
  unsigned nfft = 4096;
  psd q = psd_create(nfft);
  psd_execute(q, x, n);
  float *bins = malloc(nfft * sizeof *bins);
  psd_get(q, bins);
  unsigned best = 0;
  for (unsigned i = 0; i < nfft; i++)
    if (bins[i] > bins[best]) best = i;
  if (peak_hz) *peak_hz = ((double)best - nfft / 2.0) * rate / nfft;
  double p = psd_band_power(bins, nfft, rate, f_lo, f_hi);
  free(bins);
  psd_destroy(q);
  return 10 * log10(p + 1e-30);
}

static inline double mean_dbfs(const float complex *x, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += crealf(x[i]) * crealf(x[i]) + cimagf(x[i]) * cimagf(x[i]);
  return 10 * log10(s / (double)n + 1e-30);
}

#endif
