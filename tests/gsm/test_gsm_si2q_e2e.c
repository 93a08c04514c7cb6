/* test_gsm_si2q_e2e.c: SI2quater and SI13 through the whole chain. A BCCH carrier is generated
 * (tests/gsm/gmsk_mod.h: FCCH, SCH, BCCH blocks of SI1, SI2, SI3, SI4, two SI2quater instances and
 * SI13 built with the CSN.1 encoder of csn_enc.h), written as SigMF, replayed by the cellsurvey
 * binary with --json and --db; the JSON line and the record JSON kept in the store must hold the
 * UTRAN/E-UTRAN neighbours, RAC and NMO. */
#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "cellsurvey/sigmf.h"
#include "check.h"
#include "csn_enc.h"
#include "gmsk_mod.h"

static void hexb(const char *s, uint8_t *out) {
  for (int i = 0; s[2 * i]; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
}

/* the 8 BCCH messages by TC = (FN div 51) mod 8 */
static void messages(uint8_t msg[8][23]) {
  hexb("55061900000000000000000800000000000000f900002b", msg[0]); /* SI1 */
  hexb("59061a08000000000000001000000000080200fff90000", msg[1]); /* SI2: 10, 20, 61, 124 */
  hexb("49061b567800f1101234c8020a2f4540f900002b2b2b2b", msg[2]); /* SI3: 001-01 LAC 4660 CI 22136 */
  hexb("31061c00f11012344540f900002b2b2b2b2b2b2b2b2b2b", msg[3]); /* SI4 */
  enc e;
  si2q_head(&e, 0, 1, 0); /* instance 0 of 2: UTRAN FDD 10612, codes 0 and 300 */
  w(&e, 0, 7); w(&e, 1, 1); w(&e, 0, 2); w(&e, 1, 1); w(&e, 0, 1);
  fdd_cells(&e, 10612, 1, (int[]){300}, 1);
  w(&e, 0, 1); w(&e, 0, 1); w(&e, 0, 2); wLH(&e, 0);
  memcpy(msg[4], e.b, 23);
  si2q_head(&e, 1, 1, 0); /* instance 1 of 2: E-UTRAN 6300, 50 PRB, priority 5, high 20, qrxlevmin 22 */
  w(&e, 0, 10);
  wLH(&e, 1); w(&e, 0, 2); wLH(&e, 1); w(&e, 0, 1); wLH(&e, 1); w(&e, 0, 2); wLH(&e, 1); w(&e, 1, 1);
  w(&e, 0, 2); w(&e, 1, 1); w(&e, 0, 3); w(&e, 0, 2);
  w(&e, 1, 1); w(&e, 1, 1); w(&e, 6300, 16); w(&e, 1, 1); w(&e, 3, 3); w(&e, 0, 1);
  w(&e, 1, 1); w(&e, 5, 3); w(&e, 20, 5); w(&e, 0, 1); w(&e, 1, 1); w(&e, 22, 5);
  w(&e, 0, 5); wLH(&e, 0);
  memcpy(msg[5], e.b, 23);
  enc_init(&e, 0x01, GSM_MT_SI13); /* SI13: RAC 90, NMO II */
  wLH(&e, 1); w(&e, 0, 7); w(&e, 0, 1); w(&e, 0, 1); w(&e, 90, 8); w(&e, 0, 6); w(&e, 1, 2);
  w(&e, 0, 15); w(&e, 0, 2); w(&e, 0, 19); /* cell options, no PAN/extension, power control */
  wLH(&e, 0);
  memcpy(msg[6], e.b, 23);
  memcpy(msg[7], msg[2], 23);
}

static void write_capture(const char *base) {
  enum { SPS = 4, BSIC = 21 };
  const double fs = GSM_SYMBOL_RATE * SPS;
  const int frames = 51 * 9, fn0 = 51 * 8 * 100;
  uint8_t msg[8][23], bursts[8][4][114], bits[160], coded[78];
  messages(msg);
  gsm_coder c = gsm_coder_create();
  for (int k = 0; k < 8; k++) gsm_xcch_encode(c, msg[k], bursts[k]);
  cs_sigmf_writer *wr;
  cs_err err = {{0}};
  CHECK_INT(cs_sigmf_writer_create(base, "ci16_le", fs, "synthetic GSM C0 with SI2quater and SI13", "test", &wr, &err), CS_OK);
  cs_sigmf_writer_segment(wr, 947.0e6, NAN, NAN, NAN, NAN, &err); /* ARFCN 60 */
  static float complex x[1250 * SPS];
  double phase = 0, spill[MOD_SPAN * SPS] = {0};
  int prev = 0;
  uint32_t seed = 11;
  for (int f = 0; f < frames; f++) {
    int fn = fn0 + f, t = fn % 51, tc = (fn / 51) % 8;
    size_t pos = 0;
    for (int ts = 0; ts < 8; ts++) {
      int len = ts == 0 || ts == 4 ? 157 : 156;
      memset(bits, 0, sizeof bits);
      if (ts == 0 && t % 10 == 0 && t != 50) { /* FCCH */
      } else if (ts == 0 && t % 10 == 1) {     /* SCH */
        gsm_sch_info s;
        gsm_sch_from_fn((uint32_t)fn, BSIC, &s);
        gsm_sch_encode(c, &s, coded);
        gsm_sch_burst(coded, bits);
      } else if (ts == 0 && t >= 2 && t <= 5) { /* BCCH Norm */
        gsm_normal_burst(bursts[tc][t - 2], BSIC & 7, bits);
      } else {
        for (int k = 3; k < 145; k++) { seed = seed * 1664525u + 1013904223u; bits[k] = seed >> 31; }
        if (ts == 0) memcpy(bits + 61, gsm_tsc[BSIC & 7], 26);
      }
      gmsk_modulate(bits, len, SPS, &phase, &prev, spill, x + pos, 0.1f);
      pos += (size_t)len * SPS;
    }
    for (size_t i = 0; i < pos; i++) x[i] += test_noise(&seed, 0.002f);
    cs_sigmf_writer_write(wr, x, pos, &err);
  }
  CHECK_INT(cs_sigmf_writer_close(wr, &err), CS_OK);
  gsm_coder_destroy(c);
}

/* the SI2quater / SI13 fields of one record's JSON */
static void check_json(const char *what, const char *text) {
  cJSON *o = cJSON_Parse(text);
  CHECK(o != NULL, "%s: JSON does not parse", what);
  if (!o) return;
  printf("%s: %s\n", what, text);
  CHECK_INT(cJSON_GetObjectItem(o, "bsic")->valueint, 21);
  CHECK_INT(cJSON_GetObjectItem(o, "cell_id")->valueint, 22136);
  CHECK_INT(cJSON_GetObjectItem(o, "rac")->valueint, 90);
  CHECK_INT(cJSON_GetObjectItem(o, "nmo")->valueint, 2);
  cJSON *u = cJSON_GetObjectItem(o, "utran_neighbours"), *e = cJSON_GetObjectItem(o, "eutran_neighbours");
  CHECK(cJSON_GetArraySize(u) == 1 && cJSON_GetArraySize(e) == 1, "%s: one UTRAN, one E-UTRAN neighbour", what);
  cJSON *u0 = cJSON_GetArrayItem(u, 0), *e0 = cJSON_GetArrayItem(e, 0);
  if (u0) {
    cJSON *sc = cJSON_GetObjectItem(u0, "scrambling_codes");
    CHECK_INT(cJSON_GetObjectItem(u0, "uarfcn")->valueint, 10612);
    CHECK(cJSON_GetArraySize(sc) == 2 && cJSON_GetArrayItem(sc, 0)->valueint == 0 &&
              cJSON_GetArrayItem(sc, 1)->valueint == 300, "%s: scrambling codes", what);
  }
  if (e0) {
    CHECK_INT(cJSON_GetObjectItem(e0, "earfcn")->valueint, 6300);
    CHECK_INT(cJSON_GetObjectItem(e0, "meas_bw_prb")->valueint, 50);
    CHECK_INT(cJSON_GetObjectItem(e0, "priority")->valueint, 5);
    CHECK_INT(cJSON_GetObjectItem(e0, "qrxlevmin")->valueint, 22);
  }
  cJSON *si = cJSON_GetObjectItem(o, "si_seen");
  int q = 0, s13 = 0;
  cJSON *it;
  cJSON_ArrayForEach(it, si) {
    q |= !strcmp(it->valuestring, "SI2quater");
    s13 |= !strcmp(it->valuestring, "SI13");
  }
  CHECK(q && s13, "%s: SI2quater and SI13 in si_seen", what);
  cJSON_Delete(o);
}

int main(void) {
  const char *bin = getenv("CELLSURVEY");
  if (!bin) { printf("SKIP: CELLSURVEY (the binary) not set\n"); return 77; }
  char base[4096], db[4200], cmd[16384], line[65536];
  snprintf(base, sizeof base, "%s/gsm_si2q_e2e", check_tmp_dir());
  snprintf(db, sizeof db, "%s.db", base);
  remove(db);
  write_capture(base);
  snprintf(cmd, sizeof cmd, "'%s' replay --json --db '%s' '%s'", bin, db, base);
  FILE *p = popen(cmd, "r");
  int n = 0;
  while (p && fgets(line, sizeof line, p)) {
    n++;
    check_json("replay --json", line);
  }
  int rc = p ? pclose(p) : -1;
  CHECK_INT(rc, 0);
  CHECK_INT(n, 1);
  sqlite3 *h;
  sqlite3_stmt *q;
  int rows = 0;
  CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
  if (sqlite3_prepare_v2(h, "SELECT json FROM measurements", -1, &q, NULL) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      rows++;
      check_json("store", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(h);
  CHECK_INT(rows, 1);
  snprintf(line, sizeof line, "%s.sigmf-data", base); remove(line);
  snprintf(line, sizeof line, "%s.sigmf-meta", base); remove(line);
  remove(db);
  return check_done();
}
