/* gsmtap.h: GSMTAP version 2 framing of decoded GSM blocks, so Wireshark dissects them (the
 * header gr-gsm and Osmocom send to UDP port 4729). Packing only; sending is the caller's. */
#ifndef CS_DSP_GSMTAP_H
#define CS_DSP_GSMTAP_H

#include <stddef.h>
#include <stdint.h>

#define GSMTAP_PORT 4729
#define GSMTAP_HDR_LEN 16
#define GSMTAP_TYPE_UM 0x01
#define GSMTAP_CHANNEL_BCCH 0x01
#define GSMTAP_CHANNEL_CCCH 0x02
#define GSMTAP_ARFCN_F_PCS 0x8000

/* Header + payload into out (cap >= 16 + n). Returns the datagram length, 0 if it does not fit. */
size_t gsmtap_pack(uint8_t *out, size_t cap, int arfcn, int pcs, int timeslot, int channel,
                   uint32_t fn, int signal_dbm, int snr_db, const uint8_t *payload, size_t n);

#endif
