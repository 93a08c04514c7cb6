/* csn_enc.h: a CSN.1 rest octet encoder for tests (TS 44.018 10.5.2.33b, 10.5.2.37b): fields
 * written bit by bit over the 0x2B spare padding, L/H relative to the padding. */
#ifndef CS_TEST_CSN_ENC_H
#define CS_TEST_CSN_ENC_H

#include <stdint.h>
#include <string.h>

#include "gsm/gsm_si.h"

typedef struct { uint8_t b[23]; int pos; } enc; /* pos: bit offset in the rest octets (octet 3 on) */

static inline void enc_init(enc *e, uint8_t l2len, uint8_t mt) {
  memset(e->b, 0x2b, sizeof e->b);
  e->b[0] = l2len;
  e->b[1] = 0x06;
  e->b[2] = mt;
  e->pos = 0;
}
static inline void w(enc *e, unsigned x, int n) {
  for (int i = n - 1; i >= 0; i--, e->pos++) {
    int p = 24 + e->pos;
    if (p >= 8 * 23) continue; /* overflow: caught by CHECK(e->pos <= 160) */
    uint8_t m = (uint8_t)(0x80 >> (p & 7));
    if ((x >> i) & 1) e->b[p >> 3] |= m;
    else e->b[p >> 3] &= (uint8_t)~m;
  }
}
/* L / H: the padding bit at this position / its complement */
static inline void wLH(enc *e, int h) { int pad = (0x2b >> (7 - (e->pos & 7))) & 1; w(e, h ? !pad : pad, 1); }

/* SI2quater header (10.5.2.33b): BA_IND, 3G_BA_IND, MP_CHANGE_MARK, INDEX, COUNT */
static inline void si2q_head(enc *e, int index, int count, int ba3g) {
  enc_init(e, 0x05, GSM_MT_SI2QUATER); /* L2 pseudo length 1 */
  w(e, 0, 1); w(e, (unsigned)ba3g, 1); w(e, 0, 1); w(e, (unsigned)index, 4); w(e, (unsigned)count, 4);
}
/* one Repeated UTRAN FDD Neighbour Cells struct: 0, FDD-ARFCN, FDD_Indic0, NR_OF_FDD_CELLS and
 * the W(1..n) of the 1024 range coding with widths 10 - floor(log2 i) */
static inline void fdd_cells(enc *e, int uarfcn, int indic0, const int *W, int n) {
  w(e, 1, 1); w(e, 0, 1); w(e, (unsigned)uarfcn, 14); w(e, (unsigned)indic0, 1); w(e, (unsigned)n, 5);
  for (int i = 1; i <= n; i++) {
    int l = 0;
    for (int x = i; x >>= 1;) l++;
    w(e, (unsigned)W[i - 1], 10 - l);
  }
}

#endif
