/* cmd_record.c: `cellsurvey record`: IQ from a live radio to a SigMF recording, with the device,
 * gain, calibration state and position per capture segment, and with --decode annotations for
 * the cells the pipeline decodes while recording.
 *
 * A new capture segment starts where samples were lost (overflow), so every segment is
 * gap-free. With --decode the stream is handled in chunks of up to 2 s: each chunk is written,
 * held in a memory source and run through the pipeline; cells found annotate the chunk. The radio
 * keeps streaming while a chunk decodes; what it drops meanwhile is counted and shows as a
 * segment boundary. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellsurvey/calibration.h"
#include "cellsurvey/memsource.h"
#include "cellsurvey/sigmf.h"
#include "cellsurvey/soapy.h"
#include "commands.h"
#include "pipeline.h"

static const char usage[] =
    "usage: cellsurvey record --device ARGS --freq F --rate R --duration S [--gain G] [--bw B]\n"
    "                         [--datatype T] [--decode] [--gps SPEC] [--calibration FILE] OUT\n"
    "\n"
    "Records S seconds of IQ at F Hz and R samples/s to OUT.sigmf-data / OUT.sigmf-meta. Each\n"
    "capture segment carries the time, the position (--gps), and cellsurvey:gain_db,\n"
    "cellsurvey:device, cellsurvey:power_calibration; a new segment starts after lost samples.\n"
    "\n"
    "  --device ARGS       SoapySDR device args (driver=hackrf, driver=lime,serial=...)\n"
    "  --freq F            centre frequency, Hz\n"
    "  --rate R            sample rate, samples/s\n"
    "  --duration S        seconds to record\n"
    "  --gain G            RX gain in dB (default: the model's per-band gain; AGC is off)\n"
    "  --bw B              analog bandwidth in Hz (default: the model's usable share of R)\n"
    "  --datatype T        ci16_le (default), cf32_le, ci8, ...\n"
    "  --decode            decode GSM/LTE cells while recording and annotate them\n"
    "  --gps fixed:LAT,LON[,ALT]  position of the recording\n"
    "  --calibration FILE  calibration store (default: see cellsurvey calibrate --help)\n"
    "\n"
    "Exit status: 0 recorded, 1 environment failure (device gone, disk full), 2 bad input.\n";

typedef struct {
  double lat, lon, alt;
} position;

/* --gps: a fixed position (a mast, a survey point). */
static int parse_gps(const char *spec, position *p) {
  p->lat = p->lon = p->alt = NAN;
  if (strncmp(spec, "fixed:", 6)) return -1;
  char *end;
  p->lat = strtod(spec + 6, &end);
  if (*end != ',') return -1;
  p->lon = strtod(end + 1, &end);
  if (*end == ',') p->alt = strtod(end + 1, &end);
  if (*end || !(fabs(p->lat) <= 90) || !(fabs(p->lon) <= 180)) return -1;
  return 0;
}

typedef struct {
  int n_seg;
  double gain_db, dbm_offset, ppm;
  int ppm_applied;
  cs_power_cal power;
  char device[256], antenna[32];
} seg_note;

typedef struct {
  cs_sigmf_writer *w;
  cs_power_cal power;
  double dbm_offset;
  uint64_t chunk_start, chunk_len;
  double center, rate;
  int cells;
  cs_err *err;
  cs_status st;
} annot_ctx;

static void on_record(void *vctx, const cs_cell_record *rec) {
  annot_ctx *a = vctx;
  cs_cell_record cr = *rec;
  const cs_cell_record *r = &cr;
  cs_calibration_apply_record(&cr, a->power, a->dbm_offset);
  char label[128];
  double half;
  if (r->rat == CS_RAT_GSM) {
    snprintf(label, sizeof label, "GSM ARFCN %d BSIC %d", r->arfcn, r->bsic);
    half = 100e3;
  } else if (r->rat == CS_RAT_LTE) {
    snprintf(label, sizeof label, "LTE PCI %d", r->pci);
    half = r->n_prb > 0 ? r->n_prb * 90e3 : 700e3;
  } else {
    return;
  }
  double f = isfinite(r->freq_hz) && r->freq_hz > 0 ? r->freq_hz : a->center;
  double lo = fmax(f - half, a->center - a->rate / 2), hi = fmin(f + half, a->center + a->rate / 2);
  char *json = cs_record_to_json(r);
  if (a->st == CS_OK)
    a->st = cs_sigmf_writer_annotate(a->w, a->chunk_start, a->chunk_len, lo, hi, label, json, a->err);
  free(json);
  a->cells++;
}

