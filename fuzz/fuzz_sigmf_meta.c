/* fuzz_sigmf_meta.c: the SigMF metadata parser and validator (hw/sigmf.c) on arbitrary .sigmf-meta
 * text beside a small valid data file; when the meta is accepted, every sample is read (checking
 * the reader delivers only finite samples) and a seek is tried. Any accepted/rejected outcome is
 * fine; rejection must come with a message. */
#include <complex.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "fuzz_util.h"

#define DATA_BYTES 4096 /* a whole number of samples of every datatype */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  const char *meta = fuzz_path("f.sigmf-meta"), *dat = fuzz_path("f.sigmf-data");
  if (!ready) {
    uint8_t d[DATA_BYTES];
    for (int i = 0; i < DATA_BYTES; i++) d[i] = (uint8_t)(i * 37 + 11);
    fuzz_write(dat, d, sizeof d);
    ready = 1;
  }
  fuzz_write(meta, data, size);
  cs_err err = {{0}};
  cs_source *src = NULL;
  const cs_sigmf_meta *m = NULL;
  cs_status st = cs_sigmf_open(meta, &src, &m, &err);
  if (st != CS_OK) {
    FUZZ_ASSERT(st == CS_ERR_INPUT || st == CS_ERR_ENV, "status %d", (int)st);
    FUZZ_ASSERT(err.msg[0] != '\0', "rejected without a message");
    FUZZ_ASSERT(src == NULL, "source left open on failure");
    return 0;
  }
  FUZZ_ASSERT(m->sample_rate > 0 && isfinite(m->sample_rate), "rate %g accepted", m->sample_rate);
  FUZZ_ASSERT(m->num_samples > 0, "no samples accepted");
  static float complex x[1024];
  uint64_t total = 0;
  for (;;) {
    size_t n = 0;
    cs_block_info info;
    if (cs_source_read(src, x, 1024, &n, &info, &err) != CS_OK || n == 0) break;
    for (size_t i = 0; i < n; i++)
      FUZZ_ASSERT(isfinite(crealf(x[i])) && isfinite(cimagf(x[i])), "non-finite sample %zu", i);
    FUZZ_ASSERT(info.segment >= 0 && info.segment < m->n_segments, "segment %d", info.segment);
    total += n;
    FUZZ_ASSERT(total <= m->num_samples, "read %llu of %llu", (unsigned long long)total,
                (unsigned long long)m->num_samples);
  }
  if (src->ops->seek) src->ops->seek(src->self, m->num_samples / 2, &err);
  cs_source_close(src);
  return 0;
}
