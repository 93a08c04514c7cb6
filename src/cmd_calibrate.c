/* cmd_calibrate.c: `cellsurvey calibrate`: measure a radio's oscillator error from a strong GSM
 * or LTE cell (the decoders' carrier offset: FCCH for GSM, PSS/SSS for LTE), or its dBFS-to-dBm
 * offset from a known signal level, and store it per device serial (calibration.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/calibration.h"
#include "cellsurvey/memsource.h"
#include "cellsurvey/soapy.h"
#include "commands.h"
#include "pipeline.h"
#include "psd.h"

static const char usage[] =
    "usage: cellsurvey calibrate --device ARGS --freq F [--rate R] [--duration S] [--gain G]\n"
    "                            [--known-dbm P [--known-bw B]] [--store FILE] [--json]\n"
    "\n"
    "Oscillator error: tune to F (Hz) where a strong GSM or LTE cell is on the air, decode it and\n"
    "take the carrier frequency offset of the best cell (GSM FCCH / LTE PSS-SSS) as the radio's\n"
    "error in ppm. Stored per device serial; scans apply it from then on.\n"
    "Power: with --known-dbm, a signal of P dBm at F (a signal generator, or a reference cell) is\n"
    "measured in B Hz (default 200000) around F; the dBFS-to-dBm offset at this gain is stored\n"
    "and overrides the model's table (data/calibration/<model>.json).\n"
    "\n"
    "  --device ARGS     SoapySDR device args (driver=hackrf, driver=lime,serial=...)\n"
    "  --freq F          centre frequency in Hz (e.g. 947.6e6)\n"
    "  --rate R          sample rate (default 7.68e6)\n"
    "  --duration S      seconds to capture (default 0.5)\n"
    "  --gain G          RX gain in dB (default: the model's per-band gain)\n"
    "  --store FILE      calibration store (default ~/.local/share/cellsurvey/calibration.json,\n"
    "                    or $CELLSURVEY_CALIBRATION)\n"
    "  --json            print the result as one JSON object\n"
    "\n"
    "Exit status: 0 stored, 1 environment failure (device, no cell found, disk), 2 bad input.\n";

typedef struct {
  cs_cell_record best;
  double best_q;
  int n;
} cal_ctx;

/* Quality of a record for calibration: its SNR, else its power. */
static double quality(const cs_cell_record *r) {
  if (r->rat == CS_RAT_GSM) return isfinite(r->snr_db) ? r->snr_db : r->power_dbfs;
  return isfinite(r->sinr_db) ? r->sinr_db : r->rsrp_dbfs;
}

static void on_record(void *ctx, const cs_cell_record *r) {
  cal_ctx *c = ctx;
  if (!isfinite(r->cfo_hz)) return;
  double q = quality(r);
  if (!isfinite(q)) q = -1e9;
  if (c->n == 0 || q > c->best_q) {
    c->best = *r;
    c->best_q = q;
  }
  c->n++;
}

static int parse_double(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return end != s && *end == 0 && isfinite(*v);
}