/* Add the cellsurvey extension fields to the written meta (the SigMF writer knows only core). */
static cs_status add_extension(const char *base, const char *args, const char *model,
                               const seg_note *note, uint64_t overflows, cs_err *err) {
  char path[4200], tmp[4300];
  snprintf(path, sizeof path, "%s.sigmf-meta", base);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(path, "rb");
  if (!f) return cs_fail(err, CS_ERR_ENV, "%s: cannot reopen to add device fields", path);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = len > 0 ? malloc((size_t)len + 1) : NULL;
  size_t got = text ? fread(text, 1, (size_t)len, f) : 0;
  fclose(f);
  if (!text || got != (size_t)len) {
    free(text);
    return cs_fail(err, CS_ERR_ENV, "%s: cannot read back", path);
  }
  text[len] = 0;
  cJSON *root = cJSON_Parse(text);
  free(text);
  cJSON *g = cJSON_GetObjectItem(root, "global"), *caps = cJSON_GetObjectItem(root, "captures");
  if (!g || !cJSON_IsArray(caps)) {
    cJSON_Delete(root);
    return cs_fail(err, CS_ERR_ENV, "%s: unexpected meta written", path);
  }
  cJSON *ext = cJSON_GetObjectItem(g, "core:extensions");
  if (!ext) ext = cJSON_AddArrayToObject(g, "core:extensions");
  cJSON *e = cJSON_CreateObject();
  cJSON_AddStringToObject(e, "name", "cellsurvey");
  cJSON_AddStringToObject(e, "version", "1.0.0");
  cJSON_AddBoolToObject(e, "optional", 1);
  cJSON_AddItemToArray(ext, e);
  cJSON_AddStringToObject(g, "cellsurvey:device_args", args);
  cJSON_AddStringToObject(g, "cellsurvey:model", model);
  cJSON_AddNumberToObject(g, "cellsurvey:overflows", (double)overflows);
  static const char *const kinds[] = {"none", "model-table", "measured"};
  cJSON *c;
  cJSON_ArrayForEach(c, caps) {
    cJSON_AddStringToObject(c, "cellsurvey:device", note->device);
    cJSON_AddNumberToObject(c, "cellsurvey:gain_db", note->gain_db);
    if (note->antenna[0]) cJSON_AddStringToObject(c, "cellsurvey:antenna", note->antenna);
    cJSON_AddNumberToObject(c, "cellsurvey:ppm_correction", note->ppm_applied ? note->ppm : 0);
    cJSON_AddStringToObject(c, "cellsurvey:power_calibration", kinds[note->power]);
    if (note->power != CS_POWER_UNCALIBRATED)
      cJSON_AddNumberToObject(c, "cellsurvey:dbm_offset_db", note->dbm_offset);
  }
  char *out = cJSON_Print(root);
  cJSON_Delete(root);
  f = out ? fopen(tmp, "wb") : NULL;
  int ok = f && fputs(out, f) >= 0 && fputc('\n', f) != EOF && fflush(f) == 0 && fsync(fileno(f)) == 0;
  if (f && fclose(f) != 0) ok = 0;
  free(out);
  if (!ok || rename(tmp, path) != 0) {
    unlink(tmp);
    return cs_fail(err, CS_ERR_ENV, "%s: cannot write (disk full?)", path);
  }
  return CS_OK;
}

static void strip_suffix(char *base) {
  static const char *const sfx[] = {".sigmf-meta", ".sigmf-data", ".sigmf"};
  size_t n = strlen(base);
  for (int i = 0; i < 3; i++) {
    size_t k = strlen(sfx[i]);
    if (n > k && !strcmp(base + n - k, sfx[i])) {
      base[n - k] = 0;
      return;
    }
  }
}

static int parse_double(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return end != s && *end == 0 && isfinite(*v);
}

