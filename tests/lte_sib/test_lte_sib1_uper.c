/* test_lte_sib1_uper.c: SIB1 UPER decoding (TS 36.331) of the SIB1 PDUs the shared captures'
 * eNBs broadcast (truth:cells[].sib1_pdu_hex with mcc, mnc, tac, cell_identity beside it), of a
 * real TDD SIB1 (lte_real README, 2360 MHz), and robustness on truncated and random input. */
#include <cjson/cJSON.h>
#include <dirent.h>

#include "check.h"
#include "lte/sib1.h"
#include "lte_sib/rng.h"

static size_t hex_to_bytes(const char *hex, uint8_t *out, size_t max) {
  size_t n = 0;
  for (; hex[0] && hex[1] && n < max; hex += 2) {
    unsigned v;
    if (sscanf(hex, "%2x", &v) != 1) break;
    out[n++] = (uint8_t)v;
  }
  return n;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = 0;
  fclose(f);
  return s;
}

/* Every cell of every meta in dir with a sib1_pdu_hex: decode and compare. */
static int test_captures(const char *dir) {
  DIR *d = opendir(dir);
  int cells = 0;
  if (!d) return 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t l = strlen(de->d_name);
    if (l < 11 || strcmp(de->d_name + l - 11, ".sigmf-meta")) continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    char *txt = slurp(path);
    cJSON *js = txt ? cJSON_Parse(txt) : NULL;
    free(txt);
    cJSON *arr = cJSON_GetObjectItem(cJSON_GetObjectItem(js, "global"), "truth:cells");
    cJSON *c;
    cJSON_ArrayForEach(c, arr) {
      const char *hex = cJSON_GetStringValue(cJSON_GetObjectItem(c, "sib1_pdu_hex"));
      if (!hex) continue;
      uint8_t pdu[512];
      size_t n = hex_to_bytes(hex, pdu, sizeof pdu);
      lte_sib1 s;
      cs_err err = {{0}};
      cs_status st = lte_sib1_decode(pdu, n, &s, &err);
      CHECK(st == CS_OK, "%s: %s", de->d_name, err.msg);
      if (st != CS_OK) continue;
      cells++;
      CHECK_STR(s.plmn[0].mcc, cJSON_GetStringValue(cJSON_GetObjectItem(c, "mcc")));
      CHECK_STR(s.plmn[0].mnc, cJSON_GetStringValue(cJSON_GetObjectItem(c, "mnc")));
      CHECK_INT(s.tac, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "tac")));
      CHECK_INT(s.cell_identity, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "cell_identity")));
      CHECK_INT(s.enb_id, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "enb_id")));
      CHECK_INT(s.local_cell_id, (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "cell_id_8bit")));
      CHECK(s.n_sched >= 1 && s.si_window_ms > 0, "%s: scheduling info", de->d_name);
      /* prefixes too short for the mandatory fields (header, PLMN, TAC and cell identity alone
       * take more than 64 bits) are refused with an error, not read past */
      for (size_t k = 0; k < 8 && k < n; k++) {
        lte_sib1 t;
        CHECK(lte_sib1_decode(pdu, k, &t, NULL) == CS_ERR_INPUT, "%s: %zu-byte prefix accepted", de->d_name, k);
      }
    }
    cJSON_Delete(js);
  }
  closedir(d);
  return cells;
}

