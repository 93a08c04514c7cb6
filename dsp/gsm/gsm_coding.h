/* gsm_coding.h: GSM channel coding of the SCH and of the xCCH blocks (BCCH, CCCH, SDCCH, SACCH),
 * TS 45.003 clauses 4.7 and 4.1: parity, convolutional code, interleaving, burst mapping.
 * Bits are unpacked (one per byte); soft bits are LLRs, positive = 0. */
#ifndef CS_DSP_GSM_CODING_H
#define CS_DSP_GSM_CODING_H

#include <stdint.h>

#include "gsm_const.h"

typedef struct gsm_coder_s *gsm_coder;

typedef struct {
  int bsic;         /* 0..63 = NCC*8 + BCC */
  int t1, t2, t3p;  /* reduced TDMA frame number (TS 45.002 3.3.2) */
} gsm_sch_info;

gsm_coder gsm_coder_create(void);
void gsm_coder_destroy(gsm_coder q);

/* TS 45.002 3.3.2: FN from T1, T2, T3' and back. */
int gsm_sch_fn(const gsm_sch_info *s);
void gsm_sch_from_fn(int fn, int bsic, gsm_sch_info *s);

/* SCH: 25 info bits <-> 78 coded bits (TS 45.003 4.7), and their place in the burst. */
void gsm_sch_encode(gsm_coder q, const gsm_sch_info *s, uint8_t coded[78]);
/* Decode from 78 soft bits; 0 and *s filled when the parity checks, -1 otherwise. */
int gsm_sch_decode(gsm_coder q, const float soft[78], gsm_sch_info *s);
/* Build the 148 bits of a synchronisation burst from the 78 coded bits (TS 45.002 5.2.5). */
void gsm_sch_burst(const uint8_t coded[78], uint8_t burst[GSM_BURST_SYMBOLS]);
/* The 78 coded soft bits of a synchronisation burst's 148 soft bits. */
void gsm_sch_burst_bits(const float *burst, float coded[78]);

/* xCCH: 23 octets (184 bits) -> 4 bursts x 114 bits (TS 45.003 4.1.1 to 4.1.4). */
void gsm_xcch_encode(gsm_coder q, const uint8_t l2[23], uint8_t bursts[4][114]);
/* Decode from 4 x 114 soft bits; 0 and l2 filled when the Fire code checks, -1 otherwise. */
int gsm_xcch_decode(gsm_coder q, const float bursts[4][114], uint8_t l2[23]);
/* TS 45.003 4.1.4 interleaving: coded bit k (0..455) goes to burst *b, position *j (0..113). */
void gsm_xcch_interleave_pos(int k, int *b, int *j);
/* Normal burst mapping (TS 45.003 4.1.5, TS 45.002 5.2.3): 114 data bits, stealing flags set
 * (hl = hu = 1 for control channels), TSC. */
void gsm_normal_burst(const uint8_t data[114], int tsc, uint8_t burst[GSM_BURST_SYMBOLS]);
/* The 114 data soft bits of a normal burst's 148 soft bits. */
void gsm_normal_burst_bits(const float *burst, float data[114]);

#endif
