/* test_raster_synth.c: channel power and occupancy on a generated two-segment recording (a retune
 * from GSM900 to DCS1800 mid-file), written with the SigMF writer and read back through the
 * pipeline: each segment gets its own band, the carrier channel is occupied with its exact power,
 * its neighbours are not, and a flat 5 MHz "LTE" block is found as a 25 PRB carrier. */
#include <complex.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"
#include "raster.h"

#define FS 7.68e6
#define N 400000 /* 52 ms per segment */

typedef struct {
  cs_channel gsm[2][64], lte[2][8];
  int n_gsm[2], n_lte[2];
  double centre[2];
} result;

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  result *r = ctx;
  if (s->segment > 1) return;
  r->centre[s->segment] = s->center_hz;
  r->n_gsm[s->segment] = cs_raster_gsm(s, CS_GSM_NONE, 0, r->gsm[s->segment], 64);
  r->n_lte[s->segment] = cs_raster_lte(s, 0, 0, r->lte[s->segment], 8, NULL);
}

static unsigned rng = 12345;
static float gauss(void) { /* Box-Muller from an LCG: reproducible noise */
  rng = rng * 1664525u + 1013904223u;
  float u1 = ((rng >> 8) + 1.0f) / 16777217.0f;
  rng = rng * 1664525u + 1013904223u;
  float u2 = (rng >> 8) / 16777216.0f;
  return sqrtf(-2.0f * logf(u1)) * cosf(2.0f * (float)M_PI * u2);
}

static const cs_channel *find(const cs_channel *rows, int n, int arfcn) {
  for (int i = 0; i < n; i++)
    if (rows[i].channel == arfcn) return &rows[i];
  return NULL;
}

int main(void) {
  char base[4200];
  snprintf(base, sizeof base, "%s/synth_retune", check_tmp_dir());
  cs_err err = {{0}};
  cs_sigmf_writer *w;
  CHECK(cs_sigmf_writer_create(base, "ci16_le", FS, "synthetic retune", NULL, &w, &err) == CS_OK, "%s", err.msg);
  if (!w) return check_done();
  static float complex x[N];
  const double noise_dbfs = -60.0; /* total over the 7.68 MHz */
  const float sigma = (float)sqrt(pow(10, noise_dbfs / 10) / 2);
  /* segment 0: 947.0 MHz; a carrier of 5 tones (20 kHz apart) on ARFCN 62 (947.4 MHz), -30 dBFS */
  CHECK(cs_sigmf_writer_segment(w, 947.0e6, 1.8e9, -1.28, 36.82, NAN, &err) == CS_OK, "%s", err.msg);
  const double carrier_dbfs = -30.0;
  const float a_tone = (float)sqrt(pow(10, carrier_dbfs / 10) / 5);
  for (int i = 0; i < N; i++) {
    float complex v = sigma * (gauss() + I * gauss());
    for (int k = -2; k <= 2; k++) v += a_tone * cexpf(I * (float)(2 * M_PI * (400e3 + k * 20e3) / FS * i + k));
    x[i] = v;
  }
  CHECK(cs_sigmf_writer_write(w, x, N, &err) == CS_OK, "%s", err.msg);
  /* segment 1: 1845.0 MHz; a flat 25-PRB block (300 subcarriers 15 kHz apart around an unused DC) at
   * -25 dBFS; no GSM carrier */
  CHECK(cs_sigmf_writer_segment(w, 1845.0e6, 1.8e9 + 1, NAN, NAN, NAN, &err) == CS_OK, "%s", err.msg);
  const double lte_dbfs = -25.0;
  const int nsc = 300;
  const float a_sc = (float)sqrt(pow(10, lte_dbfs / 10) / nsc);
  static float phase[300];
  for (int k = 0; k < nsc; k++) phase[k] = (float)(k * k * 0.37);
  for (int i = 0; i < N; i++) x[i] = sigma * (gauss() + I * gauss());
  for (int k = 0; k < nsc; k++) { /* subcarriers at +-15 kHz * (1..150), DC unused */
    int m = k < 150 ? k - 150 : k - 149;
    double dphi = 2 * M_PI * m * 15e3 / FS;
    float complex rot = cexpf(I * (float)dphi), p = a_sc * cexpf(I * phase[k]);
    for (int i = 0; i < N; i++) {
      x[i] += p;
      p *= rot;
      if ((i & 1023) == 1023) p = a_sc * cexpf(I * (float)fmod(phase[k] + dphi * (i + 1), 2 * M_PI)); /* no drift */
    }
  }
  CHECK(cs_sigmf_writer_write(w, x, N, &err) == CS_OK, "%s", err.msg);
  CHECK(cs_sigmf_writer_close(w, &err) == CS_OK, "%s", err.msg);

  cs_source *src;
  CHECK(cs_sigmf_open(base, &src, NULL, &err) == CS_OK, "%s", err.msg);
  if (!src) return check_done();
  result r = {0};
  cs_pipeline_opts po = {0};
  po.on_spectrum = on_spectrum;
  po.ctx = &r;
  CHECK(cs_pipeline_run(src, &po, &err) == CS_OK, "%s", err.msg);
  cs_source_close(src);

  /* segment 0: GSM900, ARFCN 62 occupied at -30 dBFS, neighbours and the rest empty */
  CHECK_NEAR(r.centre[0], 947.0e6, 1);
  CHECK(r.n_gsm[0] == 33, "segment 0: %d GSM channels in the usable 6.9 MHz, want 33", r.n_gsm[0]);
  const cs_channel *c = find(r.gsm[0], r.n_gsm[0] < 64 ? r.n_gsm[0] : 64, 62);
  CHECK(c != NULL, "ARFCN 62 not reported");
  if (c) {
    CHECK_STR(c->band, "GSM900");
    CHECK(c->occupied, "ARFCN 62 not occupied");
    CHECK_NEAR(c->power_dbfs, carrier_dbfs, 0.3);
    CHECK_NEAR(c->noise_dbfs, noise_dbfs + 10 * log10(200e3 / FS), 0.5);
  }
  int occupied = 0;
  for (int i = 0; i < r.n_gsm[0] && i < 64; i++) occupied += r.gsm[0][i].occupied;
  CHECK_INT(occupied, 1);
  CHECK_INT(r.n_lte[0], 0);
  /* segment 1: DCS1800 band, one 25 PRB LTE carrier at 1845.0 MHz (band 3, EARFCN 1600) */
  CHECK_NEAR(r.centre[1], 1845.0e6, 1);
  CHECK(r.n_gsm[1] > 0 && !strcmp(r.gsm[1][0].band, "DCS1800"), "segment 1 is not in DCS1800");
  CHECK_INT(r.n_lte[1], 1);
  if (r.n_lte[1] >= 1) {
    CHECK_INT(r.lte[1][0].n_prb, 25);
    CHECK_INT(r.lte[1][0].channel, 1600);
    CHECK_STR(r.lte[1][0].band, "3");
    CHECK_NEAR(r.lte[1][0].power_dbfs, lte_dbfs, 0.5);
  }
  return check_done();
}