int main(void) {
  /* 1. A hand-checked PDU (srsRAN eNB, lte_pci0_6prb metas): 404c4282130391a2b30f814b01082800
   * = c1.systemInformationBlockType1, PLMN 310-410, TAC 12345, cell identity 27439887. */
  uint8_t pdu[64];
  size_t n = hex_to_bytes("404c4282130391a2b30f814b01082800", pdu, sizeof pdu);
  lte_sib1 s;
  cs_err err = {{0}};
  CHECK(lte_sib1_decode(pdu, n, &s, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(s.n_plmn, 1);
  CHECK_STR(s.plmn[0].mcc, "310");
  CHECK_STR(s.plmn[0].mnc, "410");
  CHECK_INT(s.tac, 12345);
  CHECK_INT(s.cell_identity, 27439887);
  CHECK_INT(s.enb_id, 107187);
  CHECK_INT(s.local_cell_id, 15);
  CHECK_INT(s.tdd_present, 0);
  CHECK_INT(s.p_max_present, 0);

  /* 2. Real TDD SIB1 at 2360 MHz (lte_real README) */
  n = hex_to_bytes("7051800111271486c0182359c242041127d9", pdu, sizeof pdu);
  CHECK(lte_sib1_decode(pdu, n, &s, &err) == CS_OK, "%s", err.msg);
  /* China Mobile TD-LTE, band 40. Checked by hand from the bits: p-Max and tdd-Config present
   * (0x70), one PLMN, MCC 460, 2-digit MNC 00; the other values as this decoder reads them. */
  CHECK_INT(s.n_plmn, 1);
  CHECK_STR(s.plmn[0].mcc, "460");
  CHECK_STR(s.plmn[0].mnc, "00");
  CHECK_INT(s.freq_band_indicator, 40);
  CHECK_INT(s.p_max_present, 1);
  CHECK_INT(s.p_max_dbm, 23);
  CHECK_INT(s.tdd_present, 1);
  CHECK_INT(s.tdd_subframe_assignment, 2);
  CHECK_INT(s.tdd_special_subframe_patterns, 7);
  CHECK_INT(s.tac, 4391);
  CHECK_INT(s.cell_identity, 21523457);
  printf("2360 MHz SIB1: %d PLMN %s-%s tac %u ci %u band %d qrx %d pmax %d/%d tdd %d sa%d ssp%d win %d tag %d nsched %d\n",
         s.n_plmn, s.plmn[0].mcc, s.plmn[0].mnc, s.tac, s.cell_identity, s.freq_band_indicator,
         s.q_rxlevmin_dbm, s.p_max_present, s.p_max_dbm, s.tdd_present, s.tdd_subframe_assignment,
         s.tdd_special_subframe_patterns, s.si_window_ms, s.system_info_value_tag, s.n_sched);

  /* 2b. Hand-encoded (X.691 unaligned PER, field by field): two PLMNs, the second without MCC
   * (Cond MCC: same as the previous) and with a 3-digit MNC, reserved for operator use; TAC
   * 0xBEEF, cell identity 0xABCDEF1, q-RxLevMin -64 (-128 dBm) with offset 2 (4 dB), band 20,
   * SI 1 at rf16 with sibType3 and the extension value 0 (sibType19-v1250), SI 2 at rf64 with
   * no SIB, si-WindowLength ms20, systemInfoValueTag 3. */
  n = hex_to_bytes("40c98803400d7ddf579bde32314c24408060a3", pdu, sizeof pdu);
  CHECK(lte_sib1_decode(pdu, n, &s, &err) == CS_OK, "%s", err.msg);
  CHECK_INT(s.n_plmn, 2);
  CHECK_STR(s.plmn[0].mcc, "262");
  CHECK_STR(s.plmn[0].mnc, "01");
  CHECK_INT(s.plmn[0].reserved_for_operator_use, 0);
  CHECK_STR(s.plmn[1].mcc, "262");
  CHECK_STR(s.plmn[1].mnc, "003");
  CHECK_INT(s.plmn[1].reserved_for_operator_use, 1);
  CHECK_INT(s.tac, 0xBEEF);
  CHECK_INT(s.cell_identity, 0xABCDEF1);
  CHECK_INT(s.enb_id, 0xABCDE);
  CHECK_INT(s.local_cell_id, 0xF1);
  CHECK_INT(s.cell_barred, 0);
  CHECK_INT(s.q_rxlevmin_dbm, -128);
  CHECK_INT(s.q_rxlevmin_offset_db, 4);
  CHECK_INT(s.freq_band_indicator, 20);
  CHECK_INT(s.n_sched, 2);
  CHECK_INT(s.sched[0].periodicity_rf, 16);
  CHECK_INT(s.sched[0].n_sib, 2);
  CHECK_INT(s.sched[0].sib_type[0], 3);
  CHECK_INT(s.sched[0].sib_type[1], 19);
  CHECK_INT(s.sched[1].periodicity_rf, 64);
  CHECK_INT(s.sched[1].n_sib, 0);
  CHECK_INT(s.si_window_ms, 20);
  CHECK_INT(s.system_info_value_tag, 3);

  /* 2c. Hand-encoded: freqBandIndicator 64 with the band in the extensions: lateNonCriticalExtension
   * (4 octets) holding v8h0-IEs with multiBandInfoList {20, 28} and v9e0-IEs with
   * freqBandIndicator-v9e0 = 66 */
  n = hex_to_bytes("484c424c112340abcdef82bf00013c0994db8820", pdu, sizeof pdu);
  CHECK(lte_sib1_decode(pdu, n, &s, &err) == CS_OK, "%s", err.msg);
  CHECK_STR(s.plmn[0].mcc, "310");
  CHECK_STR(s.plmn[0].mnc, "260");
  CHECK_INT(s.tac, 0x1234);
  CHECK_INT(s.cell_identity, 0x0ABCDEF);
  CHECK_INT(s.system_info_value_tag, 7);
  CHECK_INT(s.freq_band_indicator, 66);
  CHECK_INT(s.n_multi_band, 2);
  CHECK_INT(s.multi_band[0], 20);
  CHECK_INT(s.multi_band[1], 28);
  /* the extension cut short: the base SIB1 still decodes, band as broadcast */
  CHECK(lte_sib1_decode(pdu, n - 3, &s, &err) == CS_OK && s.freq_band_indicator == 64 && s.n_multi_band == 0,
        "truncated extension: %s band %d", err.msg, s.freq_band_indicator);

  /* 3. Not SIB1: a SystemInformation message (c1 choice 0) */
  uint8_t si[4] = {0x00, 0x80, 0x0c, 0xe1};
  CHECK(lte_sib1_decode(si, sizeof si, &s, &err) == CS_ERR_INPUT, "SystemInformation accepted");
  CHECK(lte_sib1_decode(NULL, 0, &s, &err) == CS_ERR_INPUT, "empty accepted");
  /* a constrained value above its range: PLMN list length 8 (3 bits 111) > maxPLMN-r11 = 6 */
  uint8_t many[32] = {0x43, 0x80};
  CHECK(lte_sib1_decode(many, sizeof many, &s, &err) == CS_ERR_INPUT && strstr(err.msg, "range"), "%s", err.msg);

  /* 4. Random input never crashes (ASan/UBSan builds check the reads) */
  for (int t = 0; t < 20000; t++) {
    uint8_t buf[48];
    size_t len = rng_u32() % sizeof buf;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)rng_u32();
    if (len) buf[0] = (uint8_t)((buf[0] & 0x3f) | 0x40); /* mostly reach the SIB1 body */
    lte_sib1_decode(buf, len, &s, NULL);
  }

  /* 5. The shared captures' truth */
  const char *dir = check_shared_dir("lte");
  int cells = test_captures(dir);
  CHECK(cells >= 12, "decoded %d SIB1 PDUs from the metas", cells);
  return check_done();
}
