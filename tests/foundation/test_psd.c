/* test_psd.c: Welch PSD normalisation (Parseval), tone location, band power and noise floor (its
 * 2nd percentile is the sorted bins' value, whatever their order and ties). */
#include <complex.h>

#include "check.h"
#include "psd.h"

static unsigned rng_state = 12345;
static double gauss(void) {
  double u1, u2;
  do { rng_state = rng_state * 1103515245u + 12345u; u1 = (rng_state >> 8) / 16777216.0; } while (u1 <= 0);
  rng_state = rng_state * 1103515245u + 12345u; u2 = (rng_state >> 8) / 16777216.0;
  return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* The noise floor is (2nd percentile) x (a factor of num_averages only): against all-ones bins the
 * ratio is the percentile itself, which must be the sorted bins' value at nfft / 50. */
static void check_percentile(unsigned nfft, int ties, int order) {
  float *bins = malloc(sizeof(float) * nfft), *sorted = malloc(sizeof(float) * nfft);
  float *ones = malloc(sizeof(float) * nfft), *scratch = malloc(sizeof(float) * (nfft / 50 + 1));
  for (unsigned i = 0; i < nfft; i++) {
    double g = gauss();
    bins[i] = ties ? (float)floor(4 * fabs(g)) : (float)(g * g);
    ones[i] = 1.0f;
  }
  if (order) qsort(bins, nfft, sizeof(float), cmp_float);
  if (order < 0)
    for (unsigned i = 0; i < nfft / 2; i++) { float t = bins[i]; bins[i] = bins[nfft - 1 - i]; bins[nfft - 1 - i] = t; }
  memcpy(sorted, bins, sizeof(float) * nfft);
  qsort(sorted, nfft, sizeof(float), cmp_float);
  double p2 = psd_noise_floor(bins, nfft, 37, scratch) / psd_noise_floor(ones, nfft, 37, scratch);
  CHECK_NEAR(p2, sorted[nfft / 50], 1e-12 * sorted[nfft / 50]);
  free(bins); free(sorted); free(ones); free(scratch);
}

int main(void) {
  for (unsigned nfft = 64; nfft <= 65536; nfft *= 8)
    for (int ties = 0; ties < 2; ties++)
      for (int order = -1; order <= 1; order++) check_percentile(nfft, ties, order);
  const unsigned nfft = 1024, n = 1 << 18;
  const double fs = 1e6;
  float complex *x = malloc(sizeof *x * n);
  /* tone at +125 kHz, amplitude 0.5 (-6.02 dBFS), plus noise at -40 dBFS total */
  double sigma = sqrt(1e-4 / 2);
  for (unsigned i = 0; i < n; i++)
    x[i] = 0.5f * cexpf(I * 2 * M_PI * 125e3 / fs * i) + (float)(sigma * gauss()) + I * (float)(sigma * gauss());
  psd q = psd_create(nfft);
  /* feed in odd-sized pieces to exercise the carry-over */
  for (unsigned i = 0; i < n; i += 777) psd_execute(q, x + i, i + 777 <= n ? 777 : n - i);
  float *bins = malloc(sizeof(float) * nfft);
  psd_get(q, bins);
  CHECK(psd_num_averages(q) >= 2 * n / nfft - 2, "averages %u", psd_num_averages(q));
  double total = psd_band_power(bins, nfft, fs, -fs / 2, fs / 2);
  CHECK_NEAR(10 * log10(total), 10 * log10(0.25 + 1e-4), 0.05);
  double tone = psd_band_power(bins, nfft, fs, 125e3 - 5e3, 125e3 + 5e3);
  CHECK_NEAR(10 * log10(tone), -6.02, 0.05);
  float *scratch = malloc(sizeof(float) * nfft);
  double floor_bin = psd_noise_floor(bins, nfft, psd_num_averages(q), scratch);
  free(scratch);
  CHECK_NEAR(10 * log10(floor_bin * nfft), -40.0, 0.5);
  double empty = psd_band_power(bins, nfft, fs, -300e3, -100e3);
  CHECK_NEAR(10 * log10(empty), -40.0 + 10 * log10(0.2), 0.5);
  CHECK(psd_create(1000) == NULL, "non power of two accepted");
  psd_destroy(q);
  free(bins);
  free(x);
  return check_done();
}
