/* fuzz_lte_sib1.c: the SIB1 unaligned-PER decoder (dsp/lte/sib1.c, TS 36.331 6.2.2) on arbitrary
 * BCCH-DL-SCH payloads, as a fake eNB could send them. Rejection needs a message; an accepted
 * SIB1 must hold in-range values (digits, 28-bit identity, band, counts within their arrays). */
#include "fuzz_util.h"
#include "lte/sib1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lte_sib1 s;
  cs_err err = {{0}};
  if (lte_sib1_decode(data, size, &s, &err) != CS_OK) {
    FUZZ_ASSERT(err.msg[0], "rejected without a message");
    return 0;
  }
  FUZZ_ASSERT(s.n_plmn >= 1 && s.n_plmn <= LTE_SIB1_MAX_PLMN, "n_plmn %d", s.n_plmn);
  for (int i = 0; i < s.n_plmn; i++) {
    size_t lc = strnlen(s.plmn[i].mcc, 4), ln = strnlen(s.plmn[i].mnc, 4);
    FUZZ_ASSERT(lc == 3 && (ln == 2 || ln == 3), "plmn %d: '%.4s' '%.4s'", i, s.plmn[i].mcc, s.plmn[i].mnc);
    for (size_t k = 0; k < lc; k++) FUZZ_ASSERT(s.plmn[i].mcc[k] >= '0' && s.plmn[i].mcc[k] <= '9', "mcc digit");
    for (size_t k = 0; k < ln; k++) FUZZ_ASSERT(s.plmn[i].mnc[k] >= '0' && s.plmn[i].mnc[k] <= '9', "mnc digit");
  }
  FUZZ_ASSERT(s.tac <= 0xffff && s.cell_identity <= 0xfffffff, "tac %u eci %u", s.tac, s.cell_identity);
  FUZZ_ASSERT(s.enb_id == s.cell_identity >> 8 && s.local_cell_id == (s.cell_identity & 0xff), "eNB id split");
  FUZZ_ASSERT(s.freq_band_indicator >= 1 && s.freq_band_indicator <= 64, "band %d", s.freq_band_indicator);
  FUZZ_ASSERT(s.n_sched >= 0 && s.n_sched <= LTE_SIB1_MAX_SI, "n_sched %d", s.n_sched);
  for (int i = 0; i < s.n_sched; i++)
    FUZZ_ASSERT(s.sched[i].n_sib >= 0 && s.sched[i].n_sib <= LTE_SIB1_MAX_SIB, "n_sib %d", s.sched[i].n_sib);
  FUZZ_ASSERT(s.q_rxlevmin_dbm >= -140 && s.q_rxlevmin_dbm <= -44, "q-RxLevMin %d", s.q_rxlevmin_dbm);
  return 0;
}
