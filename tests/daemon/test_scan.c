/* test_scan.c: the scan planner against a fake radio (tests/daemon/fake_radio.h): band parsing,
 * step coverage of every channel, detection and dwell choice, per-step diagnostics that tell
 * noise from clipping, per-carrier LTE dwells, a device that vanishes mid-sweep and comes back,
 * overflow retakes, and stopping. */
#include "check.h"
#include "fake_radio.h"
#include "scan.h"

typedef struct {
  cs_scan_step steps[256];
  int n_steps, n_gaps, n_records;
  cs_scan_gap gap;
} obs;

static void on_step(void *ctx, const cs_scan_step *s) {
  obs *o = ctx;
  if (o->n_steps < 256) o->steps[o->n_steps++] = *s;
}
static void on_gap(void *ctx, const cs_scan_gap *g) {
  obs *o = ctx;
  o->n_gaps++;
  o->gap = *g;
}
static void on_record(void *ctx, const cs_cell_record *r) { ((obs *)ctx)->n_records++; }

static void bands(void) {
  cs_scan_band b[8];
  int n;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("egsm900,DCS1800,lte1,lte3", b, 8, &n, &err), CS_OK);
  CHECK_INT(n, 4);
  CHECK_STR(b[0].name, "egsm900");
  CHECK_INT(b[0].rat, CS_RAT_GSM);
  CHECK_NEAR(b[0].lo_hz, 925.1e6, 1);  /* ARFCN 975 = 925.2 MHz, minus half a channel */
  CHECK_NEAR(b[0].hi_hz, 959.9e6, 1);  /* ARFCN 124 = 959.8 MHz */
  CHECK_STR(b[1].name, "dcs1800");
  CHECK_NEAR(b[1].lo_hz, 1805.1e6, 1);
  CHECK_NEAR(b[1].hi_hz, 1879.9e6, 1);
  CHECK_INT(b[2].rat, CS_RAT_LTE);
  CHECK_INT(b[2].lte_band, 1);
  CHECK_NEAR(b[2].lo_hz, 2110e6, 1);
  CHECK_NEAR(b[2].hi_hz, 2170e6, 1);
  CHECK_NEAR(b[3].lo_hz, 1805e6, 1);
  CHECK_NEAR(b[3].hi_hz, 1880e6, 1);
  CHECK_INT(cs_scan_parse_bands("pgsm900 gsm850,pcs1900,lte40", b, 8, &n, &err), CS_OK);
  CHECK_INT(n, 4);
  CHECK_NEAR(b[0].lo_hz, 935.1e6, 1); /* P-GSM: ARFCN 1 = 935.2 MHz */
  CHECK_INT(b[3].tdd, 1);
  const char *bad[] = {"", "gsm", "lte", "lte999", "lte3x", "egsm900,foo", "umts2100"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK(cs_scan_parse_bands(bad[i], b, 8, &n, &err) == CS_ERR_INPUT, "'%s' accepted", bad[i]);
}

static cs_scan_opts base_opts(fake_radio *f, obs *o, cs_scan_band *b, int nb) {
  cs_scan_opts so;
  memset(&so, 0, sizeof so);
  so.device = "fake";
  so.open = fake_open;
  so.counters = fake_counters;
  so.open_ctx = f;
  so.bands = b;
  so.n_bands = nb;
  so.gain_db = NAN;
  so.detect_dwell_s = 0.005;
  so.gsm_dwell_s = 0.01;
  so.lte_dwell_s = 0.01;
  so.ctx = o;
  so.on_step = on_step;
  so.on_gap = on_gap;
  so.on_record = on_record;
  return so;
}

/* Every channel of the band lies whole in the usable span of some step. */
static void coverage(void) {
  fake_radio f;
  fake_init(&f);
  obs o = {0};
  cs_scan_band b[8];
  int nb;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("egsm900,dcs1800,lte1,gsm850", b, 8, &nb, &err), CS_OK);
  cs_scan_opts so = base_opts(&f, &o, b, nb);
  cs_scan *s;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_band_steps(s, &b[0]), 3); /* 34.8 MHz in 16 MHz usable steps, 200 kHz overlap */
  CHECK_INT(cs_scan_band_steps(s, &b[1]), 5);
  CHECK_INT(cs_scan_band_steps(s, &b[2]), 7); /* LTE: half-step overlap */
  for (int k = 0; k < 2; k++) {
    cs_gsm_band g = b[k].gsm_band;
    int r[4];
    cs_gsm_band_arfcns(g, &r[0], &r[1], &r[2], &r[3]);
    int uncovered = 0;
    for (int part = 0; part < 2; part++)
      for (int a = r[2 * part]; r[2 * part] >= 0 && a <= r[2 * part + 1]; a++) {
        double fc = cs_gsm_arfcn_to_dl_hz(g, a);
        int ok = 0;
        for (int i = 0; i < cs_scan_band_steps(s, &b[k]); i++)
          ok |= fabs(fc - cs_scan_step_center(s, &b[k], i)) + 100e3 <= 8e6 + 1;
        uncovered += !ok;
      }
    CHECK(uncovered == 0, "%s: %d channels outside every step", b[k].name, uncovered);
  }
  cs_scan_destroy(s);
}

