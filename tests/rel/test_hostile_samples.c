/* test_hostile_samples.c: the whole pipeline (spectrum + every decoder this build has) under
 * hostile samples: noise, zeros, full-scale square waves, DC, a endless fake FCCH tone, clipping,
 * NaN/Inf and absurd magnitudes, truncated bursts, very short streams, and GSM and LTE signals that
 * synchronise but carry garbage. Each case runs twice: as a SigMF file through the reader, and as
 * raw samples through an in-memory source (so NaN/Inf reach the decoders unfiltered, as a live
 * device could deliver them). Asserts: the run completes with CS_OK, every record is sane and
 * serialisable, and no record claims an identity (BSIC, LAI, MIB, SIB1) decoded from garbage. No
 * hang: the test must finish within ctest's timeout (times are printed). No leak: run under
 * -DCS_SANITIZE=ON. */
#include <cjson/cJSON.h>
#include <complex.h>
#include <math.h>
#include <time.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "hostile_gen.h"
#include "pipeline.h"

/* ---- an in-memory source that delivers samples as they are ---- */
typedef struct {
  const float complex *x;
  size_t n, pos;
  double rate, centre;
} mem_src;

static cs_status mem_read(void *self, float complex *out, size_t max, size_t *n, cs_block_info *info,
                          cs_err *err) {
  mem_src *m = self;
  size_t k = m->n - m->pos < max ? m->n - m->pos : max;
  if (k > 8192) k = 8192;
  memcpy(out, m->x + m->pos, k * sizeof *out);
  memset(info, 0, sizeof *info);
  info->center_hz = m->centre;
  info->sample_rate = m->rate;
  info->sample_index = m->pos;
  info->time_unix = NAN;
  info->lat = info->lon = info->alt = NAN;
  m->pos += k;
  *n = k;
  return CS_OK;
}

static cs_status mem_seek(void *self, uint64_t i, cs_err *err) {
  mem_src *m = self;
  if (i > m->n) return cs_fail(err, CS_ERR_INPUT, "seek beyond end");
  m->pos = (size_t)i;
  return CS_OK;
}

static const struct cs_source_ops mem_ops = {mem_read, NULL, mem_seek, NULL};

/* ---- record checks ---- */
typedef struct {
  const char *name;
  int records, identities;
} run_ctx;

static int has_identity(const cs_cell_record *r) {
  if (r->rat == CS_RAT_GSM) return r->bsic >= 0 || r->lac >= 0 || r->cell_id >= 0 || r->plmn.mcc[0];
  if (r->rat == CS_RAT_LTE)
    return r->n_prb >= 0 || r->n_plmns > 0 || r->cell_identity >= 0 || r->tac >= 0 || r->plmn.mcc[0];
  return 0;
}

static int terminated(const char *s, size_t cap) { return memchr(s, '\0', cap) != NULL; }

static void on_record(void *ctx, const cs_cell_record *r) {
  run_ctx *c = ctx;
  c->records++;
  CHECK(r->rat == CS_RAT_GSM || r->rat == CS_RAT_LTE, "%s: record with rat %d", c->name, (int)r->rat);
  CHECK(r->bsic >= -1 && r->bsic <= 63, "%s: bsic %d", c->name, r->bsic);
  CHECK(r->pci >= -1 && r->pci <= 503, "%s: pci %d", c->name, r->pci);
  CHECK(r->n_plmns >= 0 && r->n_plmns <= CS_MAX_PLMNS, "%s: n_plmns %d", c->name, r->n_plmns);
  CHECK(r->n_neighbours >= -1 && r->n_neighbours <= CS_MAX_NEIGHBOURS, "%s: n_neighbours %d", c->name, r->n_neighbours);
  CHECK(terminated(r->band, sizeof r->band) && terminated(r->plmn.mcc, sizeof r->plmn.mcc) &&
            terminated(r->plmn.mnc, sizeof r->plmn.mnc) && terminated(r->sib1_status, sizeof r->sib1_status) &&
            terminated(r->cp, sizeof r->cp) && terminated(r->duplex, sizeof r->duplex),
        "%s: unterminated string field", c->name);
  char *js = cs_record_to_json(r);
  CHECK(js != NULL, "%s: record does not serialise", c->name);
  cJSON *back = js ? cJSON_Parse(js) : NULL;
  CHECK(back != NULL, "%s: record JSON does not parse: %.200s", c->name, js ? js : "");
  cJSON_Delete(back);
  if (has_identity(r)) {
    c->identities++;
    fprintf(stderr, "%s: identity decoded from garbage: %s\n", c->name, js ? js : "?");
  }
  free(js);
}

