/* test_gsm_si.c: System Information parsers (TS 44.018 9.1.31 onward) and every frequency list
 * format (10.5.2.13: bit map 0, range 1024/512/256/128, variable bit map). Range vectors are
 * built from W values whose frequencies follow from the spec's formulas (worked in comments). */
#include "cellsurvey/record.h"
#include "check.h"
#include "gsm/gsm_freqlist.h"
#include "gsm/gsm_si.h"
#include "csn_enc.h"

static void hex(const char *s, uint8_t *out) {
  for (int i = 0; s[2 * i]; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
}

/* bit writer, MSB first, offset 0 = bit 8 of octet 0 */
static void put(uint8_t *v, int *pos, unsigned x, int n) {
  for (int i = n - 1; i >= 0; i--, (*pos)++)
    if ((x >> i) & 1) v[*pos >> 3] |= (uint8_t)(0x80 >> (*pos & 7));
}

static int list(const gsm_arfcn_set *s, int *out) {
  int n = 0;
  for (int a = 0; a < 1024; a++)
    if (gsm_set_has(s, a)) out[n++] = a;
  return n;
}

static void expect(const gsm_arfcn_set *s, const int *want, int nwant, const char *what) {
  int got[1024], n = list(s, got);
  int ok = n == nwant;
  for (int i = 0; ok && i < n; i++) ok = got[i] == want[i];
  CHECK(ok, "%s: %d ARFCNs decoded, want %d", what, n, nwant);
  if (!ok)
    for (int i = 0; i < n; i++) fprintf(stderr, " %d", got[i]);
}

static void test_formats(void) {
  gsm_arfcn_set s;
  uint8_t v[16];
  int pos;
  /* bit map 0 (10.5.2.1b.2): SI2 neighbour description of a generated cell: 10, 20, 61, 124 */
  hex("08000000000000001000000000080200", v);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_BITMAP0);
  expect(&s, (int[]){10, 20, 61, 124}, 4, "bitmap0");

  /* 1024 range (10.5.2.13.3), F0 = 1, W1=100 W2=50 W3=60 W4=30:
   * F1 = W1 = 100; F2 = (W1 - 512 + W2) smod 1023 = 661; F3 = (W1 + W3) smod 1023 = 160;
   * F4 = (W1 - 512 + (W2 - 256 + W4) smod 511) smod 1023 = 946; plus ARFCN 0 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 2); put(v, &pos, 0, 1); put(v, &pos, 1, 1);
  put(v, &pos, 100, 10); put(v, &pos, 50, 9); put(v, &pos, 60, 9); put(v, &pos, 30, 8);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_RANGE1024);
  expect(&s, (int[]){0, 100, 160, 661, 946}, 5, "range1024");

  /* 512 range (10.5.2.13.4), ORIG=100, W1=20 W2=10 W3=5: F1 = ORIG + W1 = 120;
   * F2 = ORIG + (W1 - 256 + W2) smod 511 = 100 + 285 = 385; F3 = ORIG + (W1 + W3) smod 511 = 125 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 2); put(v, &pos, 0x4, 3);
  put(v, &pos, 100, 10); put(v, &pos, 20, 9); put(v, &pos, 10, 8); put(v, &pos, 5, 8);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_RANGE512);
  expect(&s, (int[]){100, 120, 125, 385}, 4, "range512");

  /* 256 range (10.5.2.13.5), ORIG=1000, W1=200 W2=100: F1 = (1000+200) mod 1024 = 176;
   * F2 = ORIG + (W1 - 128 + W2) smod 255 = 1000 + 172 -> 148 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 2); put(v, &pos, 0x5, 3);
  put(v, &pos, 1000, 10); put(v, &pos, 200, 8); put(v, &pos, 100, 7);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_RANGE256);
  expect(&s, (int[]){148, 176, 1000}, 3, "range256");

  /* 128 range (10.5.2.13.6), ORIG=512, W1=5 W2=60 W3=3: F1 = 517;
   * F2 = ORIG + (W1 - 64 + W2) smod 127 = 512 + 1 = 513; F3 = ORIG + (W1 + W3) smod 127 = 520 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 2); put(v, &pos, 0x6, 3);
  put(v, &pos, 512, 10); put(v, &pos, 5, 7); put(v, &pos, 60, 6); put(v, &pos, 3, 6);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_RANGE128);
  expect(&s, (int[]){512, 513, 517, 520}, 4, "range128");

  /* variable bit map (10.5.2.13.7), ORIG=975, RRFCN 1, 49, 111 -> 976, 0, 62 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 2); put(v, &pos, 0x7, 3); put(v, &pos, 975, 10);
  v[(16 + 1) >> 3] |= (uint8_t)(0x80 >> ((16 + 1) & 7));
  v[(16 + 49) >> 3] |= (uint8_t)(0x80 >> ((16 + 49) & 7));
  v[(16 + 111) >> 3] |= (uint8_t)(0x80 >> ((16 + 111) & 7));
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_VARIABLE);
  expect(&s, (int[]){0, 62, 975, 976}, 4, "variable bitmap");

  /* malformed: a child without its parent; bits 8,7 = 01 */
  memset(v, 0, sizeof v); pos = 0;
  put(v, &pos, 0x2, 2); put(v, &pos, 0, 4); put(v, &pos, 0, 10); put(v, &pos, 7, 9);
  memset(&s, 0, sizeof s);
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_INVALID);
  v[0] = 0x40;
  CHECK_INT(gsm_freqlist_decode(v, 0, &s), GSM_FL_INVALID);
}

