/* gsmtap.h: GSMTAP version 2 over UDP (the osmocom pseudo-header Wireshark decodes, IANA port
 * 4729), for decoded GSM and LTE broadcast messages (`--gsmtap HOST:PORT`). */
#ifndef CS_GSMTAP_H
#define CS_GSMTAP_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

#define CS_GSMTAP_PORT 4729
#define CS_GSMTAP_TYPE_UM 0x01      /* GSM Um (payload: L2 frame) */
#define CS_GSMTAP_TYPE_LTE_RRC 0x0d /* LTE RRC (payload: ASN.1 PER message) */
enum { CS_GSMTAP_LTE_BCCH_BCH = 4, CS_GSMTAP_LTE_BCCH_DL_SCH = 5 }; /* LTE RRC sub-types */

typedef struct cs_gsmtap cs_gsmtap;

typedef struct {
  uint8_t type, sub_type;
  uint8_t timeslot, sub_slot, antenna;
  uint16_t arfcn;        /* ARFCN (or EARFCN when it fits 14 bits), flags 0x8000 PCS, 0x4000 UL */
  int8_t signal_dbm, snr_db;
  uint32_t frame_number; /* GSM TDMA frame number, LTE SFN */
} cs_gsmtap_hdr;

/* target: "HOST:PORT" or "HOST" (port 4729). CS_ERR_INPUT on a bad target, CS_ERR_ENV when the
 * socket fails. */
cs_status cs_gsmtap_open(const char *target, cs_gsmtap **g, cs_err *err);
void cs_gsmtap_close(cs_gsmtap *g);

/* Send one message (header + payload) as one UDP datagram. */
cs_status cs_gsmtap_send(cs_gsmtap *g, const cs_gsmtap_hdr *h, const uint8_t *payload, size_t len,
                         cs_err *err);

#endif
