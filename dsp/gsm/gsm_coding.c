/* gsm_coding.c: SCH and xCCH channel coding (TS 45.003 4.7 and 4.1). */
#include "gsm_coding.h"

#include <stdlib.h>
#include <string.h>

#include "fec/crc.h"
#include "fec/viterbi.h"

struct gsm_coder_s {
  viterbi vit;
  uint8_t u[228];
  float c[456];
};

gsm_coder gsm_coder_create(void) {
  struct gsm_coder_s *q = calloc(1, sizeof *q);
  if (!q) return NULL;
  static const unsigned polys[2] = {023, 033}; /* TS 45.003 4.1.3: G0 = 1+D3+D4, G1 = 1+D+D3+D4 */
  q->vit = viterbi_create(5, 2, polys, 228);
  if (!q->vit) { free(q); return NULL; }
  return q;
}

void gsm_coder_destroy(gsm_coder q) {
  if (!q) return;
  viterbi_destroy(q->vit);
  free(q);
}

/* TS 45.002 3.3.2: T1 = FN div (26x51), T2 = FN mod 26, T3 = FN mod 51, T3' = (T3-1)/10. */
int gsm_sch_fn(const gsm_sch_info *s) {
  int t3 = 10 * s->t3p + 1;
  int d = ((t3 - s->t2) % 26 + 26) % 26;
  return 51 * 26 * s->t1 + 51 * d + t3;
}

void gsm_sch_from_fn(int fn, int bsic, gsm_sch_info *s) {
  s->bsic = bsic;
  s->t1 = fn / (26 * 51);
  s->t2 = fn % 26;
  s->t3p = (fn % 51 - 1) / 10;
}

/* TS 45.003 4.7 with TS 44.018 9.1.30 (SCH information): d(0) is bit 1 of octet 1;
 * octet 1 = BSIC (bits 8..3), T1 bits 10..9 (bits 2..1); octet 2 = T1 bits 8..1;
 * octet 3 = T1 bit 0 (bit 8), T2 (bits 7..3), T3' bits 2..1 (bits 2..1); octet 4 bit 1 = T3' bit 0. */
static void sch_pack(const gsm_sch_info *s, uint8_t d[25]) {
  uint8_t o[4] = {
      (uint8_t)((s->bsic & 63) << 2 | ((s->t1 >> 9) & 3)),
      (uint8_t)((s->t1 >> 1) & 0xff),
      (uint8_t)((s->t1 & 1) << 7 | (s->t2 & 31) << 2 | ((s->t3p >> 1) & 3)),
      (uint8_t)(s->t3p & 1),
  };
  for (int k = 0; k < 25; k++) d[k] = (o[k / 8] >> (k % 8)) & 1;
}

static void sch_unpack(const uint8_t d[25], gsm_sch_info *s) {
  uint8_t o[4] = {0};
  for (int k = 0; k < 25; k++) o[k / 8] |= (uint8_t)(d[k] << (k % 8));
  s->bsic = o[0] >> 2;
  s->t1 = (o[0] & 3) << 9 | o[1] << 1 | o[2] >> 7;
  s->t2 = (o[2] >> 2) & 31;
  s->t3p = (o[2] & 3) << 1 | (o[3] & 1);
}

void gsm_sch_encode(gsm_coder q, const gsm_sch_info *s, uint8_t coded[78]) {
  uint8_t u[39] = {0};
  sch_pack(s, u);
  /* 4.7: 10 parity bits, g(D) = D10+D8+D6+D5+D4+D2+1, remainder inverted; then 4 tail zeros */
  uint64_t p = crc_remainder(u, 25, CRC_POLY_GSM_SCH, 10) ^ 0x3ff;
  crc_unpack(p, 10, u + 25);
  viterbi_encode(q->vit, u, 39, 0, coded);
}

int gsm_sch_decode(gsm_coder q, const float soft[78], gsm_sch_info *s) {
  uint8_t *u = q->u;
  viterbi_decode(q->vit, soft, 39, 0, u);
  uint64_t p = crc_remainder(u, 25, CRC_POLY_GSM_SCH, 10) ^ 0x3ff;
  if (p != crc_pack(u + 25, 10)) return -1;
  sch_unpack(u, s);
  if (s->t2 > 25 || s->t3p > 4) return -1;
  return 0;
}