static cs_status run_source(cs_source *src, run_ctx *c, cs_err *err) {
  cs_pipeline_opts o = {0};
  o.decode_gsm = o.decode_lte = 1;
  o.on_record = on_record;
  o.ctx = c;
  return cs_pipeline_run(src, &o, err);
}

static void run_case(const char *name, const float complex *x, size_t n, double rate, double centre, int ci8) {
  char base[4096], label[300];
  snprintf(base, sizeof base, "%s/hostile_%s", check_tmp_dir(), name);
  struct timespec t0, t1, t2;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* 1: through the SigMF reader */
  CHECK(hg_write_sigmf(base, x, n, rate, centre, ci8) == 0, "%s: cannot write", base);
  snprintf(label, sizeof label, "%s (file)", name);
  run_ctx c1 = {label, 0, 0};
  cs_err err = {{0}};
  cs_source *src;
  cs_status st = cs_sigmf_open(base, &src, NULL, &err);
  CHECK(st == CS_OK, "%s: open: %s", label, err.msg);
  if (st == CS_OK) {
    st = run_source(src, &c1, &err);
    CHECK(st == CS_OK, "%s: pipeline: %s", label, err.msg);
    cs_source_close(src);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  /* 2: raw samples (NaN/Inf unfiltered) */
  snprintf(label, sizeof label, "%s (raw)", name);
  run_ctx c2 = {label, 0, 0};
  mem_src m = {x, n, 0, rate, centre};
  cs_source msrc = {&mem_ops, &m, ""};
  snprintf(msrc.name, sizeof msrc.name, "memory:%s", name);
  st = run_source(&msrc, &c2, &err);
  CHECK(st == CS_OK, "%s: pipeline: %s", label, err.msg);
  clock_gettime(CLOCK_MONOTONIC, &t2);
  CHECK(c1.identities == 0 && c2.identities == 0, "%s: %d + %d records with identities decoded from garbage",
        name, c1.identities, c2.identities);
  double secs = (double)n / rate;
  printf("%-22s %8zu samples (%.3f s): file %.2f s, raw %.2f s; %d + %d records\n", name, n, secs,
         (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9,
         (double)(t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) * 1e-9, c1.records, c2.records);
  fflush(stdout);
}

#define GSM_N ((size_t)(0.5 * HG_GSM_RATE))
#define LTE_N ((size_t)(0.25 * HG_LTE_RATE))
#define GSM_F 947.0e6 /* GSM900 ARFCN 60 */
#define LTE_F 806.0e6 /* LTE band 20 EARFCN 6300 */

int main(void) {
  size_t cap = GSM_N > LTE_N ? GSM_N : LTE_N;
  float complex *x = malloc(cap * sizeof *x);
  hg_rng r = {20261128};

  for (size_t i = 0; i < GSM_N; i++) x[i] = 0.05f * hg_gauss(&r);
  run_case("gsm_noise", x, GSM_N, HG_GSM_RATE, GSM_F, 0);
  for (size_t i = 0; i < LTE_N; i++) x[i] = 0.05f * hg_gauss(&r);
  run_case("lte_noise", x, LTE_N, HG_LTE_RATE, LTE_F, 0);

  memset(x, 0, cap * sizeof *x);
  run_case("gsm_zeros", x, GSM_N, HG_GSM_RATE, GSM_F, 0);
  run_case("lte_zeros", x, LTE_N, HG_LTE_RATE, LTE_F, 0);

  for (size_t i = 0; i < GSM_N; i++) x[i] = (i / 4) % 2 ? 1.0f + I : -1.0f - I;
  run_case("gsm_square_fullscale", x, GSM_N, HG_GSM_RATE, GSM_F, 0);
  for (size_t i = 0; i < LTE_N; i++) x[i] = (i / 32) % 2 ? 1.0f - I : -1.0f + I;
  run_case("lte_square_fullscale", x, LTE_N, HG_LTE_RATE, LTE_F, 0);
  for (size_t i = 0; i < LTE_N; i++) x[i] = 1.0f;
  run_case("lte_dc_fullscale", x, LTE_N, HG_LTE_RATE, LTE_F, 0);

  for (size_t i = 0; i < GSM_N; i++) x[i] = 0.5f * cexpf(I * 2.0f * (float)M_PI * (float)fmod(67708.3 * (double)i / HG_GSM_RATE, 1.0));
  run_case("gsm_endless_fcch_tone", x, GSM_N, HG_GSM_RATE, GSM_F, 0);

  hg_gsm_garbage(x, GSM_N, 0.3f, 0, &r);
  for (size_t i = 0; i < GSM_N; i++) x[i] += 0.003f * hg_gauss(&r);
  run_case("gsm_sync_garbage", x, GSM_N, HG_GSM_RATE, GSM_F, 0);
  hg_gsm_garbage(x, GSM_N, 0.3f, 1, &r);
  run_case("gsm_truncated_bursts", x, GSM_N, HG_GSM_RATE, GSM_F, 0);
  run_case("gsm_short", x, 7000, HG_GSM_RATE, GSM_F, 0);
  hg_gsm_garbage(x, GSM_N, 4.0f, 0, &r);
  run_case("gsm_clipped_ci8", x, GSM_N, HG_GSM_RATE, GSM_F, 1);
  hg_gsm_garbage(x, GSM_N, 0.3f, 0, &r);
  for (size_t i = 0; i < GSM_N; i += 50) x[i] = NAN;
  for (size_t i = 7; i < GSM_N; i += 77) x[i] = INFINITY - I * INFINITY;
  for (size_t i = 13; i < GSM_N; i += 997) x[i] = 3e38f + I * 1e30f;
  for (size_t i = 100000; i < 102000; i++) x[i] = NAN + I * NAN;
  run_case("gsm_nan_inf_huge", x, GSM_N, HG_GSM_RATE, GSM_F, 0);

  hg_lte_garbage(x, LTE_N, 0.2f, 301, &r);
  for (size_t i = 0; i < LTE_N; i++) x[i] += 0.02f * hg_gauss(&r);
  run_case("lte_sync_garbage", x, LTE_N, HG_LTE_RATE, LTE_F, 0);
  run_case("lte_short", x, 10560, HG_LTE_RATE, LTE_F, 0); /* 5.5 ms */
  for (size_t i = 0; i < LTE_N; i++) if ((i / 3000) % 3 == 2) x[i] = 0; /* gated: bursts cut mid-symbol */
  run_case("lte_truncated_bursts", x, LTE_N, HG_LTE_RATE, LTE_F, 0);
  hg_lte_garbage(x, LTE_N, 3.0f, 42, &r);
  run_case("lte_clipped_ci8", x, LTE_N, HG_LTE_RATE, LTE_F, 1);
  hg_lte_garbage(x, LTE_N, 0.2f, 7, &r);
  for (size_t i = 3; i < LTE_N; i += 31) x[i] = NAN;
  for (size_t i = 5; i < LTE_N; i += 101) x[i] = -INFINITY;
  for (size_t i = 11; i < LTE_N; i += 1009) x[i] = -3e38f;
  run_case("lte_nan_inf_huge", x, LTE_N, HG_LTE_RATE, LTE_F, 0);

  x[0] = 0.5f;
  run_case("one_sample", x, 1, HG_LTE_RATE, LTE_F, 0);
  free(x);
  return check_done();
}
