/* fuzz_lte_dci.c: libFuzzer target for the DCI side of the SIB1 receiver: DCI 1A/1C unpacking and
 * the SI-RNTI grant (resource allocation type 2, VRB-to-PRB, TBS) for every bandwidth and duplex,
 * and PDCCH common search space blind decoding of arbitrary soft bits.
 * Input: byte 0 selects bandwidth/duplex/format; the next 4 bytes are DCI bits (MSB first); the
 * rest are soft bits (int8) for the CCEs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lte/dci.h"
#include "lte/pdcch.h"
#include "lte/ra.h"

static const int bws[8] = {6, 15, 25, 50, 75, 100, 7, 110};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 5) return 0;
  int n = bws[data[0] & 7], tdd = (data[0] >> 3) & 1;
  lte_dci_format fmt = (data[0] >> 4) & 1 ? LTE_DCI_1C : LTE_DCI_1A;
  uint8_t bits[LTE_DCI_MAX_BITS];
  for (int i = 0; i < LTE_DCI_MAX_BITS; i++) bits[i] = (data[1 + i / 8] >> (7 - i % 8)) & 1;
  lte_dci d;
  if (lte_dci_unpack(bits, fmt, n, tdd, &d)) {
    lte_alloc a;
    if (lte_ra_si(&d, n, &a)) {
      int cnt = 0;
      for (int s = 0; s < 2; s++)
        for (int p = 0; p < LTE_MAX_PRB; p++) cnt += a.prb[s][p];
      if (a.tbs <= 0 || a.tbs > 2216 || cnt != 2 * a.n_prb) __builtin_trap();
      /* packing the unpacked DCI gives the same bits */
      uint8_t again[LTE_DCI_MAX_BITS];
      unsigned sz = lte_dci_pack(&d, n, tdd, again);
      if (fmt == LTE_DCI_1C && memcmp(again, bits, sz)) __builtin_trap();
    }
  }
  /* blind decoding over soft bits */
  static viterbi v;
  if (!v) v = lte_tbcc_create(LTE_DCI_MAX_BITS + 16);
  static float llr[72 * LTE_CSS_CCES];
  size_t nsoft = size - 5 < sizeof llr / sizeof llr[0] ? size - 5 : sizeof llr / sizeof llr[0];
  memset(llr, 0, sizeof llr);
  for (size_t i = 0; i < nsoft; i++) llr[i] = (float)(int8_t)data[5 + i];
  int ncce = (int)(nsoft / 72);
  if (lte_pdcch_search_si(v, llr, ncce, n, tdd, LTE_SI_RNTI, &d, NULL, NULL)) {
    lte_alloc a;
    if (!lte_ra_si(&d, n, &a)) __builtin_trap(); /* search only returns valid grants */
  }
  return 0;
}
