/* test_gsm_si.c: System Information parsers (TS 44.018 9.1.31 onward) and every frequency list
 * format (10.5.2.13: bit map 0, range 1024/512/256/128, variable bit map). Range vectors are
 * built from W values whose frequencies follow from the spec's formulas (worked in comments). */
#include "check.h"
#include "gsm/gsm_freqlist.h"
#include "gsm/gsm_si.h"

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
  expect(&c.ba, (int[]){10, 20, 61, 124}, 4, "SI2 neighbours");
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

  /* SI2bis (9.1.33) and SI2ter (9.1.34) add to the neighbour list; 1024 range in both */
  gsm_si_init(&c);
  CHECK_INT(parse_hex(&c, "59061a08000000000000001000000000080200fff90000"), GSM_MT_SI2);
  /* SI2bis: 1024 range, W1 = 700 */
  CHECK_INT(parse_hex(&c, "550602" "82bc00000000000000000000000000" "00" "f90000" "2b"), GSM_MT_SI2BIS);
  /* SI2ter: Neighbour Cell Description 2, 1024 range (bit 8 = 1, bit 4 = 0), W1 = 512 */
  CHECK_INT(parse_hex(&c, "490603" "8200000000000000000000000000000000" "2b2b2b"), GSM_MT_SI2TER);
  expect(&c.ba, (int[]){10, 20, 61, 124, 512, 700}, 6, "SI2 + SI2bis + SI2ter");
  CHECK_INT(c.si_seen, GSM_SEEN_SI2 | GSM_SEEN_SI2BIS | GSM_SEEN_SI2TER);
  int nb[16];
  CHECK_INT(gsm_si_neighbours(&c, nb, 16), 6);
  /* SI2quater (9.1.34a) is recognised; SI13 (9.1.43a, pseudo length 0) means GPRS */
  CHECK_INT(parse_hex(&c, "09060700002b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b"), GSM_MT_SI2QUATER);
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

int main(void) {
  test_formats();
  test_messages();
  return check_done();
}
