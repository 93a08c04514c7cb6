/* gsm_const.h: GSM physical-layer constants and the burst training sequences
 * (TS 45.002 clause 5.2: burst structures; 5.2.3 normal-burst TSC set 1; 5.2.5 SCH sync). */
#ifndef CS_DSP_GSM_CONST_H
#define CS_DSP_GSM_CONST_H

#include <stdint.h>

#define GSM_SYMBOL_RATE (1625000.0 / 6.0) /* TS 45.004 */
#define GSM_SPS 2                         /* receiver samples per symbol */
#define GSM_FS (GSM_SYMBOL_RATE * GSM_SPS)
#define GSM_BURST_SYMBOLS 148
#define GSM_FRAME_SYMBOLS 1250            /* 8 x 156.25 */
#define GSM_FRAME_SAMPLES (GSM_FRAME_SYMBOLS * GSM_SPS)
#define GSM_FCCH_HZ (GSM_SYMBOL_RATE / 4.0) /* all-zero burst: a tone at +67.7 kHz */
#define GSM_HYPERFRAME 2715648

/* Normal burst: 3 tail, 57 data, 1 flag, 26 TSC, 1 flag, 57 data, 3 tail (TS 45.002 5.2.3). */
#define GSM_NB_TSC_POS 61
#define GSM_NB_TSC_LEN 26
/* SCH burst: 3 tail, 39 data, 64 sync, 39 data, 3 tail (TS 45.002 5.2.5). */
#define GSM_SB_SYNC_POS 42
#define GSM_SB_SYNC_LEN 64

extern const uint8_t gsm_tsc[8][GSM_NB_TSC_LEN];
extern const uint8_t gsm_sch_sync[GSM_SB_SYNC_LEN];

#endif
