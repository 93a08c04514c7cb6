/* pcfich.c: PCFICH receiver (TS 36.211 6.7: scrambling 6.7.1, QPSK, transmit diversity, REG
 * mapping 6.7.4; TS 36.212 5.3.4: CFI block code). */
#include "lte/pcfich.h"

#include <math.h>
#include <stddef.h>

#include "lte/layer_demap.h"
#include "lte/pseudo_random.h"

/* Table 5.3.4-1: CFI 1, 2, 3 are <0,1,1>, <1,0,1>, <1,1,0> repeated over 32 bits. */
void lte_cfi_codeword(int cfi, uint8_t *cw) {
  static const uint8_t base[3][3] = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
  for (int i = 0; i < 32; i++) cw[i] = base[(cfi - 1) % 3][i % 3];
}

int lte_pcfich_decode(const lte_cell *cell, const lte_ctrl_map *m, const lte_subframe_grid *g, float *reliability) {
  float complex y[16], hb[LTE_MAX_PORTS][16];
  const float complex *h[LTE_MAX_PORTS];
  float llr[32];
  for (int p = 0; p < cell->ports; p++) h[p] = hb[p];
  for (int i = 0; i < 16; i++) {
    uint32_t re = m->pcfich_re[i];
    y[i] = g->re[re];
    for (int p = 0; p < cell->ports; p++) hb[p][i] = g->h[p][re];
  }
  lte_layer_demap_qpsk(y, h, cell->ports, 16, g->noise_var, NULL, llr);
  /* 6.7.1: c_init = (floor(ns/2) + 1) * (2 N_ID + 1) * 2^9 + N_ID, ns = 2 * subframe */
  uint32_t c_init = (uint32_t)(g->subframe + 1) * (2u * cell->pci + 1) * 512u + (uint32_t)cell->pci;
  lte_descramble_llr(c_init, llr, 32);
  float best = -1e30f, second = -1e30f, sum = 0;
  for (int i = 0; i < 32; i++) sum += fabsf(llr[i]);
  int cfi = 1;
  for (int c = 1; c <= 3; c++) {
    uint8_t cw[32];
    lte_cfi_codeword(c, cw);
    float s = 0;
    for (int i = 0; i < 32; i++) s += cw[i] ? -llr[i] : llr[i];
    if (s > best) {
      second = best;
      best = s;
      cfi = c;
    } else if (s > second) {
      second = s;
    }
  }
  if (reliability) *reliability = sum > 0 ? (best - second) / sum : 0;
  return cfi;
}
