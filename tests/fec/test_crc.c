/* test_crc.c: CRC polynomials of TS 36.212 5.1.1 and TS 45.003 against independent checks. */
#include <stdint.h>

#include "check.h"
#include "fec/crc.h"

int main(void) {
  /* CRC-16 with gCRC16 = D^16+D^12+D^5+1, zero init, no reflection (CRC-16/XMODEM):
   * "123456789" -> 0x31C3 (the catalogue check value). */
  const char *msg = "123456789";
  uint8_t bits[72];
  for (int i = 0; i < 9; i++) crc_unpack((uint8_t)msg[i], 8, bits + 8 * i);
  CHECK_INT(crc_remainder(bits, 72, CRC_POLY_LTE16, 16), 0x31C3);
  /* a codeword (data followed by its parity) has remainder 0, for every code */
  const struct { uint64_t poly; unsigned len; } codes[] = {
      {CRC_POLY_LTE24A, 24}, {CRC_POLY_LTE24B, 24}, {CRC_POLY_LTE16, 16},
      {CRC_POLY_LTE8, 8},    {CRC_POLY_GSM_SCH, 10}, {CRC_POLY_GSM_FIRE, 40},
  };
  uint8_t word[200];
  for (unsigned c = 0; c < sizeof codes / sizeof *codes; c++) {
    for (int i = 0; i < 100; i++) word[i] = (uint8_t)((i * 7 + c) % 3 == 0);
    uint64_t p = crc_remainder(word, 100, codes[c].poly, codes[c].len);
    crc_unpack(p, codes[c].len, word + 100);
    CHECK(crc_remainder(word, 100 + codes[c].len, codes[c].poly, codes[c].len) == 0, "code %u", c);
    word[37] ^= 1;
    CHECK(crc_remainder(word, 100 + codes[c].len, codes[c].poly, codes[c].len) != 0, "code %u misses an error", c);
  }
  CHECK_INT(crc_pack((const uint8_t[]){1, 0, 1, 1}, 4), 11);
  return check_done();
}
