/* gsmtap.c: GSMTAP v2 header (see gsmtap.h). All fields big-endian. */
#include "gsmtap.h"

#include <string.h>

static int8_t clamp8(int v) { return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v); }

int gsmtap_ts0_channel(int block, int ccch_conf, uint32_t fn, int *subslot) {
  *subslot = 0;
  if (block == 0) return GSMTAP_CHANNEL_BCCH;
  if (ccch_conf != 1 || block < 4) return GSMTAP_CHANNEL_CCCH;
  if (block < 8) { *subslot = block - 4; return GSMTAP_CHANNEL_SDCCH4; }
  /* SACCH/4: frames 42-45 carry sub-channel 0 or 2, 46-49 sub-channel 1 or 3, alternating
   * between even and odd 51-multiframes */
  *subslot = (block - 8) + 2 * (int)((fn / 51) % 2);
  return GSMTAP_CHANNEL_SDCCH4 | GSMTAP_CHANNEL_ACCH;
}

size_t gsmtap_pack(uint8_t *out, size_t cap, int type, int arfcn, int pcs, int timeslot, int sub_type,
                   int subslot, uint32_t fn, int signal_dbm, int snr_db, const uint8_t *payload, size_t n) {
  if (cap < GSMTAP_HDR_LEN + n) return 0;
  uint16_t a = (uint16_t)((arfcn & 0x3fff) | (pcs ? GSMTAP_ARFCN_F_PCS : 0));
  out[0] = 2;                  /* version */
  out[1] = GSMTAP_HDR_LEN / 4; /* header length in 32-bit words */
  out[2] = (uint8_t)type;
  out[3] = (uint8_t)timeslot;
  out[4] = (uint8_t)(a >> 8);
  out[5] = (uint8_t)a;
  out[6] = (uint8_t)clamp8(signal_dbm);
  out[7] = (uint8_t)clamp8(snr_db);
  out[8] = (uint8_t)(fn >> 24);
  out[9] = (uint8_t)(fn >> 16);
  out[10] = (uint8_t)(fn >> 8);
  out[11] = (uint8_t)fn;
  out[12] = (uint8_t)sub_type;
  out[13] = 0;                /* antenna */
  out[14] = (uint8_t)subslot;
  out[15] = 0;                /* reserved */
  memcpy(out + GSMTAP_HDR_LEN, payload, n);
  return GSMTAP_HDR_LEN + n;
}
