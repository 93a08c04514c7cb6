/* lte_mib.c: MIB fields (TS 36.331 6.2.2 MasterInformationBlock; ASN.1 UPER of a fixed-size
 * SEQUENCE: dl-Bandwidth ENUMERATED(6) 3 bits, phich-Duration 1 bit, phich-Resource 2 bits,
 * systemFrameNumber BIT STRING(8), then 10 spare/extension bits). */
#include "lte/lte_mib.h"

static const int prb_of[6] = {6, 15, 25, 50, 75, 100};

static unsigned field(const uint8_t *b, int n) {
  unsigned v = 0;
  for (int i = 0; i < n; i++) v = (v << 1) | (b[i] & 1u);
  return v;
}

int lte_mib_unpack(const uint8_t bits[24], int sfn_mod4, lte_cell *cell) {
  unsigned bw = field(bits, 3);
  if (bw > 5) return 0;
  cell->n_prb = prb_of[bw];
  cell->phich_extended = (int)field(bits + 3, 1);
  cell->ng = (lte_phich_ng)field(bits + 4, 2);
  cell->sfn = (int)(field(bits + 6, 8) << 2) | (sfn_mod4 & 3);
  return 1;
}

void lte_mib_pack(const lte_cell *cell, uint8_t bits[24]) {
  unsigned bw = 0;
  while (bw < 5 && prb_of[bw] != cell->n_prb) bw++;
  unsigned v = (bw << 21) | ((unsigned)(cell->phich_extended & 1) << 20) |
               ((unsigned)(cell->ng & 3) << 18) | ((unsigned)((cell->sfn >> 2) & 0xff) << 10);
  for (int i = 0; i < 24; i++) bits[i] = (uint8_t)((v >> (23 - i)) & 1u);
}

void lte_mib_with_sfn(const uint8_t bits[24], int sfn, uint8_t out[24]) {
  for (int i = 0; i < 24; i++) out[i] = bits[i];
  for (int b = 0; b < 8; b++) out[6 + b] = (uint8_t)((sfn >> (9 - b)) & 1);
}
