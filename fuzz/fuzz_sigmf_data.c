/* fuzz_sigmf_data.c: the SigMF sample reader (hw/sigmf.c) on arbitrary bytes as the data of every
 * datatype. The first 4 input bytes choose the datatype, header/trailing byte counts and capture
 * segments; the rest is the .sigmf-data file. Checks: the reader accepts exactly the sizes that
 * are a whole number of samples, delivers num_samples finite samples within full scale (integer
 * types) and seeks anywhere. */
#include <complex.h>
#include <math.h>

#include "cellsurvey/sigmf.h"
#include "fuzz_util.h"

static const char *const types[] = {
    "cf32_le", "cf32_be", "cf64_le", "cf64_be", "ci32_le", "ci32_be", "ci16_le",
    "ci16_be", "ci8",     "cu32_le", "cu32_be", "cu16_le", "cu16_be", "cu8",
};
#define NTYPES (sizeof types / sizeof *types)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  const char *type = types[data[0] % NTYPES];
  unsigned header = data[1] & 15, trailing = data[1] >> 4;
  unsigned nseg = 1 + (data[2] & 3), seg_step = 1 + data[3];
  int sb = cs_sigmf_sample_bytes(type);
  FUZZ_ASSERT(sb > 0, "%s unsupported", type);
  const char *meta = fuzz_path("d.sigmf-meta"), *dat = fuzz_path("d.sigmf-data");
  fuzz_write(dat, data + 4, size - 4);

  char caps[512];
  int len = snprintf(caps, sizeof caps, "{\"core:sample_start\":0,\"core:header_bytes\":%u,\"core:frequency\":9.5e8}", header);
  for (unsigned s = 1; s < nseg; s++)
    len += snprintf(caps + len, sizeof caps - (size_t)len, ",{\"core:sample_start\":%u,\"core:frequency\":%u}",
                    s * seg_step, 900000000u + s * 1000000u);
  char json[1024];
  snprintf(json, sizeof json,
           "{\"global\":{\"core:datatype\":\"%s\",\"core:sample_rate\":1e6,\"core:version\":\"1.0.0\","
           "\"core:trailing_bytes\":%u},\"captures\":[%s],\"annotations\":[]}",
           type, trailing, caps);
  fuzz_write(meta, json, strlen(json));

  cs_err err = {{0}};
  cs_source *src = NULL;
  const cs_sigmf_meta *m = NULL;
  cs_status st = cs_sigmf_open(meta, &src, &m, &err);
  uint64_t payload = size - 4;
  uint64_t overhead = header + trailing;
  int whole = payload > overhead && (payload - overhead) % (uint64_t)sb == 0;
  uint64_t expect = whole ? (payload - overhead) / (uint64_t)sb : 0;
  int segs_fit = expect > (uint64_t)(nseg - 1) * seg_step;
  if (st != CS_OK) {
    FUZZ_ASSERT(err.msg[0], "rejected without a message");
    FUZZ_ASSERT(!whole || !segs_fit, "%s: %llu data bytes rejected: %s", type,
                (unsigned long long)payload, err.msg);
    return 0;
  }
  FUZZ_ASSERT(whole && segs_fit, "%s: %llu data bytes accepted", type, (unsigned long long)payload);
  FUZZ_ASSERT(m->num_samples == expect, "num_samples %llu, want %llu",
              (unsigned long long)m->num_samples, (unsigned long long)expect);
  int is_float = type[1] == 'f';
  static float complex x[777]; /* odd size: blocks cross segment and buffer edges differently */
  for (int pass = 0; pass < 2; pass++) {
    uint64_t start = pass ? (data[3] * 7919u) % m->num_samples : 0, total = start;
    if (pass) FUZZ_ASSERT(src->ops->seek(src->self, start, &err) == CS_OK, "seek: %s", err.msg);
    for (;;) {
      size_t n = 0;
      cs_block_info info;
      FUZZ_ASSERT(cs_source_read(src, x, 777, &n, &info, &err) == CS_OK, "read: %s", err.msg);
      if (n == 0) break;
      FUZZ_ASSERT(info.sample_index == total, "index %llu want %llu",
                  (unsigned long long)info.sample_index, (unsigned long long)total);
      for (size_t i = 0; i < n; i++) {
        float re = crealf(x[i]), im = cimagf(x[i]);
        FUZZ_ASSERT(isfinite(re) && isfinite(im), "%s: non-finite sample", type);
        if (!is_float)
          FUZZ_ASSERT(fabsf(re) <= 1.01f && fabsf(im) <= 1.01f, "%s: sample %g%+gi beyond full scale", type, re, im);
      }
      total += n;
    }
    FUZZ_ASSERT(total == m->num_samples, "read %llu of %llu", (unsigned long long)total,
                (unsigned long long)m->num_samples);
  }
  cs_source_close(src);
  return 0;
}
