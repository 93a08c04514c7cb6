/* fuzz_lte_dci.c: DCI formats 1A/1C with SI-RNTI (dsp/lte/dci.c, TS 36.212 5.3.3.1.3-4) on
 * arbitrary payload bits for every bandwidth and duplex mode: unpacking never reads beyond the
 * format's size, fields stay within their widths, and what unpacks packs back to the same bits. */
#include "fuzz_util.h"
#include "lte/dci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const int prbs[] = {6, 15, 25, 50, 75, 100};
  if (size < 1) return 0;
  lte_dci_format f = data[0] & 1 ? LTE_DCI_1C : LTE_DCI_1A;
  int n_prb = prbs[(data[0] >> 1) % 6], tdd = (data[0] >> 4) & 1;
  unsigned bits_n = lte_dci_size(f, n_prb, tdd);
  FUZZ_ASSERT(bits_n > 0 && bits_n <= LTE_DCI_MAX_BITS, "size %u", bits_n);
  uint8_t *bits = malloc(bits_n); /* exact size: ASan sees any read beyond it */
  for (unsigned i = 0; i < bits_n; i++) bits[i] = 1 + i / 8 < size ? (data[1 + i / 8] >> (i % 8)) & 1 : 0;
  lte_dci d;
  if (lte_dci_unpack(bits, f, n_prb, tdd, &d)) {
    FUZZ_ASSERT(d.riv < (1u << lte_dci_riv_bits(f, n_prb)), "riv %u", d.riv);
    FUZZ_ASSERT(d.mcs >= 0 && d.mcs < 32, "mcs %d", d.mcs);
    uint8_t back[LTE_DCI_MAX_BITS];
    FUZZ_ASSERT(lte_dci_pack(&d, n_prb, tdd, back) == bits_n, "pack size");
    lte_dci d2;
    FUZZ_ASSERT(lte_dci_unpack(back, f, n_prb, tdd, &d2), "packed word does not unpack");
    FUZZ_ASSERT(d2.riv == d.riv && d2.mcs == d.mcs && d2.distributed == d.distributed && d2.tpc == d.tpc &&
                    d2.rv == d.rv && d2.gap2 == d.gap2,
                "round trip changes the fields");
  }
  free(bits);
  return 0;
}
