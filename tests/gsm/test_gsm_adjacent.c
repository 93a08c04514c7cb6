/* test_gsm_adjacent.c: a weak BCCH carrier 200 kHz beside a strong one. Two shared captures are
 * mixed into one: gsm900_a60_snr30_2s as recorded (ARFCN 60 at the centre) plus
 * gsm900_a85_cfo-12k moved by +-200 kHz (so its cell sits on ARFCN 61 or 59) and scaled to 12 or
 * 15 dB below the ARFCN 60 carrier. Both cells must decode with their truth identities (read
 * from the metas) and powers, and nothing else may be reported. */
#include <cjson/cJSON.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"

typedef struct { cs_cell_record r[16]; int n; } records;
static void sink(void *ctx, const cs_cell_record *r) {
  records *rs = ctx;
  if (rs->n < 16) rs->r[rs->n++] = *r;
}

static cJSON *truth_carrier(const char *path) {
  FILE *f = fopen(path, "rb");
  static char buf[1 << 16];
  size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[len] = 0;
  cJSON *m = cJSON_Parse(buf);
  cJSON *car = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "global"), "truth:carriers"), 0);
  cJSON *copy = cJSON_Duplicate(car, 1);
  cJSON_Delete(m);
  return copy;
}
static int num(const cJSON *o, const char *k) { return cJSON_GetObjectItem(o, k)->valueint; }
static double dbl(const cJSON *o, const char *k) { return cJSON_GetObjectItem(o, k)->valuedouble; }
static const char *str(const cJSON *o, const char *k) { return cJSON_GetObjectItem(o, k)->valuestring; }

/* strong + weak (shifted by shift Hz, scaled by gain) -> out; the strong capture's centre */
static void mix(const char *strong, const char *weak, const char *out, double shift, double gain) {
  cs_source *a, *b;
  cs_err err = {{0}};
  CHECK_INT(cs_sigmf_open(strong, &a, NULL, &err), CS_OK);
  CHECK_INT(cs_sigmf_open(weak, &b, NULL, &err), CS_OK);
  static float complex x[8192], y[8192];
  size_t na, nb;
  cs_block_info ia, ib;
  cs_sigmf_writer *w = NULL;
  double ph = 0.0;
  while (cs_source_read(a, x, 8192, &na, &ia, &err) == CS_OK && na > 0 &&
         cs_source_read(b, y, na, &nb, &ib, &err) == CS_OK && nb > 0) {
    if (!w) {
      CHECK_NEAR(ia.sample_rate, ib.sample_rate, 1e-3); /* same rate: mixed sample by sample */
      CHECK_INT(cs_sigmf_writer_create(out, "cf32_le", ia.sample_rate, "two GSM captures mixed", "test", &w, &err), CS_OK);
      cs_sigmf_writer_segment(w, ia.center_hz, NAN, NAN, NAN, NAN, &err);
    }
    for (size_t k = 0; k < nb; k++) {
      x[k] += (float)gain * y[k] * (float complex)cexp(I * ph);
      ph = fmod(ph + 2 * M_PI * shift / ia.sample_rate, 2 * M_PI);
    }
    cs_sigmf_writer_write(w, x, nb, &err);
  }
  CHECK_INT(cs_sigmf_writer_close(w, &err), CS_OK);
  cs_source_close(a);
  cs_source_close(b);
}

/* cfo_tol: the strong neighbour's skirt biases the weak carrier's FCCH frequency estimate by
 * about 100 Hz (0.1 ppm) */
static void check_cell(const records *rs, int arfcn, const cJSON *t, double power_dbfs, double cfo_tol) {
  const cs_cell_record *r = NULL;
  for (int i = 0; i < rs->n; i++)
    if (rs->r[i].arfcn == arfcn) r = &rs->r[i];
  CHECK(r != NULL, "ARFCN %d not found", arfcn);
  if (!r) return;
  printf("  a%d: bsic %d %s-%s lac %d ci %lld, %d nbrs, %.2f dBFS (want %.2f), cfo %.1f Hz\n", arfcn, r->bsic,
         r->plmn.mcc, r->plmn.mnc, r->lac, (long long)r->cell_id, r->n_neighbours, r->power_dbfs, power_dbfs, r->cfo_hz);
  CHECK_INT(r->bsic, num(t, "bsic"));
  CHECK_STR(r->plmn.mcc, str(t, "mcc"));
  CHECK_STR(r->plmn.mnc, str(t, "mnc"));
  CHECK_INT(r->lac, num(t, "lac"));
  CHECK_INT(r->cell_id, num(t, "cell_id"));
  cJSON *nb = cJSON_GetObjectItem(t, "neighbour_arfcns");
  int nn = cJSON_GetArraySize(nb), same = r->n_neighbours == nn;
  for (int i = 0; same && i < nn; i++) same = r->neighbours[i] == cJSON_GetArrayItem(nb, i)->valueint;
  CHECK(same, "a%d: neighbour list differs from truth", arfcn);
  CHECK_NEAR(r->power_dbfs, power_dbfs, 1.5);
  CHECK_NEAR(r->cfo_hz, dbl(t, "freq_offset_hz"), cfo_tol);
}

int main(void) {
  const char *dir = check_shared_dir("gsm");
  char strong[8192], weak[8192], out[8192];
  snprintf(strong, sizeof strong, "%s/gsm900_a60_snr30_2s.sigmf-meta", dir);
  snprintf(weak, sizeof weak, "%s/gsm900_a85_cfo-12k.sigmf-meta", dir);
  cJSON *ts = truth_carrier(strong), *tw = truth_carrier(weak);
  CHECK(ts && tw, "truth in the metas");
  if (!ts || !tw) return check_done();
  static const struct { double shift, below_db; } cases[] = {{200e3, 12.0}, {-200e3, 15.0}};
  for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
    double ps = dbl(ts, "power_dbfs"), pw = ps - cases[i].below_db;
    snprintf(out, sizeof out, "%s/gsm_adjacent_%u", check_tmp_dir(), i);
    mix(strong, weak, out, cases[i].shift, pow(10.0, (pw - dbl(tw, "power_dbfs")) / 20.0));
    cs_source *src;
    cs_err err = {{0}};
    records rs = {.n = 0};
    CHECK_INT(cs_sigmf_open(out, &src, NULL, &err), CS_OK);
    cs_pipeline_opts o = {0};
    o.decode_gsm = 1;
    o.on_record = sink;
    o.ctx = &rs;
    CHECK_INT(cs_pipeline_run(src, &o, &err), CS_OK);
    cs_source_close(src);
    int a_strong = num(ts, "arfcn"), a_weak = a_strong + (cases[i].shift > 0 ? 1 : -1);
    printf("weak carrier %.0f dB below, %+.0f kHz: %d cell(s)\n", cases[i].below_db, cases[i].shift / 1e3, rs.n);
    CHECK_INT(rs.n, 2); /* the two cells, nothing else */
    check_cell(&rs, a_strong, ts, ps, 100.0);
    check_cell(&rs, a_weak, tw, pw, 250.0);
    char path[8300];
    snprintf(path, sizeof path, "%s.sigmf-data", out); remove(path);
    snprintf(path, sizeof path, "%s.sigmf-meta", out); remove(path);
  }
  cJSON_Delete(ts);
  cJSON_Delete(tw);
  return check_done();
}