int cmd_record(int argc, char **argv) {
  static const struct option opts[] = {
      {"device", required_argument, NULL, 'd'},  {"freq", required_argument, NULL, 'f'},
      {"rate", required_argument, NULL, 'r'},    {"duration", required_argument, NULL, 't'},
      {"gain", required_argument, NULL, 'g'},    {"bw", required_argument, NULL, 'b'},
      {"datatype", required_argument, NULL, 'T'}, {"decode", no_argument, NULL, 'D'},
      {"gps", required_argument, NULL, 'G'},     {"calibration", required_argument, NULL, 'C'},
      {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
  const char *device = NULL, *datatype = "ci16_le", *gps = NULL, *calpath = NULL;
  double freq = NAN, rate = NAN, duration = NAN, gain = NAN, bw = 0;
  int decode = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:f:r:t:g:b:T:DG:C:h", opts, NULL)) != -1) {
    double *target = NULL;
    switch (c) {
    case 'd': device = optarg; break;
    case 'T': datatype = optarg; break;
    case 'D': decode = 1; break;
    case 'G': gps = optarg; break;
    case 'C': calpath = optarg; break;
    case 'f': target = &freq; break;
    case 'r': target = &rate; break;
    case 't': target = &duration; break;
    case 'g': target = &gain; break;
    case 'b': target = &bw; break;
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
    if (target && !parse_double(optarg, target)) {
      fprintf(stderr, "cellsurvey record: '%s' is not a number\n", optarg);
      return 2;
    }
  }
  if (!device || !isfinite(freq) || !isfinite(rate) || !isfinite(duration) || optind != argc - 1) {
    fprintf(stderr, "cellsurvey record: --device, --freq, --rate, --duration and OUT are required\n%s", usage);
    return 2;
  }
  if (!(rate > 0) || !(duration > 0) || !(freq > 0)) {
    fprintf(stderr, "cellsurvey record: --freq, --rate and --duration must be positive\n");
    return 2;
  }
  if (!cs_sigmf_sample_bytes(datatype)) {
    fprintf(stderr, "cellsurvey record: datatype '%s' is not a SigMF complex type\n", datatype);
    return 2;
  }
  position pos = {NAN, NAN, NAN};
  if (gps && parse_gps(gps, &pos)) {
    fprintf(stderr, "cellsurvey record: --gps '%s': want fixed:LAT,LON[,ALT]\n", gps);
    return 2;
  }
  char base[4096];
  snprintf(base, sizeof base, "%s", argv[optind]);
  strip_suffix(base);

  cs_err err;
  cs_calibration *cal = NULL;
  cs_source *radio = NULL, *mem = NULL;
  cs_sigmf_writer *w = NULL;
  float complex *buf = NULL;
  int rc = 1;
  seg_note note = {0};
  cs_status st = cs_calibration_load(calpath, &cal, &err);
  if (st) goto fail;
  st = cs_soapy_open(device, NULL, &radio, &err);
  if (st) goto fail;
  const cs_soapy_info *info = cs_soapy_get_info(radio);
  note.ppm_applied = cs_calibration_apply(cal, radio);
  if (note.ppm_applied) cs_calibration_ppm(cal, info->serial, &note.ppm);
  st = radio->ops->tune(radio->self, freq, rate, bw, gain, &err);
  if (st) goto fail;
  cs_soapy_get_tuning(radio, NULL, NULL, NULL, &note.gain_db, note.antenna, sizeof note.antenna);
  note.power = cs_calibration_power(cal, info->serial, info->model, freq, note.gain_db, &note.dbm_offset);
  snprintf(note.device, sizeof note.device, "%s", info->label);

  char hw[512], desc[256];
  snprintf(hw, sizeof hw, "%s (model %s, %d-bit ADC) via SoapySDR", info->label, info->model, info->adc_bits);
  snprintf(desc, sizeof desc, "cellsurvey record at %.6f MHz, %.6g sps", freq / 1e6, rate);
  st = cs_sigmf_writer_create(base, datatype, rate, desc, hw, &w, &err);
  if (st) goto fail;

  uint64_t total = (uint64_t)llround(duration * rate), done = 0;
  size_t chunk = decode ? (size_t)fmin((double)total, 2.0 * rate) : 0;
  const size_t block = 65536;
  buf = malloc(block * sizeof *buf);
  if (!buf) { st = cs_fail(&err, CS_ERR_ENV, "out of memory"); goto fail; }
  if (decode) {
    st = cs_memsource_create(chunk, "record chunk", &mem, &err);
    if (st) goto fail;
  }
  cs_soapy_counters cnt;
  cs_soapy_get_counters(radio, &cnt);
  uint64_t overflows0 = cnt.overflows, seen_overflows = cnt.overflows, chunk_start = 0;
  int need_segment = 1;
  int cells = 0;
  while (done < total) {
    size_t want = (size_t)fmin((double)block, (double)(total - done)), n = 0;
    if (decode) want = (size_t)fmin((double)want, (double)(chunk - cs_memsource_size(mem)));
    cs_block_info bi;
    st = cs_source_read(radio, buf, want, &n, &bi, &err);
    if (st) goto fail;
    if (n == 0) { st = cs_fail(&err, CS_ERR_ENV, "%s: stream ended", device); goto fail; }
    cs_soapy_get_counters(radio, &cnt);
    if (cnt.overflows != seen_overflows) { /* samples lost before this block: new segment */
      st = cs_sigmf_writer_annotate(w, done, 0, 0, 0, "overflow", "samples lost before this point", &err);
      if (st) goto fail;
      seen_overflows = cnt.overflows;
      need_segment = 1;
    }
    if (need_segment) {
      st = cs_sigmf_writer_segment(w, freq, bi.time_unix, pos.lat, pos.lon, pos.alt, &err);
      if (st) goto fail;
      need_segment = 0;
      if (decode && cs_memsource_size(mem) > 0) { /* never decode across a gap: restart chunk */
        cs_memsource_clear(mem);
        chunk_start = done;
      }
    }
    st = cs_sigmf_writer_write(w, buf, n, &err);
    if (st) goto fail;
    if (decode) {
      if (cs_memsource_size(mem) == 0) {
        cs_block_info si = bi;
        si.lat = pos.lat; si.lon = pos.lon; si.alt = pos.alt;
        st = cs_memsource_segment(mem, &si, &err);
        if (st) goto fail;
      }
      st = cs_memsource_append(mem, buf, n, &err);
      if (st) goto fail;
    }
    done += n;
    if (decode && (cs_memsource_size(mem) == chunk || done == total)) {
      cs_cell_record b;
      cs_record_init(&b);
      snprintf(b.device, sizeof b.device, "%.95s", info->label);
      snprintf(b.source, sizeof b.source, "%.200s.sigmf-data", base);
      if (!isnan(pos.lat)) { b.has_fix = 1; b.lat = pos.lat; b.lon = pos.lon; b.alt = pos.alt; b.fix_mode = -1; }
      annot_ctx a = {w, note.power, note.dbm_offset, chunk_start, cs_memsource_size(mem), freq, rate, 0, &err, CS_OK};
      cs_pipeline_opts po = {.decode_gsm = 1, .decode_lte = 1, .on_record = on_record, .ctx = &a, .base = &b};
      st = cs_pipeline_run(mem, &po, &err);
      if (!st) st = a.st;
      if (st) goto fail;
      cells += a.cells;
      cs_memsource_clear(mem);
      chunk_start = done;
    }
  }
  st = cs_sigmf_writer_close(w, &err);
  w = NULL;
  if (st) goto fail;
  cs_soapy_get_counters(radio, &cnt);
  st = add_extension(base, device, info->model, &note, cnt.overflows - overflows0, &err);
  if (st) goto fail;
  fprintf(stderr, "recorded %llu samples (%.3f s) at %.6f MHz, gain %.1f dB, %llu overflows%s to %s.sigmf-data\n",
          (unsigned long long)done, done / rate, freq / 1e6, note.gain_db,
          (unsigned long long)(cnt.overflows - overflows0), decode ? "" : "", base);
  if (decode) fprintf(stderr, "decoded %d cell observations (annotations)\n", cells);
  rc = 0;
  goto out;
fail:
  fprintf(stderr, "cellsurvey record: %s\n", err.msg);
  rc = st == CS_ERR_INPUT ? 2 : 1;
  if (w) { /* keep what was recorded: close writes the meta for the samples so far */
    cs_err e2;
    if (cs_sigmf_writer_close(w, &e2) == CS_OK)
      fprintf(stderr, "cellsurvey record: kept the samples recorded so far in %s.sigmf-data\n", base);
  }
out:
  free(buf);
  cs_source_close(mem);
  cs_source_close(radio);
  cs_calibration_free(cal);
  return rc;
}
