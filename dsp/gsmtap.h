/* gsmtap.h: GSMTAP version 2 framing of decoded broadcast messages (GSM Um blocks, LTE RRC
 * MIB/SIB1), so Wireshark dissects them (the header gr-gsm and Osmocom send to UDP port 4729).
 * Packing only; sending is src/gsmtap_udp.c's. */
#ifndef CS_DSP_GSMTAP_H
#define CS_DSP_GSMTAP_H

#include <stddef.h>
#include <stdint.h>

#define GSMTAP_PORT 4729
#define GSMTAP_HDR_LEN 16
#define GSMTAP_TYPE_UM 0x01
#define GSMTAP_TYPE_LTE_RRC 0x0d
#define GSMTAP_LTE_RRC_BCCH_BCH 4    /* sub-types of GSMTAP_TYPE_LTE_RRC */
#define GSMTAP_LTE_RRC_BCCH_DL_SCH 5
#define GSMTAP_CHANNEL_BCCH 0x01
#define GSMTAP_CHANNEL_CCCH 0x02
#define GSMTAP_CHANNEL_SDCCH4 0x07
#define GSMTAP_CHANNEL_ACCH 0x80
#define GSMTAP_ARFCN_F_PCS 0x8000

/* GSMTAP channel type and sub-slot of TS0 block `block` (0..9, in the order of frames 2, 6, 12,
 * 16, 22, 26, 32, 36, 42, 46 of the 51-multiframe) starting at frame fn, for CCCH_CONF ccch_conf
 * (TS 45.002 clause 7 table 3; -1 while SI3 is not decoded: taken as non-combined). With combined
 * CCCH (ccch_conf 1) blocks 4..7 are SDCCH/4 sub-channels 0..3 and blocks 8..9 their SACCH. */
int gsmtap_ts0_channel(int block, int ccch_conf, uint32_t fn, int *subslot);

/* Header + payload into out (cap >= 16 + n). type: GSMTAP_TYPE_*; sub_type: the GSM channel
 * (GSMTAP_CHANNEL_*) or the LTE RRC message type; arfcn: ARFCN, or EARFCN (14 bits); fn: TDMA
 * frame number or SFN. Returns the datagram length, 0 if it does not fit. */
size_t gsmtap_pack(uint8_t *out, size_t cap, int type, int arfcn, int pcs, int timeslot, int sub_type,
                   int subslot, uint32_t fn, int signal_dbm, int snr_db, const uint8_t *payload, size_t n);

#endif