/* Noise only, then a GSM tone: verdicts, noise floor, GSM dwell taken only where needed. */
static void diagnostics(void) {
  fake_radio f;
  fake_init(&f);
  f.n_tones = 1;
  f.tone_hz[0] = 947.0e6; /* ARFCN 60 */
  f.tone_amp = 0.05;
  obs o = {0};
  cs_scan_band b[2];
  int nb;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("egsm900", b, 2, &nb, &err), CS_OK);
  cs_scan_opts so = base_opts(&f, &o, b, nb);
  cs_scan *s;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK_INT(o.n_steps, 3);
  double want_noise = 10 * log10(2 * f.noise_rms * f.noise_rms * 200e3 / 20e6);
  int with_tone = 0;
  for (int i = 0; i < o.n_steps; i++) {
    cs_scan_step *st = &o.steps[i];
    CHECK_NEAR(st->noise_dbfs_200k, want_noise, 1.5);
    CHECK(st->clip_frac == 0, "clip %f", st->clip_frac);
    int covers = fabs(947.0e6 - st->center_hz) < 8e6;
    with_tone += covers;
    if (covers) {
      CHECK(st->gsm_occupied >= 1, "step %d: tone not seen", i);
      CHECK_STR(st->verdict, "carriers seen but none decoded (weak, or not GSM/LTE)");
    } else {
      CHECK_INT(st->gsm_occupied, 0);
      CHECK_STR(st->verdict, "no carrier above the noise floor: no network here");
    }
    CHECK_INT(st->lte_carriers, 0);
  }
  CHECK(with_tone >= 1, "no step covers the tone");
  /* tunes: one per detection step, one GSM dwell: two steps hold ARFCN 60 and the first dwell
   * decodes it for both */
  CHECK_INT(f.tunes, 4);
  CHECK_NEAR(f.tuned_hz[3], 942.5e6, 1);
  cs_scan_destroy(s);

  /* clipping */
  fake_init(&f);
  f.clip = 1;
  memset(&o, 0, sizeof o);
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK(o.n_steps == 3 && o.steps[0].clip_frac > 0.5, "clip frac %f", o.steps[0].clip_frac);
  CHECK_STR(o.steps[0].verdict, "clipping: lower the gain");
  cs_scan_destroy(s);

  /* dead quiet input (no antenna, gain at zero) */
  fake_init(&f);
  f.noise_rms = 1e-5;
  memset(&o, 0, sizeof o);
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK_STR(o.steps[0].verdict, "ADC level very low: check the antenna and the gain");
  cs_scan_destroy(s);
}

/* An LTE-like carrier in an LTE band gets its own centred dwell, once, though two overlapping
 * steps see it. */
static void lte_carrier(void) {
  fake_radio f;
  fake_init(&f);
  f.lte_hz = 1845.0e6;
  f.lte_subcarriers = 150; /* 2.25 MHz of subcarriers: a 15-PRB (3 MHz) carrier */
  f.lte_amp = 0.004;
  obs o = {0};
  cs_scan_band b[2];
  int nb;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("lte3", b, 2, &nb, &err), CS_OK);
  cs_scan_opts so = base_opts(&f, &o, b, nb);
  so.rate = 10e6;
  cs_scan *s;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  int steps = cs_scan_band_steps(s, &b[0]);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  int seen = 0;
  for (int i = 0; i < o.n_steps; i++) seen += o.steps[i].lte_carriers;
  CHECK(seen >= 1, "LTE carrier not detected in any step");
  int centred = 0;
  for (int i = 0; i < f.tunes; i++)
    if (fabs(f.tuned_hz[i] - 1845.0e6) < 1e3) {
      centred++;
      CHECK_NEAR(f.tuned_rate[i], 3.84e6, 1);
    }
  CHECK_INT(centred, 1);
  CHECK_INT(f.tunes, steps + 1);
  cs_scan_destroy(s);
}

