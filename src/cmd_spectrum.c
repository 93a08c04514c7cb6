/* cmd_spectrum.c: `cellsurvey spectrum`: channel power over a SigMF capture. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cellsurvey/sigmf.h"
#include "commands.h"
#include "pipeline.h"

static const char usage[] =
    "usage: cellsurvey spectrum [--json] CAPTURE\n"
    "\n"
    "Measures the spectrum of a SigMF recording: total power and noise floor per capture segment.\n";

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  int json = *(int *)ctx;
  double total_db = 10 * log10(s->total_power + 1e-30);
  double floor_db = 10 * log10(s->noise_per_bin / (s->sample_rate / s->nfft) + 1e-30);
  if (json)
    printf("{\"segment\":%d,\"center_hz\":%.0f,\"sample_rate\":%.3f,\"power_dbfs\":%.2f,"
           "\"noise_dbfs_per_hz\":%.2f}\n", s->segment, s->center_hz, s->sample_rate, total_db, floor_db);
  else
    printf("segment %d  centre %.6f MHz  rate %.6f Msps  power %.2f dBFS  noise %.2f dBFS/Hz\n",
           s->segment, s->center_hz / 1e6, s->sample_rate / 1e6, total_db, floor_db);
}

int cmd_spectrum(int argc, char **argv) {
  static const struct option opts[] = {
      {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  int json = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'j') json = 1;
    else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (optind + 1 != argc) { fputs(usage, stderr); return 2; }
  cs_err err = {{0}};
  cs_source *src;
  cs_status st = cs_sigmf_open(argv[optind], &src, NULL, &err);
  if (!st) {
    cs_pipeline_opts po = {0};
    po.on_spectrum = on_spectrum;
    po.ctx = &json;
    st = cs_pipeline_run(src, &po, &err);
    cs_source_close(src);
  }
  if (st) fprintf(stderr, "cellsurvey spectrum: %s\n", err.msg);
  return (int)st;
}
