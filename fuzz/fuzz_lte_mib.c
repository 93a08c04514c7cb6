/* fuzz_lte_mib.c: libFuzzer target for the MIB decoder: arbitrary PBCH soft bits (and cell
 * parameters) through combining, rate de-matching, tail-biting Viterbi, the masked CRC and the
 * MIB parser. Input: 2 bytes PCI, 1 byte flags (bit 0 extended CP, bits 1-2 port count, bits 3-6
 * which of the 4 frames are present), then int8 soft bits for the present frames in order. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lte/lte_mib.h"
#include "lte/lte_pbch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static lte_pbch q;
  static float llr[4][LTE_PBCH_MAX_BITS];
  if (!q) q = lte_pbch_create();
  if (!q || size < 3) return 0;
  static const int port_of[4] = {1, 2, 4, 1};
  int pci = ((data[0] << 8) | data[1]) % 504;
  int ext = data[2] & 1, ports = port_of[(data[2] >> 1) & 3], present = (data[2] >> 3) & 0xf;
  const int M = lte_pbch_bits(ext);
  size_t pos = 3;
  const float *fr[4] = {NULL, NULL, NULL, NULL};
  for (int s = 0; s < 4; s++) {
    if (!(present & (1 << s))) continue;
    for (int i = 0; i < M; i++) llr[s][i] = pos < size ? (float)(int8_t)data[pos++] : 0.0f;
    fr[s] = llr[s];
  }
  uint8_t mib[24];
  if (lte_pbch_decode(q, pci, ext, ports, fr, mib)) {
    lte_cell cell = {0};
    if (lte_mib_unpack(mib, 0, &cell)) {
      uint8_t again[24];
      lte_mib_pack(&cell, again);
      if (memcmp(again, mib, 14) != 0) __builtin_trap(); /* pack(unpack(x)) keeps the fields */
    }
  }
  /* the parser alone on raw bits */
  if (size >= 24) {
    uint8_t bits[24];
    for (int i = 0; i < 24; i++) bits[i] = data[i] & 1;
    lte_cell cell = {0};
    lte_mib_unpack(bits, data[0] & 3, &cell);
  }
  return 0;
}
