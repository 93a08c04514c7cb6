/* test_lte_cfo_search.c: the LTE PSS frequency search. `replay --cfo-search HZ` widens it for an
 * uncalibrated radio: a shared capture shifted by +150 kHz (written here as a new SigMF file, same
 * centre frequency in its meta, as a radio 150 kHz off would record it) yields no cell with the
 * default +-100 kHz search and its cell, PCI and MIB with --cfo-search 200000; bad values exit 2.
 * The hypotheses are 7.5 kHz apart: the -3 dB capture (-17 kHz) shifted to -18.75 kHz, halfway
 * between two of them, still gives its whole identity (MIB and SIB1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/sigmf.h"
#include "check.h"

#define SHIFT_HZ 150e3

/* Copy src into base (cf32) multiplied by exp(j 2 pi shift t). */
static int write_shifted(const char *src_path, const char *base, double shift) {
  cs_err err = {{0}};
  cs_source *src;
  const cs_sigmf_meta *meta;
  if (cs_sigmf_open(src_path, &src, &meta, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  cs_sigmf_writer *w;
  double fs = meta->sample_rate;
  if (cs_sigmf_writer_create(base, "cf32_le", fs, "frequency-shifted copy", "test", &w, &err) ||
      cs_sigmf_writer_segment(w, meta->segments[0].frequency_hz, NAN, NAN, NAN, NAN, &err)) {
    fprintf(stderr, "%s\n", err.msg);
    cs_source_close(src);
    return 1;
  }
  static float complex x[65536];
  uint64_t pos = 0;
  for (;;) {
    size_t n = 0;
    cs_block_info info;
    if (cs_source_read(src, x, sizeof x / sizeof *x, &n, &info, &err) || n == 0) break;
    for (size_t i = 0; i < n; i++, pos++) {
      double ph = 2 * M_PI * fmod(shift * (double)pos / fs, 1.0);
      x[i] *= (float)cos(ph) + I * (float)sin(ph);
    }
    if (cs_sigmf_writer_write(w, x, n, &err)) break;
  }
  cs_source_close(src);
  int bad = err.msg[0] != '\0';
  if (bad) fprintf(stderr, "%s\n", err.msg);
  return cs_sigmf_writer_close(w, &err) != CS_OK || bad;
}

/* Run the CLI; returns its exit status, stdout in out. */
static int run(const char *args, char *out, size_t cap) {
  const char *bin = getenv("CELLSURVEY") ? getenv("CELLSURVEY") : "build/cellsurvey";
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "'%s' replay %s 2>/dev/null", bin, args);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, cap - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int count(const char *s, const char *needle) {
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)); p++) n++;
  return n;
}

int main(void) {
  const char *dir = check_shared_dir("lte");
  const char *tmp = getenv("CS_TEST_TMP") ? getenv("CS_TEST_TMP") : "/tmp";
  char src[4200], base[4200], args[9000];
  static char out[1 << 16];
  snprintf(src, sizeof src, "%.4000s/lte_pci0_6prb_snr20.sigmf-meta", dir);
  snprintf(base, sizeof base, "%.4000s/lte_cfo_search_shift150k", tmp);
  CHECK(write_shifted(src, base, SHIFT_HZ) == 0, "writing the shifted capture");

  snprintf(args, sizeof args, "--json --lte-only '%s.sigmf-meta'", base);
  CHECK_INT(run(args, out, sizeof out), 0);
  CHECK(count(out, "\"rat\":\"lte\"") == 0, "+150 kHz found by the default +-100 kHz search: %s", out);

  snprintf(args, sizeof args, "--json --lte-only --cfo-search 200000 '%s.sigmf-meta'", base);
  CHECK_INT(run(args, out, sizeof out), 0);
  CHECK_INT(count(out, "\"rat\":\"lte\""), 1);
  CHECK(strstr(out, "\"pci\":0,") && strstr(out, "\"n_prb\":6,"), "PCI 0, 6 PRB: %s", out);
  const char *cfo = strstr(out, "\"cfo_hz\":");
  CHECK(cfo && fabs(atof(cfo + 9) - SHIFT_HZ) < 2e3, "cfo_hz near +150 kHz: %s", cfo ? cfo : "none");

  const char *bad[] = {"0", "-5", "abc", "400000", "100k"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(args, sizeof args, "--cfo-search %s '%s.sigmf-meta'", bad[i], base);
    CHECK(run(args, out, sizeof out) == 2, "--cfo-search %s accepted", bad[i]);
  }

  /* worst case for the 7.5 kHz grid, at -3 dB SNR */
  snprintf(src, sizeof src, "%.4000s/lte_pci0_6prb_snr-3_cfo-17k.sigmf-meta", dir);
  snprintf(base, sizeof base, "%.4000s/lte_cfo_search_mid_grid", tmp);
  CHECK(write_shifted(src, base, -1750.0) == 0, "writing the shifted capture");
  snprintf(args, sizeof args, "--json --lte-only '%s.sigmf-meta'", base);
  CHECK_INT(run(args, out, sizeof out), 0);
  CHECK_INT(count(out, "\"rat\":\"lte\""), 1);
  CHECK(strstr(out, "\"pci\":0,") && strstr(out, "\"n_prb\":6,") && strstr(out, "\"mcc\":\"310\"") &&
            strstr(out, "\"mnc\":\"410\"") && strstr(out, "\"tac\":12345,") &&
            strstr(out, "\"cell_identity\":27439887,"),
        "PCI 0, 6 PRB, 310-410, TAC 12345, ECI 27439887 at -18.75 kHz: %s", out);
  cfo = strstr(out, "\"cfo_hz\":");
  CHECK(cfo && fabs(atof(cfo + 9) + 18750.0) < 300.0, "cfo_hz near -18.75 kHz: %s", cfo ? cfo : "none");
  return check_done();
}