int cmd_calibrate(int argc, char **argv) {
  static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
                                       {"freq", required_argument, NULL, 'f'},
                                       {"rate", required_argument, NULL, 'r'},
                                       {"duration", required_argument, NULL, 't'},
                                       {"gain", required_argument, NULL, 'g'},
                                       {"known-dbm", required_argument, NULL, 'k'},
                                       {"known-bw", required_argument, NULL, 'b'},
                                       {"store", required_argument, NULL, 's'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *device = NULL, *store = NULL;
  double freq = NAN, rate = 7.68e6, duration = 0.5, gain = NAN, known = NAN, known_bw = 200e3;
  int json = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:f:r:t:g:k:b:s:jh", opts, NULL)) != -1) {
    double *target = NULL;
    switch (c) {
    case 'd': device = optarg; break;
    case 's': store = optarg; break;
    case 'j': json = 1; break;
    case 'f': target = &freq; break;
    case 'r': target = &rate; break;
    case 't': target = &duration; break;
    case 'g': target = &gain; break;
    case 'k': target = &known; break;
    case 'b': target = &known_bw; break;
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
    if (target && !parse_double(optarg, target)) {
      fprintf(stderr, "cellsurvey calibrate: '%s' is not a number\n", optarg);
      return 2;
    }
  }
  if (!device || !isfinite(freq) || optind != argc) {
    fprintf(stderr, "cellsurvey calibrate: --device and --freq are required\n%s", usage);
    return 2;
  }
  if (!(rate > 0) || !(duration > 0) || duration > 60 || !(known_bw > 0) || known_bw > rate) {
    fprintf(stderr, "cellsurvey calibrate: need rate > 0, 0 < duration <= 60 s, 0 < known-bw <= rate\n");
    return 2;
  }

  cs_err err;
  cs_calibration *cal;
  if (cs_calibration_load(store, &cal, &err) != CS_OK) {
    fprintf(stderr, "cellsurvey calibrate: %s\n", err.msg);
    return 2;
  }
  cs_source *radio = NULL, *mem = NULL;
  size_t n = (size_t)(duration * rate), got = 0;
  int rc = 1;
  cs_status st = cs_soapy_open(device, NULL, &radio, &err);
  if (!st) st = radio->ops->tune(radio->self, freq, rate, 0, gain, &err); /* ppm 0 while measuring */
  if (!st) st = cs_memsource_create(n, "calibration dwell", &mem, &err);
  if (!st) st = cs_memsource_capture(mem, radio, n, &got, &err);
  if (st) {
    fprintf(stderr, "cellsurvey calibrate: %s\n", err.msg);
    rc = st == CS_ERR_INPUT ? 2 : 1;
    goto done;
  }
  const cs_soapy_info *info = cs_soapy_get_info(radio);
  double set_gain;
  cs_soapy_get_tuning(radio, NULL, NULL, NULL, &set_gain, NULL, 0);

  if (isfinite(known)) { /* ---- power ---- */
    float complex *x = malloc(got * sizeof *x);
    cs_block_info bi;
    size_t k = 0;
    psd q = psd_create(4096);
    float *bins = malloc(4096 * sizeof *bins);
    uint64_t clipped = 0;
    if (!x || !q || !bins || cs_source_read(mem, x, got, &k, &bi, &err) != CS_OK) {
      fprintf(stderr, "cellsurvey calibrate: out of memory\n");
      free(x); free(bins); psd_destroy(q);
      goto done;
    }
    for (size_t i = 0; i < k; i++) clipped += fabsf(crealf(x[i])) >= 0.999f || fabsf(cimagf(x[i])) >= 0.999f;
    psd_execute(q, x, k);
    psd_get(q, bins);
    double dbfs = 10 * log10(psd_band_power(bins, 4096, rate, -known_bw / 2, known_bw / 2) + 1e-30);
    free(x); free(bins); psd_destroy(q);
    if (clipped) {
      fprintf(stderr, "cellsurvey calibrate: %llu clipped samples at gain %.1f dB: lower --gain\n",
              (unsigned long long)clipped, set_gain);
      goto done;
    }
    double offset = known - dbfs;
    if (cs_calibration_set_power(cal, info->serial, info->model, freq, set_gain, offset, &err)) {
      fprintf(stderr, "cellsurvey calibrate: %s\n", err.msg);
      rc = 1;
      goto done;
    }
    if (json)
      printf("{\"serial\":\"%s\",\"model\":\"%s\",\"freq_hz\":%.1f,\"gain_db\":%.2f,\"measured_dbfs\":%.2f,"
             "\"known_dbm\":%.2f,\"offset_db\":%.2f,\"store\":\"%s\"}\n",
             info->serial, info->model, freq, set_gain, dbfs, known, offset, cs_calibration_path(cal));
    else
      printf("%s: %.2f dBFS for %.2f dBm at %.6f MHz, gain %.1f dB: dBm = dBFS %+.2f dB (stored in %s)\n",
             info->label, dbfs, known, freq / 1e6, set_gain, offset, cs_calibration_path(cal));
    rc = 0;
    goto done;
  }

  /* ---- oscillator: decode the dwell, take the best cell's carrier offset ---- */
  cal_ctx ctx = {.n = 0};
  cs_cell_record base;
  cs_record_init(&base);
  snprintf(base.device, sizeof base.device, "%.95s", info->label);
  cs_pipeline_opts po = {.decode_gsm = 1, .decode_lte = 1, .on_record = on_record, .ctx = &ctx, .base = &base};
  if (cs_pipeline_run(mem, &po, &err) != CS_OK) {
    fprintf(stderr, "cellsurvey calibrate: %s\n", err.msg);
    goto done;
  }
  if (ctx.n == 0) {
    fprintf(stderr, "cellsurvey calibrate: no GSM or LTE cell with a carrier offset decoded at %.6f MHz "
            "in %.2f s: tune to a strong cell (cellsurvey scan lists them)\n", freq / 1e6, duration);
    goto done;
  }
  const cs_cell_record *r = &ctx.best;
  double f_nom = isfinite(r->freq_hz) && r->freq_hz > 0 ? r->freq_hz : freq;
  /* the cell sits cfo_hz off its nominal frequency as we see it: our LO is that much high */
  double ppm = -r->cfo_hz / f_nom * 1e6;
  const char *method = r->rat == CS_RAT_GSM ? "gsm-fcch" : "lte-pss";
  if (cs_calibration_set_ppm(cal, info->serial, info->model, ppm, f_nom, method, &err)) {
    fprintf(stderr, "cellsurvey calibrate: %s\n", err.msg);
    goto done;
  }
  if (json)
    printf("{\"serial\":\"%s\",\"model\":\"%s\",\"ppm\":%.4f,\"cfo_hz\":%.1f,\"freq_hz\":%.1f,"
           "\"method\":\"%s\",\"cells\":%d,\"store\":\"%s\"}\n",
           info->serial, info->model, ppm, r->cfo_hz, f_nom, method, ctx.n, cs_calibration_path(cal));
  else
    printf("%s: oscillator error %+.3f ppm (%s cell at %.6f MHz seen %+.1f Hz off; %d cells) stored in %s\n",
           info->label, ppm, r->rat == CS_RAT_GSM ? "GSM" : "LTE", f_nom / 1e6, r->cfo_hz, ctx.n,
           cs_calibration_path(cal));
  rc = 0;

done:
  cs_source_close(mem);
  cs_source_close(radio);
  cs_calibration_free(cal);
  return rc;
}
