/* gsm_si.h: System Information parsers (TS 44.018 9.1.31 onward, IEs of 10.5.2.x and 10.5.1.3)
 * for the messages on BCCH: SI1, SI2, SI2bis, SI2ter, SI2quater, SI3, SI4, SI13. One gsm_si_cell
 * accumulates what a cell broadcasts. Any 23-octet block is safe to feed: malformed and unknown
 * messages are counted, never trusted. */
#ifndef CS_DSP_GSM_SI_H
#define CS_DSP_GSM_SI_H

#include <stddef.h>
#include <stdint.h>

#include "gsm_freqlist.h"

/* Message types, TS 44.018 10.4 */
enum {
  GSM_MT_SI13 = 0x00, GSM_MT_SI2BIS = 0x02, GSM_MT_SI2TER = 0x03, GSM_MT_SI2QUATER = 0x07,
  GSM_MT_SI1 = 0x19, GSM_MT_SI2 = 0x1a, GSM_MT_SI3 = 0x1b, GSM_MT_SI4 = 0x1c,
  GSM_MT_PAGING1 = 0x21, GSM_MT_PAGING2 = 0x22, GSM_MT_PAGING3 = 0x24,
  GSM_MT_IMM_ASS = 0x3f, GSM_MT_IMM_ASS_EXT = 0x39, GSM_MT_IMM_ASS_REJ = 0x3a,
};

/* si_seen bits (same as CS_SI* in cellsurvey/record.h) */
enum {
  GSM_SEEN_SI1 = 1u << 0, GSM_SEEN_SI2 = 1u << 1, GSM_SEEN_SI2BIS = 1u << 2, GSM_SEEN_SI2TER = 1u << 3,
  GSM_SEEN_SI2QUATER = 1u << 4, GSM_SEEN_SI3 = 1u << 5, GSM_SEEN_SI4 = 1u << 6, GSM_SEEN_SI13 = 1u << 7,
};

/* SI2quater (9.1.34a, rest octets 10.5.2.33b), merged over its instances */
#define GSM_SI2Q_MAX_UTRAN 32  /* distinct UTRAN FDD UARFCNs */
#define GSM_SI2Q_MAX_EUTRAN 32 /* E-UTRAN neighbour frequencies */
typedef struct {
  int uarfcn;                 /* FDD-ARFCN (14 bit) */
  uint8_t sc[64];             /* primary scrambling codes 0..511 as a bit map */
  int n_sc;
} gsm_utran_fdd;
typedef struct {
  int earfcn;                 /* 16 bit */
  int meas_bw_prb;            /* Measurement Bandwidth in PRB (6 when absent, 9.1.54 coding) */
  int priority;               /* E-UTRAN_PRIORITY 0..7; -1 absent */
  int thresh_high, thresh_low;/* THRESH_E-UTRAN_high/low (5 bit); low -1 absent */
  int qrxlevmin;              /* E-UTRAN_QRXLEVMIN (5 bit); -1 absent */
} gsm_eutran_nb;

typedef struct {
  uint32_t si_seen;
  char mcc[4], mnc[4];        /* from SI3/SI4 LAI; "" unknown */
  int lac, cell_id;           /* -1 unknown */
  /* control channel description (10.5.2.11), SI3 */
  int ccch_conf, bs_ag_blks_res, bs_pa_mfrms, att, t3212;
  /* cell selection parameters (10.5.2.4), SI3/SI4 */
  int cell_reselect_hysteresis, ms_txpwr_max_cch, rxlev_access_min, neci, acs;
  /* RACH control (10.5.2.29) */
  int cell_barred, max_retrans, tx_integer, re;
  int ncc_permitted;          /* SI2, bit map; -1 */
  int gprs;                   /* GPRS indicator of the SI3 rest octets, or 1 when SI13 was seen; -1 */
  int ba_format;              /* format of the SI2 neighbour list (GSM_FL_*); -1 */
  /* neighbour lists as last received; gsm_si_neighbours() merges them (10.5.2.22 rules) */
  gsm_arfcn_set ba2, ba2bis, ba2ter;
  int ba_ind2, ba_ind2bis, ba_ind2ter; /* BA-IND of each; -1 not received */
  int ext_ind2;               /* EXT-IND of SI2: 1 = SI2 carries only a part of the BA; -1 */
  gsm_arfcn_set ca;           /* cell allocation: SI1 */
  /* SI2quater: instances seen (bit per SI2quater_INDEX), SI2quater_COUNT, 3G_BA_IND; -1 */
  unsigned si2q_mask;
  int si2q_count, si2q_3g_ba_ind;
  gsm_utran_fdd utran[GSM_SI2Q_MAX_UTRAN];
  int n_utran;
  gsm_eutran_nb eutran[GSM_SI2Q_MAX_EUTRAN];
  int n_eutran;
  /* SI13 rest octets (10.5.2.37b); -1 unknown */
  int bcch_change_mark, si_change_field, rac, nmo, pbcch;
  int t3168, t3192, drx_timer_max, access_burst_type, control_ack_type, bs_cv_max;
  unsigned messages, fill, other, malformed, unknown;
} gsm_si_cell;

void gsm_si_init(gsm_si_cell *c);
/* Parse one L2 block (normally 23 octets with an L2 pseudo length header, TS 44.018 10.5.2.19).
 * Returns the RR message type parsed, or -1 (fill frame, unknown or malformed; counted). */
int gsm_si_parse(gsm_si_cell *c, const uint8_t *l2, size_t len);
/* Neighbour ARFCNs in increasing order; returns how many (at most max are written). The BA is
 * SI2's list, plus SI2bis's when SI2's EXT-IND says SI2 holds only part of it, plus SI2ter's, each
 * only with SI2's BA-IND (TS 44.018 10.5.2.22, 10.5.2.22a: parts of one BA carry the same BA-IND).
 * Without SI2, SI2bis and SI2ter (same BA-IND) are all there is. */
int gsm_si_neighbours(const gsm_si_cell *c, int *out, int max);
/* 1 when any of SI2, SI2bis, SI2ter was decoded */
int gsm_si_has_neighbours(const gsm_si_cell *c);

#endif