static int parse_hex(gsm_si_cell *c, const char *h) {
  uint8_t b[23] = {0};
  hex(h, b);
  return gsm_si_parse(c, b, 23);
}

static void test_messages(void) {
  gsm_si_cell c;
  gsm_si_init(&c);
  /* a generated cell: SI1..SI4 L2 blocks (TS 44.018 9.1.31, 9.1.32, 9.1.35, 9.1.36) */
  CHECK_INT(parse_hex(&c, "55061900000000000000000800000000000000f900002b"), GSM_MT_SI1);
  expect(&c.ca, (int[]){60}, 1, "SI1 cell allocation");
  CHECK_INT(parse_hex(&c, "59061a08000000000000001000000000080200fff90000"), GSM_MT_SI2);
  expect(&c.ba2, (int[]){10, 20, 61, 124}, 4, "SI2 neighbours");
  CHECK_INT(c.ba_format, GSM_FL_BITMAP0);
  CHECK_INT(c.ncc_permitted, 0xff);
  CHECK_INT(parse_hex(&c, "49061b567800f1101234c8020a2f4540f900002b2b2b2b"), GSM_MT_SI3);
  CHECK_STR(c.mcc, "001");
  CHECK_STR(c.mnc, "01");
  CHECK_INT(c.lac, 4660);
  CHECK_INT(c.cell_id, 22136);
  CHECK_INT(c.ccch_conf, 0);
  CHECK_INT(c.bs_ag_blks_res, 1);
  CHECK_INT(c.cell_barred, 0);
  CHECK_INT(c.gprs, 0); /* rest octets all padding: no GPRS indicator */
  CHECK_INT(parse_hex(&c, "31061c00f11012344540f900002b2b2b2b2b2b2b2b2b2b"), GSM_MT_SI4);
  CHECK_INT(c.rxlev_access_min, 0);
  CHECK_INT(c.si_seen, GSM_SEEN_SI1 | GSM_SEEN_SI2 | GSM_SEEN_SI3 | GSM_SEEN_SI4);

  /* the real SI3 of a 2007 recording (MCC 272, MNC 02, LAC 0x3AA8, CI 0x3B2D) */
  gsm_si_init(&c);
  CHECK_INT(parse_hex(&c, "49061b3b2d72f2203aa8d0033c546506b900008020420b"), GSM_MT_SI3);
  CHECK_STR(c.mcc, "272");
  CHECK_STR(c.mnc, "02");
  CHECK_INT(c.lac, 15016);
  CHECK_INT(c.cell_id, 15149);
  /* its rest octets 80 20 42 0b: selection parameters (H + 15 bits), L, H, H, L, then H: GPRS */
  CHECK_INT(c.gprs, 1);

  /* 3-digit MNC (10.5.1.3: MNC digit 3 not F): MCC 310 MNC 260; barred cell */
  CHECK_INT(parse_hex(&c, "49061b1f01130062a101c8020a2f4540fb00002b2b2b2b"), GSM_MT_SI3);
  CHECK_STR(c.mcc, "310");
  CHECK_STR(c.mnc, "260");
  CHECK_INT(c.lac, 0xa101);
  CHECK_INT(c.cell_barred, 1);

  /* SI2bis (9.1.33) and SI2ter (9.1.34) extend the neighbour list (EXT-IND / BA-IND rules in
   * test_ba_merge); here SI2 says EXT-IND = 0 (complete), so only SI2ter adds */
  gsm_si_init(&c);
  CHECK_INT(parse_hex(&c, "59061a08000000000000001000000000080200fff90000"), GSM_MT_SI2);
  /* SI2bis: 1024 range, W1 = 700 */
  CHECK_INT(parse_hex(&c, "550602" "82bc00000000000000000000000000" "00" "f90000" "2b"), GSM_MT_SI2BIS);
  /* SI2ter: Neighbour Cell Description 2, 1024 range (bit 8 = 1, bit 4 = 0), W1 = 512 */
  CHECK_INT(parse_hex(&c, "490603" "8200000000000000000000000000000000" "2b2b2b"), GSM_MT_SI2TER);
  CHECK_INT(c.si_seen, GSM_SEEN_SI2 | GSM_SEEN_SI2BIS | GSM_SEEN_SI2TER);
  int nb[16];
  CHECK_INT(gsm_si_neighbours(&c, nb, 16), 5);
  CHECK(nb[4] == 512 && nb[3] == 124, "SI2 + SI2ter: %d %d", nb[3], nb[4]);
  /* SI2quater (9.1.34a) with nothing in it; SI13 (9.1.43a, pseudo length 0) means GPRS */
  CHECK_INT(parse_hex(&c, "0906070000002b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"), GSM_MT_SI2QUATER);
  CHECK_INT(parse_hex(&c, "01060090000000000000000000000000002b2b2b2b2b2b"), GSM_MT_SI13);
  CHECK_INT(c.gprs, 1);
  CHECK(c.si_seen & GSM_SEEN_SI2QUATER && c.si_seen & GSM_SEEN_SI13, "SI2quater/SI13 seen");

  /* fill frames, paging, unknown and malformed messages are counted, never trusted */
  gsm_si_init(&c);
  CHECK_INT(parse_hex(&c, "01032b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"), -1);
  CHECK_INT(c.fill, 1);
  CHECK_INT(parse_hex(&c, "15062101f0002b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"), GSM_MT_PAGING1);
  CHECK_INT(c.other, 1);
  CHECK_INT(parse_hex(&c, "49067700000000000000000000000000000000000000"), -1);
  CHECK_INT(c.unknown, 1);
  CHECK_INT(parse_hex(&c, "49061b5678a0f1101234c8020a2f4540f900002b2b2b2b"), -1); /* MCC digit 0xA */
  uint8_t shortmsg[4] = {0x49, 0x06, 0x1b, 0x56};
  CHECK_INT(gsm_si_parse(&c, shortmsg, 4), -1);
  CHECK_INT(parse_hex(&c, "fd061b567800f1101234c8020a2f4540f900002b2b2b2b"), -1); /* length 63 > 23 */
  CHECK_INT(c.malformed, 3);
  CHECK_INT(c.lac, -1);
  CHECK_STR(c.mcc, "");
  CHECK_INT(c.si_seen, 0);
}

