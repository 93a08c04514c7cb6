/* crc.h: cyclic codes over unpacked bits (one bit per byte, first transmitted bit first), for
 * every CRC and parity code in GSM (TS 45.003: SCH 10-bit parity, the 40-bit Fire code) and LTE
 * (TS 36.212 5.1.1: CRC24A, CRC24B, CRC16, CRC8). */
#ifndef CS_DSP_FEC_CRC_H
#define CS_DSP_FEC_CRC_H

#include <stdint.h>

/* Generator polynomials without the leading term (the D^len coefficient). */
#define CRC_POLY_LTE24A 0x864CFBull  /* TS 36.212 5.1.1 gCRC24A */
#define CRC_POLY_LTE24B 0x800063ull  /* gCRC24B */
#define CRC_POLY_LTE16  0x1021ull    /* gCRC16 */
#define CRC_POLY_LTE8   0x9Bull      /* gCRC8 */
#define CRC_POLY_GSM_SCH 0x175ull    /* TS 45.003 4.7: D^10+D^8+D^6+D^5+D^4+D^2+1 */
#define CRC_POLY_GSM_FIRE 0x4820009ull   /* TS 45.003 4.1.2: (D^23+1)(D^17+D^3+1), 40 bits */

/* Remainder of bits(D) * D^len divided by the generator: the parity bits as an integer, first
 * parity bit in the most significant position. len: 1..64. */
uint64_t crc_remainder(const uint8_t *bits, unsigned nbits, uint64_t poly, unsigned len);

/* Unpack value's low len bits, most significant first, into out[0..len-1]. */
void crc_unpack(uint64_t value, unsigned len, uint8_t *out);
/* Pack len bits (most significant first) into an integer. */
uint64_t crc_pack(const uint8_t *bits, unsigned len);

#endif
