/* dlsch.h: DL-SCH transport block decoding (TS 36.212 5.3.2 inverted): code block segmentation
 * (5.1.2), turbo rate dematching into a soft buffer that combines retransmissions and redundancy
 * versions (5.1.4.1), turbo decoding (5.1.3.2) with early stop on CRC24B / CRC24A (5.1.1),
 * code block concatenation. QPSK, one layer or transmit diversity. */
#ifndef CS_DSP_LTE_DLSCH_H
#define CS_DSP_LTE_DLSCH_H

#include <stdint.h>

#define LTE_MAX_CB 16

/* Code block segmentation of a B-bit block (TB + CRC24A), TS 36.212 5.1.2. */
typedef struct {
  unsigned c;        /* code blocks */
  unsigned k_plus, k_minus, c_plus, c_minus;
  unsigned f;        /* filler bits at the start of block 0 */
} lte_cb_seg;

/* Returns 0 if b is too large for LTE_MAX_CB blocks or 0. */
int lte_cb_segment(unsigned b, lte_cb_seg *s);
/* Size K_r of code block r. */
unsigned lte_cb_size(const lte_cb_seg *s, unsigned r);
/* Rate matching output length E_r (5.1.4.1.2) for G coded bits, Q_m = 2, N_L = n_l. */
unsigned lte_cb_e(const lte_cb_seg *s, unsigned r, unsigned g, unsigned n_l);

typedef struct lte_dlsch_s *lte_dlsch;

/* Decoder for transport blocks up to max_tbs bits. NULL on bad size or no memory. */
lte_dlsch lte_dlsch_create(unsigned max_tbs);
void lte_dlsch_destroy(lte_dlsch q);

/* Forget the soft buffer. */
void lte_dlsch_reset(lte_dlsch q);

/* Transmissions combined in the soft buffer so far. */
unsigned lte_dlsch_combined(const lte_dlsch q);

/* Add one transmission of a tbs-bit block (g descrambled soft bits, LLR positive = 0, redundancy
 * version rv, n_l = 1 single port, 2 transmit diversity) to the soft buffer (reset first when
 * tbs differs from the buffer's) and decode. Returns 1 when the CRC24A passes (tb[0..tbs/8-1]
 * holds the block, first bit = MSB of tb[0]), 0 if not, -1 on bad arguments. */
int lte_dlsch_decode(lte_dlsch q, const float *llr, unsigned g, unsigned tbs, unsigned rv, unsigned n_l, uint8_t *tb);

/* Transmit side (to re-create a decoded block for interference cancellation): TB tb (tbs/8
 * bytes) -> CRC24A, segmentation with CRC24B, turbo coding, rate matching for rv into e[0..g-1]
 * (0/1, before scrambling). Returns 0 on bad arguments. */
int lte_dlsch_encode(lte_dlsch q, const uint8_t *tb, unsigned tbs, unsigned rv, unsigned g, unsigned n_l, uint8_t *e);

#endif
