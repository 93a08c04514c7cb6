/* test_pipeline_passes.c: how the pipeline reads a source (src/pipeline.h). Two 420 ms segments
 * of the bundled 6-PRB LTE capture (PCI 0), the second with every 1000th sample at full scale,
 * behind a source that counts what is read:
 * - LTE alone, nothing reading the spectrum: one pass, no PSD, reading stops in each segment once
 *   the decoder is full (270 ms at 1.92 Msps), the next segment is still found and decoded, and
 *   the counts handed to on_spectrum cover exactly the samples read;
 * - the same with the spectrum wanted: the PSD over every sample, every segment read twice;
 * - GSM wanted (it picks channels from the PSD): the PSD even with counts_only. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/memsource.h"
#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"

#define SEG_S 0.42

typedef struct {
  cs_source *in;
  uint64_t read; /* samples delivered */
} counting;

static cs_status counting_read(void *self, float complex *out, size_t max, size_t *n, cs_block_info *info,
                               cs_err *err) {
  counting *c = self;
  cs_status st = cs_source_read(c->in, out, max, n, info, err);
  c->read += *n;
  return st;
}

static cs_status counting_seek(void *self, uint64_t idx, cs_err *err) {
  counting *c = self;
  return c->in->ops->seek(c->in->self, idx, err);
}

typedef struct {
  int cells[2], spectra;
  uint64_t counted, clipped;
  int had_bins;
} seen;

static void on_record(void *ctx, const cs_cell_record *r) {
  seen *s = ctx;
  if (r->rat == CS_RAT_LTE && r->pci == 0 && s->spectra >= 1 && s->spectra <= 2) s->cells[s->spectra - 1]++;
}

static void on_spectrum(void *ctx, const cs_spectrum *sp) {
  seen *s = ctx;
  s->spectra++;
  s->counted += sp->num_samples;
  s->clipped += sp->clipped;
  s->had_bins |= sp->bins != NULL;
}

static int run(cs_source *mem, int counts_only, int gsm, seen *s, uint64_t *read) {
  counting c = {mem, 0};
  static const struct cs_source_ops ops = {counting_read, NULL, counting_seek, NULL};
  cs_source wrapped = {&ops, &c, "counting"};
  cs_pipeline_opts o = {0};
  o.decode_lte = 1;
  o.decode_gsm = gsm;
  o.on_record = on_record;
  o.on_spectrum = on_spectrum;
  o.counts_only = counts_only;
  o.ctx = s;
  memset(s, 0, sizeof *s);
  cs_err err = {{0}};
  cs_status st = cs_pipeline_run(&wrapped, &o, &err);
  CHECK(st == CS_OK, "pipeline: %s", err.msg);
  *read = c.read;
  return st == CS_OK;
}

int main(void) {
  const char *dir = getenv("CS_BUNDLED_CAPTURES");
  char path[4200];
  snprintf(path, sizeof path, "%.4000s/lte_pci0_6prb_snr20.sigmf-meta", dir ? dir : "captures");
  cs_err err = {{0}};
  cs_source *file;
  const cs_sigmf_meta *meta;
  if (cs_sigmf_open(path, &file, &meta, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  const double fs = meta->sample_rate;
  const size_t n_file = (size_t)meta->num_samples, seg = (size_t)(SEG_S * fs);
  float complex *x = malloc(sizeof *x * n_file);
  size_t got = 0;
  while (got < n_file) {
    size_t n;
    cs_block_info info;
    if (cs_source_read(file, x + got, n_file - got, &n, &info, &err) || !n) break;
    got += n;
  }
  CHECK(got == n_file, "read the capture: %zu of %zu", got, n_file);
  cs_source_close(file);

  /* two segments of SEG_S s (the capture is whole frames: repeated, the frame timing carries on) */
  cs_source *mem;
  CHECK(cs_memsource_create(2 * seg, "two segments", &mem, &err) == CS_OK, "%s", err.msg);
  uint64_t clipped_in_first_270ms = 0;
  for (int k = 0; k < 2; k++) {
    cs_block_info info = {0};
    info.center_hz = 739e6;
    info.sample_rate = fs;
    info.time_unix = NAN;
    info.lat = info.lon = info.alt = NAN;
    CHECK(cs_memsource_segment(mem, &info, &err) == CS_OK, "%s", err.msg);
    for (size_t at = 0; at < seg; at += n_file) {
      size_t m = seg - at < n_file ? seg - at : n_file;
      float complex *y = malloc(sizeof *y * m);
      memcpy(y, x, sizeof *y * m);
      if (k == 1) /* every 1000th sample at full scale: counted as clipped */
        for (size_t i = 0; i < m; i++)
          if ((at + i) % 1000 == 0) {
            y[i] = 1.0f + 0.0f * I;
            if (at + i < (size_t)(0.27 * fs)) clipped_in_first_270ms++;
          }
      CHECK(cs_memsource_append(mem, y, m, &err) == CS_OK, "%s", err.msg);
      free(y);
    }
  }
  free(x);

  seen s;
  uint64_t read;
  /* LTE alone, counts only: one pass, stops early in each segment */
  if (run(mem, 1, 0, &s, &read)) {
    CHECK_INT(s.spectra, 2);
    CHECK(!s.had_bins, "no PSD when nothing reads it");
    CHECK(s.cells[0] == 1 && s.cells[1] == 1, "PCI 0 in both segments: %d, %d", s.cells[0], s.cells[1]);
    CHECK(read < 2 * seg * 8 / 10, "one pass stopping early: %llu samples read of %zu",
          (unsigned long long)read, 2 * seg);
    CHECK(read >= 2 * (uint64_t)(0.27 * fs), "at least the 270 ms the decoder keeps per segment: %llu",
          (unsigned long long)read);
    /* every sample read is counted, but the one the pipeline peeks at per segment (rate, centre) */
    CHECK(s.counted + 2 == read, "counts over the samples read: %llu, read %llu",
          (unsigned long long)s.counted, (unsigned long long)read);
    CHECK(s.clipped >= clipped_in_first_270ms && s.clipped < (seg + 999) / 1000,
          "clipped counted in what was read: %llu", (unsigned long long)s.clipped);
  }
  /* the spectrum wanted: PSD over everything, two passes */
  if (run(mem, 0, 0, &s, &read)) {
    CHECK(s.had_bins, "PSD when the caller reads it");
    CHECK(s.cells[0] == 1 && s.cells[1] == 1, "PCI 0 in both segments: %d, %d", s.cells[0], s.cells[1]);
    CHECK_INT(s.counted, 2 * seg);
    CHECK_INT(s.clipped, (seg + 999) / 1000);
    CHECK(read > 2 * seg, "read again for the decoders: %llu", (unsigned long long)read);
  }
  /* GSM picks its channels from the PSD: computed even with counts_only */
  if (run(mem, 1, 1, &s, &read)) {
    CHECK(s.had_bins, "PSD for the GSM decoder");
    CHECK_INT(s.counted, 2 * seg);
  }
  cs_source_close(mem);
  return check_done();
}
