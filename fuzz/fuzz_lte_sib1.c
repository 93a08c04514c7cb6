/* fuzz_lte_sib1.c: libFuzzer target for the BCCH-DL-SCH / SIB1 UPER decoder (dsp/lte/sib1.c).
 * Any byte string must decode or be refused without reading outside the input. */
#include <stddef.h>
#include <stdint.h>

#include "lte/sib1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lte_sib1 s;
  cs_err err;
  if (lte_sib1_decode(data, size, &s, &err) == CS_OK) {
    /* a decoded SIB1 is within its ranges */
    if (s.n_plmn < 1 || s.n_plmn > LTE_SIB1_MAX_PLMN || s.n_sched < 1 || s.n_sched > LTE_SIB1_MAX_SI) __builtin_trap();
    if (s.cell_identity >> 28 || s.tac >> 16) __builtin_trap();
  }
  return 0;
}
