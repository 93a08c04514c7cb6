/* bench/scan.c: wall time of one egsm900 sweep and of one LTE band (lte3) through the simulated
 * radio at 20 Msps (16 MHz usable steps), with reads paced at the sample rate (realtime=1, as a
 * real radio delivers them) and a HackRF-like 10 ms settle after each retune. The scene is built
 * from ../shared captures: four GSM900 captures (7 BCCH carriers) and two LTE band 3 carriers.
 * Printed beside grgsm_scanner's pace (2 s per 2 MHz step: about 40 s for GSM900).
 *
 *   build/bench/bench_scan [SHARED_CAPTURES_DIR]     (needs SOAPY_SDR_PLUGIN_PATH=build/hw/sim)
 *
 * Run on demand; figures go to docs/performance.md "Scan". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"
#include "cellsurvey/clock.h"

typedef struct {
  int cells, gsm_ident, lte_ident, steps, dwells;
} tally;

static void on_record(void *ctx, const cs_cell_record *r) {
  tally *t = ctx;
  t->cells++;
  if (r->rat == CS_RAT_GSM && r->plmn.mcc[0] && r->cell_id >= 0) t->gsm_ident++;
  if (r->rat == CS_RAT_LTE && r->pci >= 0) t->lte_ident++;
}
static void on_step(void *ctx, const cs_scan_step *s) { ((tally *)ctx)->steps++; }
static void on_progress(void *ctx, const char *band, int step, int n, int cells) {
  if (step < n) ((tally *)ctx)->dwells++; /* step == n: the band is done */
}

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec * 1e-6;
}

static int link_capture(const char *shared, const char *dir, const char *name) {
  const char *ext[] = {".sigmf-meta", ".sigmf-data"};
  for (int i = 0; i < 2; i++) {
    char from[4096], to[4096];
    snprintf(from, sizeof from, "%s/%s%s", shared, name, ext[i]);
    const char *base = strrchr(name, '/');
    snprintf(to, sizeof to, "%s/%s%s", dir, base ? base + 1 : name, ext[i]);
    unlink(to);
    if (symlink(from, to)) { perror(to); return -1; }
  }
  return 0;
}

static int run(const char *dev, const char *bands, const char *what) {
  cs_scan_band b[4];
  int nb;
  cs_err err;
  if (cs_scan_parse_bands(bands, b, 4, &nb, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  tally t = {0};
  cs_scan_opts so;
  memset(&so, 0, sizeof so);
  so.device = dev;
  so.bands = b;
  so.n_bands = nb;
  so.rate = 20e6;
  so.gain_db = NAN;
  so.ctx = &t;
  so.on_record = on_record;
  so.on_step = on_step;
  so.on_progress = on_progress;
  cs_scan *s;
  if (cs_scan_create(&so, &s, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  double c0 = cpu(), t0 = cs_clock_s(CLOCK_MONOTONIC);
  cs_status st = cs_scan_sweep(s, &err);
  double t1 = cs_clock_s(CLOCK_MONOTONIC), c1 = cpu();
  if (st) { fprintf(stderr, "%s\n", err.msg); cs_scan_destroy(s); return 1; }
  double dev_s, proc_s, sig_s;
  cs_scan_timing(s, &dev_s, &proc_s, &sig_s);
  double span = 0;
  for (int i = 0; i < nb; i++) span += b[i].hi_hz - b[i].lo_hz;
  printf("%-8s %s: %.1f MHz, %d steps, %d dwells, %.2f s of signal\n"
         "  wall %.2f s (cpu %.2f s) = radio %.2f s (retune, settle, capture; with the sim: generating) + "
         "pipeline %.2f s\n"
         "  with a real radio delivering at the sample rate: about %.2f s (signal + 10 ms settle per dwell + pipeline)\n"
         "  cells %d (GSM with CGI %d, LTE with PCI %d); grgsm_scanner pace (2 s per 2 MHz): %.0f s\n",
         bands, what, span / 1e6, t.steps, t.dwells, sig_s, t1 - t0, c1 - c0, dev_s, proc_s,
         sig_s + 0.010 * t.dwells + proc_s, t.cells, t.gsm_ident, t.lte_ident, 2.0 * ceil(span / 2e6));
  cs_scan_destroy(s);
  return 0;
}

int main(int argc, char **argv) {
  const char *shared = argc > 1 ? argv[1] : "../shared/captures";
  char dir[] = "/tmp/cellsurvey_bench_scan_XXXXXX";
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  const char *caps[] = {"gsm/gsm900_a33_midmf_start", "gsm/gsm900_a85_cfo-12k", "gsm/gsm900_a100_cfo+25k",
                        "gsm/wb_gsm900_5msps", "lte/lte_pci257_15prb_snr10_cfo-17k", "lte/lte_pci444_50prb_snr20"};
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++)
    if (link_capture(shared, dir, caps[i])) return 1;
  char dev[512];
  snprintf(dev, sizeof dev, "driver=cellsurvey-sim,scene=%s,realtime=1,settle_ms=10", dir);
  printf("scene %s (sim paced at the sample rate, 10 ms settle, 20 Msps, default dwells: GSM 1.2 s, LTE 0.2 s)\n", dir);
  int rc = run(dev, "egsm900", "GSM900: 7 BCCH carriers");
  rc |= run(dev, "lte3", "LTE band 3: 2 carriers");
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
    char p[4096];
    const char *base = strrchr(caps[i], '/') + 1;
    snprintf(p, sizeof p, "%s/%s.sigmf-meta", dir, base);
    unlink(p);
    snprintf(p, sizeof p, "%s/%s.sigmf-data", dir, base);
    unlink(p);
  }
  rmdir(dir);
  return rc;
}
