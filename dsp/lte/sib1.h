/* sib1.h: SystemInformationBlockType1 (TS 36.331 6.2.2) as decoded from a BCCH-DL-SCH-Message,
 * with an unaligned PER decoder that is safe on any input (bounds-checked bit reader). */
#ifndef CS_DSP_LTE_SIB1_H
#define CS_DSP_LTE_SIB1_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

#define LTE_SIB1_MAX_PLMN 6      /* maxPLMN-r11 */
#define LTE_SIB1_MAX_SI 32       /* maxSI-Message */
#define LTE_SIB1_MAX_SIB 31      /* maxSIB - 1 */

typedef struct {
  char mcc[4];                   /* 3 digits, NUL-terminated */
  char mnc[4];                   /* 2 or 3 digits: "01" and "001" differ */
  int reserved_for_operator_use; /* cellReservedForOperatorUse == reserved */
} lte_plmn;

typedef struct {
  int periodicity_rf;            /* si-Periodicity in radio frames: 8 .. 512 */
  int n_sib;
  uint8_t sib_type[LTE_SIB1_MAX_SIB]; /* SIB numbers (3 = sibType3 ...), 0 unknown extension */
} lte_sched_info;

typedef struct {
  int n_plmn;
  lte_plmn plmn[LTE_SIB1_MAX_PLMN];
  unsigned tac;                  /* trackingAreaCode, 16 bits */
  uint32_t cell_identity;        /* 28 bits: eNB ID << 8 | local cell ID */
  uint32_t enb_id;               /* cell_identity >> 8 */
  unsigned local_cell_id;        /* cell_identity & 0xff */
  int cell_barred;               /* 1 barred, 0 notBarred */
  int intra_freq_reselection;    /* 1 allowed, 0 notAllowed */
  int csg_indication;
  int csg_identity_present;
  uint32_t csg_identity;
  int q_rxlevmin_dbm;            /* q-RxLevMin * 2 */
  int q_rxlevmin_offset_db;      /* q-RxLevMinOffset * 2, 0 when absent */
  int p_max_present;
  int p_max_dbm;
  int freq_band_indicator;       /* 1..64, or 1..256 from freqBandIndicator-v9e0 when present */
  int n_multi_band;              /* multiBandInfoList (v8h0), 0 when absent */
  int multi_band[8];
  int n_sched;
  lte_sched_info sched[LTE_SIB1_MAX_SI];
  int tdd_present;
  int tdd_subframe_assignment;   /* sa0..sa6 -> 0..6 */
  int tdd_special_subframe_patterns; /* ssp0..ssp8 -> 0..8 */
  int si_window_ms;              /* 1, 2, 5, 10, 15, 20, 40 */
  int system_info_value_tag;     /* 0..31 */
} lte_sib1;

/* Decode a BCCH-DL-SCH-Message (TS 36.331 6.2.1) holding SystemInformationBlockType1 from len
 * bytes. CS_ERR_INPUT (err says where) when the bits run out, a value is out of range or the
 * message is not SIB1; out is then unspecified. Never reads outside pdu[0..len-1]. */
cs_status lte_sib1_decode(const uint8_t *pdu, size_t len, lte_sib1 *out, cs_err *err);

#endif
