/* test_lte_rates.c: any sample rate from 1.92 Msps up. A shared 6-PRB capture (1.92 Msps) is
 * interpolated with liquid-dsp to standard and non-standard rates (2.4, 3.84, 5.76, 7.2, 10,
 * 23.04 Msps), written as SigMF and replayed: the same cell and MIB at every rate, SIB1 wherever
 * the rate is a multiple of 15 kHz, RSRP unchanged. */
#include <liquid/liquid.h>

#include "check.h"
#include "lte_run.h"

static int resample_to(const char *in, const char *out_base, double fs_out, cs_err *err) {
  cs_source *src;
  const cs_sigmf_meta *meta;
  if (cs_sigmf_open(in, &src, &meta, err)) return 1;
  double fs = meta->sample_rate;
  cs_sigmf_writer *w;
  if (cs_sigmf_writer_create(out_base, "cf32_le", fs_out, "resampled test capture", "test", &w, err)) {
    cs_source_close(src);
    return 1;
  }
  cs_sigmf_writer_segment(w, meta->segments[0].frequency_hz, NAN, NAN, NAN, NAN, err);
  resamp_crcf q = resamp_crcf_create((float)(fs_out / fs), 13, 0.45f, 70.0f, 64);
  static float complex x[65536], y[65536 * 16];
  size_t n;
  cs_block_info info;
  while (!cs_source_read(src, x, 65536, &n, &info, err) && n) {
    unsigned ny = 0;
    resamp_crcf_execute_block(q, x, (unsigned)n, y, &ny);
    cs_sigmf_writer_write(w, y, ny, err);
  }
  resamp_crcf_destroy(q);
  cs_source_close(src);
  /* (an annotation also keeps the writer away from qsort(NULL, 0) under UBSan) */
  cs_sigmf_writer_annotate(w, 0, 1, 0, 0, "resampled", "liquid-dsp resamp_crcf", err);
  return cs_sigmf_writer_close(w, err) != CS_OK;
}

int main(void) {
  const char *dir = check_shared_dir("lte");
  char in[4200], base[4200];
  snprintf(in, sizeof in, "%.4000s/lte_pci0_6prb_snr20.sigmf-meta", dir);
  lte_recs ref;
  CHECK(lte_run(in, &ref) == 0 && ref.n == 1, "reference decode");
  if (ref.n != 1) return check_done();
  static const double rates[] = {2.4e6, 3.84e6, 5.76e6, 7.2e6, 10e6, 23.04e6};
  for (unsigned i = 0; i < sizeof rates / sizeof *rates; i++) {
    cs_err err = {{0}};
    snprintf(base, sizeof base, "%s/lte_rate_%.0f", check_tmp_dir(), rates[i]);
    CHECK(resample_to(in, base, rates[i], &err) == 0, "resample to %.0f: %s", rates[i], err.msg);
    lte_recs recs;
    CHECK(lte_run(base, &recs) == 0, "replay at %.0f", rates[i]);
    CHECK(recs.n == 1, "%.0f sps: %d cells", rates[i], recs.n);
    if (recs.n != 1) continue;
    const cs_cell_record *r = &recs.r[0];
    printf("%.2f Msps: PCI %d n_prb %d SFN %d RSRP %.2f dBFS (1.92 Msps: %.2f) SIB1 %s\n",
           rates[i] / 1e6, r->pci, r->n_prb, r->sfn, r->rsrp_dbfs, ref.r[0].rsrp_dbfs, r->sib1_status);
    CHECK_INT(r->pci, ref.r[0].pci);
    CHECK_INT(r->n_prb, ref.r[0].n_prb);
    CHECK_INT(r->ports, ref.r[0].ports);
    CHECK_INT(r->sfn, ref.r[0].sfn);
    CHECK_NEAR(r->rsrp_dbfs, ref.r[0].rsrp_dbfs, 0.5);
    double n = rates[i] / 15000.0;
    if (fabs(n - round(n)) < 1e-9) {
      CHECK_STR(r->sib1_status, "decoded");
      CHECK_INT(r->tac, ref.r[0].tac);
      CHECK_INT(r->cell_identity, ref.r[0].cell_identity);
    } else {
      CHECK_STR(r->sib1_status, "sample rate not a multiple of 15 kHz");
    }
  }
  return check_done();
}
