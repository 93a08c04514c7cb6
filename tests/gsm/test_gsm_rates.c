/* test_gsm_rates.c: any input rate, any carrier position. A shared capture (BCCH carrier 25 kHz
 * off its channel) is resampled with liquid-dsp to other rates, moved off the capture centre and
 * written as SigMF; each version must give exactly one cell with the meta's truth identity and
 * the 25 kHz offset (no image or alias of the carrier reported as another cell). */
#include <cjson/cJSON.h>
#include <liquid/liquid.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "pipeline.h"

typedef struct { cs_cell_record r[16]; int n; } records;
static void sink(void *ctx, const cs_cell_record *r) {
  records *rs = ctx;
  if (rs->n < 16) rs->r[rs->n++] = *r;
}

static void convert(const char *in, const char *out, double fs_out, double shift, const char *dt) {
  cs_source *src;
  const cs_sigmf_meta *meta;
  cs_err err = {{0}};
  CHECK_INT(cs_sigmf_open(in, &src, &meta, &err), CS_OK);
  cs_sigmf_writer *w;
  float complex x[4096], y[4096 * 12];
  size_t n;
  cs_block_info info;
  CHECK_INT(cs_source_read(src, x, 1, &n, &info, &err), CS_OK);
  double fs_in = info.sample_rate, fc = info.center_hz;
  src->ops->seek(src->self, 0, &err);
  CHECK_INT(cs_sigmf_writer_create(out, dt, fs_out, "resampled GSM test capture", "test", &w, &err), CS_OK);
  cs_sigmf_writer_segment(w, fc - shift, NAN, NAN, NAN, NAN, &err);
  /* (liquid's resamp_crcf, not msresamp: msresamp_crcf_create leaks a search object in 1.5) */
  double r = fs_out / fs_in;
  resamp_crcf rs = resamp_crcf_create((float)r, 12, (float)(0.45 * fmin(1.0, r)), 70.0f, 64);
  double ph = 0.0;
  while (cs_source_read(src, x, 4096, &n, &info, &err) == CS_OK && n > 0) {
    unsigned ny = 0, nw;
    for (size_t k = 0; k < n; k++) {
      resamp_crcf_execute(rs, x[k], y + ny, &nw);
      ny += nw;
    }
    for (unsigned k = 0; k < ny; k++) {
      y[k] *= (float complex)cexp(I * ph);
      ph = fmod(ph + 2 * M_PI * shift / fs_out, 2 * M_PI);
    }
    cs_sigmf_writer_write(w, y, ny, &err);
  }
  resamp_crcf_destroy(rs);
  CHECK_INT(cs_sigmf_writer_close(w, &err), CS_OK);
  cs_source_close(src);
}

int main(void) {
  const char *dir = check_shared_dir("gsm");
  char in[8192], out[8192];
  snprintf(in, sizeof in, "%s/gsm900_a100_cfo+25k.sigmf-meta", dir);
  FILE *f = fopen(in, "rb");
  static char buf[1 << 16];
  size_t len = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[len] = 0;
  cJSON *m = cJSON_Parse(buf);
  cJSON *car = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "global"), "truth:carriers"), 0);
  static const struct { double fs, shift; const char *dt; } cases[] = {
      {800e3, 100e3, "ci16_le"}, {1.92e6, 300e3, "cf32_le"}, {3.2e6, -1.1e6, "ci16_le"},
  };
  for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
    snprintf(out, sizeof out, "%s/gsm_rate_%u", check_tmp_dir(), i);
    convert(in, out, cases[i].fs, cases[i].shift, cases[i].dt);
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
    printf("%.3f Msps, carrier %+.0f kHz from centre: %d cell(s)", cases[i].fs / 1e6, cases[i].shift / 1e3, rs.n);
    for (int k = 0; k < rs.n; k++)
      printf("; a%d bsic %d %s-%s lac %d ci %lld cfo %.1f", rs.r[k].arfcn, rs.r[k].bsic, rs.r[k].plmn.mcc,
             rs.r[k].plmn.mnc, rs.r[k].lac, (long long)rs.r[k].cell_id, rs.r[k].cfo_hz);
    printf("\n");
    CHECK_INT(rs.n, 1);
    if (rs.n < 1) continue;
    const cs_cell_record *r = &rs.r[0];
    CHECK_INT(r->arfcn, cJSON_GetObjectItem(car, "arfcn")->valueint);
    CHECK_INT(r->bsic, cJSON_GetObjectItem(car, "bsic")->valueint);
    CHECK_STR(r->plmn.mcc, cJSON_GetObjectItem(car, "mcc")->valuestring);
    CHECK_STR(r->plmn.mnc, cJSON_GetObjectItem(car, "mnc")->valuestring);
    CHECK_INT(r->lac, cJSON_GetObjectItem(car, "lac")->valueint);
    CHECK_INT(r->cell_id, cJSON_GetObjectItem(car, "cell_id")->valueint);
    CHECK_INT(r->n_neighbours, cJSON_GetArraySize(cJSON_GetObjectItem(car, "neighbour_arfcns")));
    CHECK_NEAR(r->cfo_hz, cJSON_GetObjectItem(car, "freq_offset_hz")->valuedouble, 100.0);
    CHECK_NEAR(r->power_dbfs, cJSON_GetObjectItem(car, "power_dbfs")->valuedouble, 1.5);
    char path[8300];
    snprintf(path, sizeof path, "%s.sigmf-data", out); remove(path);
    snprintf(path, sizeof path, "%s.sigmf-meta", out); remove(path);
  }
  cJSON_Delete(m);
  return check_done();
}