/* With CS_SEED_DIR set, the encoded messages are also written there as fuzz seeds
 * (fuzz/corpus/gsm_si/si2q_*.bin, si13_*.bin were made so). */
static void seed(const char *name, const uint8_t *b, size_t n) {
  const char *dir = getenv("CS_SEED_DIR");
  if (!dir) return;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.bin", dir, name);
  FILE *f = fopen(path, "wb");
  if (f) { fwrite(b, 1, n, f); fclose(f); }
}

static int has_sc(const gsm_utran_fdd *u, int sc) { return (u->sc[sc >> 3] >> (sc & 7)) & 1; }

static void test_si2quater(void) {
  gsm_si_cell c;
  gsm_si_init(&c);
  enc e0, e1[2]; /* instances 1 and 2 */
  /* instance 0 of 3: nothing before the 3G Neighbour Cell Description, then two FDD frequencies:
   * 10612 with FDD_Indic0 (code 0) and W(1) = 300 -> {0, 300};
   * 10637 with W = 100, 50, 60 -> F1 = 100, F2 = (100 - 512 + 50) smod 1023 = 661,
   * F3 = (100 + 60) smod 1023 = 160 (10.5.2.13.3); 661 = diversity bit + code 149 */
  si2q_head(&e0, 0, 2, 1);
  w(&e0, 0, 7); /* no Measurement, RTD, BSIC, REPORT PRIORITY, MEASUREMENT, NC, extension */
  w(&e0, 1, 1); /* 3G Neighbour Cell Description */
  w(&e0, 0, 1); w(&e0, 0, 1); /* no Index_Start_3G, no Absolute_Index_Start_EMR */
  w(&e0, 1, 1); w(&e0, 0, 1); /* UTRAN FDD Description, no Bandwidth_FDD */
  fdd_cells(&e0, 10612, 1, (int[]){300}, 1);
  fdd_cells(&e0, 10637, 0, (int[]){100, 50, 60}, 3);
  w(&e0, 0, 1); /* end of FDD cells */
  w(&e0, 0, 1); /* no UTRAN TDD Description */
  w(&e0, 0, 1); w(&e0, 0, 1); /* no 3G Measurement / GPRS_3G_MEASUREMENT Parameters */
  wLH(&e0, 0);  /* no Rel-5 additions */
  CHECK(e0.pos <= 160, "instance 0: %d bits", e0.pos);
  CHECK_INT(gsm_si_parse(&c, e0.b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(c.n_utran, 2);
  CHECK_INT(c.n_eutran, 0);
  CHECK_INT(c.utran[0].uarfcn, 10612);
  CHECK_INT(c.utran[0].n_sc, 2);
  CHECK(has_sc(&c.utran[0], 0) && has_sc(&c.utran[0], 300), "10612 scrambling codes");
  CHECK_INT(c.utran[1].uarfcn, 10637);
  CHECK_INT(c.utran[1].n_sc, 3);
  CHECK(has_sc(&c.utran[1], 100) && has_sc(&c.utran[1], 149) && has_sc(&c.utran[1], 160), "10637 codes");

  /* instance 1 of 3: the optional GPRS parts present (skipped by their CSN.1 lengths) and a TDD
   * frequency */
  si2q_head(&e1[0], 1, 2, 1);
  w(&e1[0], 1, 1); w(&e1[0], 0x5, 3);              /* Measurement_Parameters: REPORT_TYPE, SERVING_BAND */
  w(&e1[0], 1, 1);                              /* GPRS_Real Time Difference Description */
  w(&e1[0], 1, 1); w(&e1[0], 0, 1);                /*  RTD6 part, no BA_Index_Start_RTD */
  w(&e1[0], 0, 1); w(&e1[0], 33, 6); w(&e1[0], 1, 1); /*  RTD6 struct {0 RTD} ** 1 */
  w(&e1[0], 0, 1); w(&e1[0], 1, 1);                /*  { 0 < RTD6 Struct > } (empty struct) ** 1 */
  w(&e1[0], 1, 1);
  w(&e1[0], 0, 1);                              /*  no RTD12 part */
  w(&e1[0], 1, 1); w(&e1[0], 0, 1); w(&e1[0], 7, 6); w(&e1[0], 2, 7); w(&e1[0], 0x55, 7); w(&e1[0], 0x2a, 7); /* GPRS_BSIC */
  w(&e1[0], 1, 1); w(&e1[0], 3, 7); w(&e1[0], 5, 3);  /* GPRS_REPORT PRIORITY: 3 cells */
  w(&e1[0], 0, 1);                              /* no GPRS_MEASUREMENT_Parameters */
  w(&e1[0], 1, 1); w(&e1[0], 2, 2); w(&e1[0], 0, 1);  /* NC Measurement Parameters, no periods */
  w(&e1[0], 1, 1); w(&e1[0], 4, 8); w(&e1[0], 0x1f, 5); /* extension: length 4 -> 5 bits */
  w(&e1[0], 1, 1); w(&e1[0], 0, 2);                /* 3G Neighbour Cell Description */
  w(&e1[0], 0, 1);                              /*  no UTRAN FDD */
  w(&e1[0], 1, 1); w(&e1[0], 0, 1);                /*  UTRAN TDD, no Bandwidth_TDD */
  w(&e1[0], 1, 1); w(&e1[0], 0, 1); w(&e1[0], 10087, 14); w(&e1[0], 0, 1); w(&e1[0], 2, 5); w(&e1[0], 0x1abcd, 17); /* q(2) = 17 */
  w(&e1[0], 0, 1);                              /*  end of TDD cells */
  w(&e1[0], 0, 1); w(&e1[0], 0, 1);                /* no 3G Measurement / GPRS_3G_MEASUREMENT */
  wLH(&e1[0], 0);                               /* no Rel-5 additions */
  CHECK(e1[0].pos <= 160, "instance 1: %d bits", e1[0].pos);
  /* instance 2 of 3: Rel-5..Rel-8 additions with the E-UTRAN Parameters Description */
  enc *e2q = &e1[1];
  si2q_head(e2q, 2, 2, 1);
  w(e2q, 0, 10);                             /* nothing up to the Rel-5 additions */
  wLH(e2q, 1); w(e2q, 0, 1); w(e2q, 0, 1);   /* Rel-5: no 3G additional measurement parameters */
  wLH(e2q, 1); w(e2q, 0, 1);                 /* Rel-6: 3G_CCN_ACTIVE */
  wLH(e2q, 1); w(e2q, 0, 1); w(e2q, 0, 1);   /* Rel-7: no 700/810 reporting */
  wLH(e2q, 1); w(e2q, 1, 1);                 /* Rel-8: Priority and E-UTRAN Parameters Description */
  w(e2q, 0, 1);                              /*  no Serving Cell Priority Parameters */
  w(e2q, 0, 1);                              /*  no 3G Priority Parameters */
  w(e2q, 1, 1); w(e2q, 0x3, 3);              /*  E-UTRAN Parameters: CCN_ACTIVE, Start, Stop */
  w(e2q, 1, 1); w(e2q, 0x2a, 7); w(e2q, 0, 1); /*  E-UTRAN Measurement Parameters, threshold form */
  w(e2q, 1, 1); w(e2q, 4, 3); w(e2q, 0, 1); w(e2q, 1, 1); w(e2q, 2, 3); /*  FDD: thr, no thr2, offset */
  w(e2q, 0, 1);                              /*  no TDD */
  w(e2q, 0, 1);                              /*  no GPRS E-UTRAN Measurement Parameters */
  w(e2q, 1, 1);                              /*  Repeated E-UTRAN Neighbour Cells, group 1 */
  w(e2q, 1, 1); w(e2q, 6300, 16); w(e2q, 1, 1); w(e2q, 3, 3); /*   EARFCN 6300, 50 PRB */
  w(e2q, 1, 1); w(e2q, 1300, 16); w(e2q, 0, 1);               /*   EARFCN 1300, bandwidth absent */
  w(e2q, 0, 1);
  w(e2q, 1, 1); w(e2q, 5, 3); w(e2q, 20, 5); w(e2q, 0, 1); w(e2q, 1, 1); w(e2q, 22, 5); /* prio 5, high 20, qrxlevmin 22 */
  w(e2q, 1, 1);                              /*  group 2 */
  w(e2q, 1, 1); w(e2q, 3050, 16); w(e2q, 1, 1); w(e2q, 5, 3); w(e2q, 0, 1); /*   EARFCN 3050, 100 PRB */
  w(e2q, 0, 1); w(e2q, 10, 5); w(e2q, 1, 1); w(e2q, 4, 5); w(e2q, 0, 1); /* no prio, high 10, low 4 */
  w(e2q, 0, 1);                              /*  end of neighbour cells */
  w(e2q, 0, 1); w(e2q, 0, 1);                /*  no Not Allowed Cells, no PCID to TA mapping */
  w(e2q, 0, 1); w(e2q, 0, 1);                /* no 3G CSG, no E-UTRAN CSG */
  wLH(e2q, 0);                               /* no Rel-9 additions */
  CHECK(e2q->pos <= 160, "instance 2: %d bits", e2q->pos);
  seed("si2q_utran_fdd", e0.b, 23);
  seed("si2q_gprs_tdd", e1[0].b, 23);
  seed("si2q_eutran", e1[1].b, 23);
  CHECK_INT(gsm_si_parse(&c, e1[0].b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(c.n_eutran, 0);
  CHECK_INT(gsm_si_parse(&c, e2q->b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(c.si2q_mask, 7);
  CHECK_INT(c.si2q_count, 2);
  CHECK_INT(c.n_utran, 2); /* TDD frequencies are not listed */
  CHECK_INT(c.n_eutran, 3);
  if (c.n_eutran == 3) {
    const gsm_eutran_nb *x = c.eutran;
    CHECK(x[0].earfcn == 6300 && x[0].meas_bw_prb == 50 && x[0].priority == 5 && x[0].thresh_high == 20 &&
              x[0].thresh_low == -1 && x[0].qrxlevmin == 22, "E-UTRAN 6300");
    CHECK(x[1].earfcn == 1300 && x[1].meas_bw_prb == 6 && x[1].priority == 5, "E-UTRAN 1300 (NRB 6 when absent)");
    CHECK(x[2].earfcn == 3050 && x[2].meas_bw_prb == 100 && x[2].priority == -1 && x[2].thresh_high == 10 &&
              x[2].thresh_low == 4 && x[2].qrxlevmin == -1, "E-UTRAN 3050");
  }
  /* instances repeat on the BCCH: nothing is added twice */
  CHECK_INT(gsm_si_parse(&c, e0.b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(gsm_si_parse(&c, e1[0].b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(gsm_si_parse(&c, e1[1].b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(c.n_utran, 2);
  CHECK_INT(c.utran[1].n_sc, 3);
  CHECK_INT(c.n_eutran, 3);
  CHECK_INT(c.malformed, 0);

  /* into the record and its JSON */
  cs_cell_record r;
  cs_record_init(&r);
  r.rat = CS_RAT_GSM;
  char *js = cs_record_to_json(&r);
  if (!js) js = strdup("(null)");
  CHECK(strstr(js, "\"utran_neighbours\":null") && strstr(js, "\"eutran_neighbours\":null") &&
            strstr(js, "\"rac\":null") && strstr(js, "\"nmo\":null"), "unknown SI2quater/SI13 fields are null: %s", js);
  free(js);
  r.n_utran = 1;
  r.utran[0] = (cs_utran_neighbour){10612, 2, {0, 300}};
  r.n_eutran = 1;
  r.eutran[0] = (cs_eutran_neighbour){6300, 50, 5, 20, -1, 22};
  r.rac = 90;
  r.nmo = 2;
  js = cs_record_to_json(&r);
  if (!js) js = strdup("(null)");
  CHECK(strstr(js, "\"utran_neighbours\":[{\"uarfcn\":10612,\"scrambling_codes\":[0,300]}]"), "utran JSON: %s", js);
  CHECK(strstr(js, "\"eutran_neighbours\":[{\"earfcn\":6300,\"meas_bw_prb\":50,\"priority\":5,"
                         "\"thresh_high\":20,\"thresh_low\":null,\"qrxlevmin\":22}]"), "eutran JSON: %s", js);
  CHECK(strstr(js, "\"rac\":90,\"nmo\":2"), "rac/nmo JSON: %s", js);
  free(js);

  /* a new 3G_BA_IND starts a new set (the lists changed) */
  enc e2;
  si2q_head(&e2, 0, 0, 0);
  w(&e2, 0, 7); w(&e2, 1, 1); w(&e2, 0, 2); w(&e2, 1, 1); w(&e2, 0, 1);
  fdd_cells(&e2, 2950, 0, (int[]){7}, 1);
  w(&e2, 0, 1); w(&e2, 0, 1); w(&e2, 0, 2); wLH(&e2, 0);
  CHECK_INT(gsm_si_parse(&c, e2.b, 23), GSM_MT_SI2QUATER);
  CHECK_INT(c.n_utran, 1);
  CHECK_INT(c.utran[0].uarfcn, 2950);
  CHECK_INT(c.n_eutran, 0);

  /* malformed and truncated instances are counted and change nothing */
  unsigned bad = c.malformed;
  CHECK_INT(gsm_si_parse(&c, e0.b, 9), -1); /* cut inside the FDD cells */
  enc e3;
  si2q_head(&e3, 3, 2, 0); /* INDEX > COUNT */
  w(&e3, 0, 9); wLH(&e3, 0);
  CHECK_INT(gsm_si_parse(&c, e3.b, 23), -1);
  si2q_head(&e3, 0, 0, 0); /* FDD-ARFCN-INDEX form ('1'), not allowed */
  w(&e3, 0, 7); w(&e3, 1, 1); w(&e3, 0, 2); w(&e3, 1, 1); w(&e3, 0, 1); w(&e3, 1, 1); w(&e3, 1, 1); w(&e3, 0, 20);
  CHECK_INT(gsm_si_parse(&c, e3.b, 23), -1);
  si2q_head(&e3, 0, 0, 0); /* 16 FDD cells announced (122 bits) and an endless repetition */
  w(&e3, 0, 7); w(&e3, 1, 1); w(&e3, 0, 2); w(&e3, 1, 1); w(&e3, 0, 1);
  for (int k = 0; k < 3; k++) { w(&e3, 1, 1); w(&e3, 0, 1); w(&e3, 10700, 14); w(&e3, 0, 1); w(&e3, 16, 5); w(&e3, 0x3ff, 10); }
  CHECK_INT(gsm_si_parse(&c, e3.b, 23), -1);
  uint8_t ones[23];
  memset(ones, 0xff, sizeof ones);
  ones[0] = 0x05; ones[1] = 0x06; ones[2] = GSM_MT_SI2QUATER;
  CHECK_INT(gsm_si_parse(&c, ones, 23), -1); /* every option present, every repetition endless */
  seed("si2q_fdd_16_cut", e3.b, 23);
  CHECK_INT(c.malformed, bad + 5);
  CHECK_INT(c.n_utran, 1);
  CHECK_INT(c.utran[0].uarfcn, 2950);
}

/* SI13 rest octets (10.5.2.37b) with the GPRS Mobile Allocation and GPRS Cell Options of
 * TS 44.060 12.10a and 12.24 */
static void test_si13(void) {
  gsm_si_cell c;
  gsm_si_init(&c);
  enc e;
  enc_init(&e, 0x01, GSM_MT_SI13); /* pseudo length 0 */
  wLH(&e, 1);
  w(&e, 5, 3); w(&e, 2, 4);                 /* BCCH_CHANGE_MARK, SI_CHANGE_FIELD */
  w(&e, 1, 1); w(&e, 1, 2); w(&e, 9, 6);    /* SI13_CHANGE_MARK, GPRS Mobile Allocation: HSN */
  w(&e, 1, 1); w(&e, 3, 4); w(&e, 1, 1); w(&e, 4, 4); w(&e, 0, 1); /* RFL number list 3, 4 */
  w(&e, 0, 1); w(&e, 3, 6); w(&e, 0xb, 4);  /* MA_LENGTH 3, MA_BITMAP 4 bits */
  w(&e, 0, 1);                              /* PBCCH not present */
  w(&e, 0x5a, 8);                           /* RAC */
  w(&e, 1, 1); w(&e, 6, 3); w(&e, 0, 2);    /* SPGC_CCCH_SUP, PRIORITY_ACCESS_THR, NETWORK_CONTROL_ORDER */
  w(&e, 1, 2);                              /* GPRS Cell Options: NMO II */
  w(&e, 3, 3); w(&e, 4, 3); w(&e, 2, 3); w(&e, 1, 1); w(&e, 0, 1); w(&e, 15, 4); /* T3168 T3192 DRX ABT CAT BS_CV_MAX */
  w(&e, 0, 1); w(&e, 0, 1);                 /* no PAN, no extension */
  w(&e, 0, 19);                             /* GPRS Power Control Parameters */
  wLH(&e, 0);                               /* no Release 99 additions */
  CHECK_INT(gsm_si_parse(&c, e.b, 23), GSM_MT_SI13);
  seed("si13_ma_bitmap", e.b, 23);
  CHECK_INT(c.bcch_change_mark, 5);
  CHECK_INT(c.si_change_field, 2);
  CHECK_INT(c.pbcch, 0);
  CHECK_INT(c.rac, 0x5a);
  CHECK_INT(c.nmo, 2);
  CHECK_INT(c.t3168, 3);
  CHECK_INT(c.t3192, 4);
  CHECK_INT(c.drx_timer_max, 2);
  CHECK_INT(c.access_burst_type, 1);
  CHECK_INT(c.control_ack_type, 0);
  CHECK_INT(c.bs_cv_max, 15);
  CHECK_INT(c.gprs, 1);

  /* ARFCN index list form of the MA, NMO I */
  gsm_si_init(&c);
  enc_init(&e, 0x01, GSM_MT_SI13);
  wLH(&e, 1); w(&e, 1, 3); w(&e, 0, 4);
  w(&e, 1, 1); w(&e, 0, 2); w(&e, 0, 6); w(&e, 0, 1);
  w(&e, 1, 1); w(&e, 1, 1); w(&e, 5, 6); w(&e, 1, 1); w(&e, 6, 6); w(&e, 0, 1); /* ARFCN indexes 5, 6 */
  w(&e, 0, 1); w(&e, 200, 8); w(&e, 0, 6); w(&e, 0, 2); w(&e, 0, 15);
  CHECK_INT(gsm_si_parse(&c, e.b, 23), GSM_MT_SI13);
  seed("si13_ma_index", e.b, 23);
  CHECK_INT(c.rac, 200);
  CHECK_INT(c.nmo, 1);
  CHECK_INT(c.bcch_change_mark, 1);

  /* PBCCH present: no RAC/NMO in SI13 */
  gsm_si_init(&c);
  enc_init(&e, 0x01, GSM_MT_SI13);
  wLH(&e, 1); w(&e, 0, 7); w(&e, 0, 1); w(&e, 1, 1); w(&e, 0, 20);
  CHECK_INT(gsm_si_parse(&c, e.b, 23), GSM_MT_SI13);
  CHECK_INT(c.pbcch, 1);
  CHECK_INT(c.rac, -1);
  CHECK_INT(c.nmo, -1);

  /* L: no rest octets content; truncated: counted */
  gsm_si_init(&c);
  enc_init(&e, 0x01, GSM_MT_SI13);
  wLH(&e, 0);
  CHECK_INT(gsm_si_parse(&c, e.b, 23), GSM_MT_SI13);
  CHECK_INT(c.rac, -1);
  CHECK_INT(c.bcch_change_mark, -1);
  enc_init(&e, 0x01, GSM_MT_SI13);
  wLH(&e, 1); w(&e, 0, 8); w(&e, 0x77, 8);
  CHECK_INT(gsm_si_parse(&c, e.b, 5), -1);
  CHECK_INT(c.malformed, 1);
  CHECK_INT(c.rac, -1);
}

/* The BA of SI2 + SI2bis + SI2ter (10.5.2.22 EXT-IND / BA-IND, 10.5.2.22a BA-IND) */
static int si2x(gsm_si_cell *c, int mt, int ext_ind, int ba_ind, int w1) {
  enc e;
  enc_init(&e, mt == GSM_MT_SI2TER ? 0x49 : mt == GSM_MT_SI2 ? 0x59 : 0x55, (uint8_t)mt);
  /* octet 2 of the IE: 1024 range (bit 8 = 1, bits 7 and 4 = 0), EXT-IND bit 6 (SI2ter: multiband
   * reporting), BA-IND bit 5, F0 = 0, then W(1) */
  memset(e.b + 3, 0, 16);
  w(&e, 2, 2); w(&e, (unsigned)ext_ind, 1); w(&e, (unsigned)ba_ind, 1); w(&e, 0, 2); w(&e, (unsigned)w1, 10);
  e.b[19] = 0xff; /* SI2: NCC permitted; SI2bis: first RACH octet */
  return gsm_si_parse(c, e.b, 23);
}

static void test_ba_merge(void) {
  gsm_si_cell c;
  int nb[16], n;
  gsm_si_init(&c);
  CHECK_INT(si2x(&c, GSM_MT_SI2, 1, 0, 100), GSM_MT_SI2);     /* EXT-IND 1: SI2 holds part of the BA */
  CHECK_INT(si2x(&c, GSM_MT_SI2BIS, 1, 0, 200), GSM_MT_SI2BIS);
  CHECK_INT(si2x(&c, GSM_MT_SI2TER, 0, 0, 600), GSM_MT_SI2TER);
  n = gsm_si_neighbours(&c, nb, 16);
  CHECK(n == 3 && nb[0] == 100 && nb[1] == 200 && nb[2] == 600, "SI2 + SI2bis + SI2ter: %d", n);
  /* SI2 now complete (EXT-IND 0): SI2bis is not part of the BA */
  CHECK_INT(si2x(&c, GSM_MT_SI2, 0, 0, 100), GSM_MT_SI2);
  n = gsm_si_neighbours(&c, nb, 16);
  CHECK(n == 2 && nb[0] == 100 && nb[1] == 600, "EXT-IND 0 drops SI2bis: %d", n);
  /* a new BA (BA-IND 1) in SI2: the parts still carrying BA-IND 0 are from the old BA */
  CHECK_INT(si2x(&c, GSM_MT_SI2, 1, 1, 101), GSM_MT_SI2);
  n = gsm_si_neighbours(&c, nb, 16);
  CHECK(n == 1 && nb[0] == 101, "BA-IND change: %d", n);
  CHECK_INT(si2x(&c, GSM_MT_SI2BIS, 0, 1, 201), GSM_MT_SI2BIS);
  CHECK_INT(si2x(&c, GSM_MT_SI2TER, 0, 1, 601), GSM_MT_SI2TER);
  n = gsm_si_neighbours(&c, nb, 16);
  CHECK(n == 3 && nb[0] == 101 && nb[1] == 201 && nb[2] == 601, "new BA complete: %d", n);
  /* without SI2: SI2bis and SI2ter of one BA */
  gsm_si_init(&c);
  CHECK_INT(gsm_si_has_neighbours(&c), 0);
  CHECK_INT(si2x(&c, GSM_MT_SI2TER, 0, 1, 601), GSM_MT_SI2TER);
  CHECK_INT(si2x(&c, GSM_MT_SI2BIS, 0, 1, 201), GSM_MT_SI2BIS);
  CHECK_INT(gsm_si_has_neighbours(&c), 1);
  n = gsm_si_neighbours(&c, nb, 16);
  CHECK(n == 2 && nb[0] == 201 && nb[1] == 601, "SI2bis + SI2ter without SI2: %d", n);
}

int main(void) {
  test_formats();
  test_messages();
  test_si2quater();
  test_si13();
  test_ba_merge();
  return check_done();
}