/* The radio vanishes mid-sweep, is refused twice, comes back: the step is taken again, every
 * step is reported once, the gap is reported. Then overflows: the dwell is retaken. */
static void faults(void) {
  fake_radio f;
  fake_init(&f);
  f.fail_after_reads = 7;
  f.refuse_reopens = 2;
  obs o = {0};
  cs_scan_band b[2];
  int nb;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("dcs1800", b, 2, &nb, &err), CS_OK);
  cs_scan_opts so = base_opts(&f, &o, b, nb);
  cs_scan *s;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK_INT(o.n_steps, 5);
  for (int i = 0; i < o.n_steps; i++) CHECK_INT(o.steps[i].step, i);
  CHECK_INT(o.n_gaps, 1);
  CHECK_INT(cs_scan_gaps(s), 1);
  CHECK_INT(f.opens, 2);
  CHECK_INT(f.closes, 1);
  CHECK(o.gap.end_unix >= o.gap.start_unix && strstr(o.gap.reason, "unplugged"), "gap '%s'", o.gap.reason);
  cs_scan_destroy(s);

  /* reopen timeout: gone for good -> CS_ERR_ENV naming the device */
  fake_init(&f);
  f.fail_after_reads = 3;
  f.refuse_reopens = 1000000;
  memset(&o, 0, sizeof o);
  so.reopen_timeout_s = 0.5;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_ERR_ENV);
  CHECK(strstr(err.msg, "fake") != NULL, "message '%s'", err.msg);
  cs_scan_destroy(s);
  so.reopen_timeout_s = 0;

  fake_init(&f);
  f.overflow_every = 5;
  memset(&o, 0, sizeof o);
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK_INT(o.n_steps, 5);
  uint64_t ovf = 0;
  for (int i = 0; i < o.n_steps; i++) ovf += o.steps[i].overflows;
  CHECK(ovf > 0, "overflows not reported");
  CHECK_STR(o.steps[0].verdict, "device dropped samples: lower the rate or check USB");
  cs_scan_destroy(s);

  /* stop: nothing more after the flag */
  static volatile int stop = 1;
  fake_init(&f);
  memset(&o, 0, sizeof o);
  so.stop = &stop;
  CHECK_INT(cs_scan_create(&so, &s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(s, &err), CS_OK);
  CHECK_INT(o.n_steps, 0);
  cs_scan_destroy(s);
}

static cs_cell_record gsm(int arfcn, int bsic, const char *mcc, int lac, int ci, double p) {
  cs_cell_record r;
  cs_record_init(&r);
  r.rat = CS_RAT_GSM;
  r.arfcn = arfcn;
  r.bsic = bsic;
  if (mcc) { strcpy(r.plmn.mcc, mcc); strcpy(r.plmn.mnc, "01"); r.lac = lac; r.cell_id = ci; }
  r.power_dbfs = p;
  return r;
}

static void images(void) {
  cs_cell_record strong = gsm(33, 30, "001", 66, 10000, -15);
  cs_cell_record img = gsm(13, 30, "001", 66, 10000, -75);
  cs_cell_record sch_only = gsm(9, 30, NULL, 0, 0, -84);
  cs_cell_record other = gsm(50, 11, "001", 256, 2561, -80);  /* another cell, weak: real */
  cs_cell_record near = gsm(34, 30, "001", 66, 10000, -25);   /* only 10 dB weaker: kept */
  cs_cell_record other_bsic = gsm(47, 41, NULL, 0, 0, -85);
  CHECK_INT(cs_scan_gsm_image(&img, &strong), 1);
  CHECK_INT(cs_scan_gsm_image(&sch_only, &strong), 1);
  CHECK_INT(cs_scan_gsm_image(&strong, &img), 0);
  CHECK_INT(cs_scan_gsm_image(&other, &strong), 0);
  CHECK_INT(cs_scan_gsm_image(&near, &strong), 0);
  CHECK_INT(cs_scan_gsm_image(&other_bsic, &strong), 0);
  CHECK_INT(cs_scan_gsm_image(&strong, &strong), 0);
}

int main(void) {
  images();
  bands();
  coverage();
  diagnostics();
  lte_carrier();
  faults();
  return check_done();
}