/* TS 45.003 4.7: e(k) = c(k) for k = 0..38 at burst bits 3..41, c(39..77) at bits 106..144. */
void gsm_sch_burst(const uint8_t coded[78], uint8_t b[GSM_BURST_SYMBOLS]) {
  memset(b, 0, GSM_BURST_SYMBOLS);
  memcpy(b + 3, coded, 39);
  memcpy(b + GSM_SB_SYNC_POS, gsm_sch_sync, GSM_SB_SYNC_LEN);
  memcpy(b + GSM_SB_SYNC_POS + GSM_SB_SYNC_LEN, coded + 39, 39);
}

void gsm_sch_burst_bits(const float *burst, float coded[78]) {
  memcpy(coded, burst + 3, 39 * sizeof(float));
  memcpy(coded + 39, burst + GSM_SB_SYNC_POS + GSM_SB_SYNC_LEN, 39 * sizeof(float));
}

/* TS 45.003 4.1.4: c(k) goes to burst B = k mod 4, position j = 2((49k) mod 57) + ((k mod 8) div 4). */
static inline int il_pos(int k) { return 2 * ((49 * k) % 57) + ((k % 8) / 4); }

void gsm_xcch_interleave_pos(int k, int *b, int *j) { *b = k % 4; *j = il_pos(k); }

void gsm_xcch_encode(gsm_coder q, const uint8_t l2[23], uint8_t bursts[4][114]) {
  uint8_t *u = q->u;
  memset(u, 0, 228);
  for (int k = 0; k < 184; k++) u[k] = (l2[k / 8] >> (k % 8)) & 1; /* octets LSB first */
  /* 4.1.2 Fire code g(D) = (D23+1)(D17+D3+1), remainder inverted */
  uint64_t p = crc_remainder(u, 184, CRC_POLY_GSM_FIRE, 40) ^ 0xffffffffffull;
  crc_unpack(p, 40, u + 184);
  uint8_t c[456];
  viterbi_encode(q->vit, u, 228, 0, c); /* 4.1.3, 4 tail zeros already in u[224..227] */
  for (int k = 0; k < 456; k++) bursts[k % 4][il_pos(k)] = c[k];
}

int gsm_xcch_decode(gsm_coder q, const float bursts[4][114], uint8_t l2[23]) {
  for (int k = 0; k < 456; k++) q->c[k] = bursts[k % 4][il_pos(k)];
  uint8_t *u = q->u;
  viterbi_decode(q->vit, q->c, 228, 0, u);
  uint64_t p = crc_remainder(u, 184, CRC_POLY_GSM_FIRE, 40) ^ 0xffffffffffull;
  if (p != crc_pack(u + 184, 40)) return -1;
  memset(l2, 0, 23);
  for (int k = 0; k < 184; k++) l2[k / 8] |= (uint8_t)(u[k] << (k % 8));
  return 0;
}

/* TS 45.003 4.1.5: e(j) = i(j) and e(59+j) = i(57+j) for j = 0..56, e(57) = hl, e(58) = hu;
 * TS 45.002 5.2.3: e(0..57) at burst bits 3..60, TSC at 61..86, e(58..115) at 87..144. */
void gsm_normal_burst(const uint8_t data[114], int tsc, uint8_t b[GSM_BURST_SYMBOLS]) {
  memset(b, 0, GSM_BURST_SYMBOLS);
  memcpy(b + 3, data, 57);
  b[60] = 1;
  memcpy(b + GSM_NB_TSC_POS, gsm_tsc[tsc & 7], GSM_NB_TSC_LEN);
  b[87] = 1;
  memcpy(b + 88, data + 57, 57);
}

void gsm_normal_burst_bits(const float *burst, float data[114]) {
  memcpy(data, burst + 3, 57 * sizeof(float));
  memcpy(data + 57, burst + 88, 57 * sizeof(float));
}
