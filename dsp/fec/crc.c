/* crc.c: cyclic redundancy codes over unpacked bits (see crc.h). */
#include "fec/crc.h"

uint64_t crc_remainder(const uint8_t *bits, unsigned nbits, uint64_t poly, unsigned len) {
  uint64_t top = 1ull << (len - 1);
  uint64_t mask = len == 64 ? ~0ull : (1ull << len) - 1;
  uint64_t reg = 0;
  for (unsigned i = 0; i < nbits; i++) {
    uint64_t fb = ((reg & top) != 0) ^ (bits[i] & 1);
    reg = (reg << 1) & mask;
    if (fb) reg ^= poly;
  }
  return reg;
}

void crc_unpack(uint64_t value, unsigned len, uint8_t *out) {
  for (unsigned i = 0; i < len; i++) out[i] = (value >> (len - 1 - i)) & 1;
}

uint64_t crc_pack(const uint8_t *bits, unsigned len) {
  uint64_t v = 0;
  for (unsigned i = 0; i < len; i++) v = (v << 1) | (bits[i] & 1);
  return v;
}
