/* pdcch.c: PDCCH common search space decoding (TS 36.211 6.8, TS 36.212 5.1.4.2, 5.3.3,
 * TS 36.213 9.1.1). */
#include "lte/pdcch.h"

#include "fec/crc.h"
#include "fec/ratematch.h"
#include "lte/layer_demap.h"
#include "lte/pseudo_random.h"
#include "lte/ra.h"

int lte_pdcch_css_llr(const lte_cell *cell, const lte_ctrl_map *m, const lte_subframe_grid *g,
                      float complex *y, float complex *h, float *llr) {
  int ncce = m->n_cce < LTE_CSS_CCES ? m->n_cce : LTE_CSS_CCES;
  /* quadruplets 0 .. 9*ncce-1 hold CCEs 0 .. ncce-1 */
  lte_layer_demap_grid(g, cell->ports, &m->quad_re[0][0], (unsigned)(36 * ncce), y, h, llr);
  lte_descramble_llr(((uint32_t)g->subframe << 9) + (uint32_t)cell->pci, llr, (unsigned)(72 * ncce));
  return ncce;
}

viterbi lte_tbcc_create(unsigned max_bits) {
  static const unsigned polys[3] = {0133, 0171, 0165};
  return viterbi_create(7, 3, polys, max_bits);
}

int lte_pdcch_try(viterbi v, const float *llr, int first_cce, int l, unsigned a, uint16_t rnti, uint8_t *bits) {
  unsigned d = a + 16, kpi = lte_rm_kpi(d), kw = 3 * kpi;
  int32_t map[3 * 64];
  float w[3 * 64], soft[3 * 64];
  if (kw > sizeof w / sizeof w[0]) return 0;
  for (unsigned j = 0; j < kw; j++) w[j] = 0;
  lte_rm_conv_map(d, map);
  /* TS 36.212 5.1.4.2.2 inverted: the E = 72 L bits fill the circular buffer from k0 = 0 */
  lte_rm_dematch_add(llr + 72 * first_cce, (unsigned)(72 * l), map, kw, 0, w);
  for (unsigned j = 0; j < kw; j++) {
    if (map[j] < 0) continue;
    unsigned s = (unsigned)map[j] / d, i = (unsigned)map[j] % d;
    soft[3 * i + s] = w[j];
  }
  viterbi_decode(v, soft, d, 1, bits);
  /* 5.3.3.2: CRC16 parity XOR the RNTI (first bit MSB) */
  uint64_t par = crc_remainder(bits, a, CRC_POLY_LTE16, 16);
  return (par ^ crc_pack(bits + a, 16)) == rnti;
}

int lte_pdcch_search_si(viterbi v, const float *llr, int n_cce, int n_prb, int tdd, uint16_t rnti, lte_dci *d,
                        int *first_cce, int *level) {
  static const int levels[2] = {4, 8}, ncand[2] = {4, 2};
  uint8_t bits[LTE_DCI_MAX_BITS + 16];
  for (int li = 0; li < 2; li++) {
    int l = levels[li], slots = n_cce / l;
    if (slots == 0) continue;
    for (int c = 0; c < ncand[li]; c++) {
      if (c >= slots) break; /* (Y + m) mod floor(N_CCE/L) repeats beyond this */
      int first = l * (c % slots);
      for (int f = 0; f < 2; f++) {
        lte_dci_format fmt = f ? LTE_DCI_1C : LTE_DCI_1A;
        unsigned a = lte_dci_size(fmt, n_prb, tdd);
        if (!a || a > LTE_DCI_MAX_BITS) continue;
        if (!lte_pdcch_try(v, llr, first, l, a, rnti, bits)) continue;
        lte_alloc al;
        if (lte_dci_unpack(bits, fmt, n_prb, tdd, d) && lte_ra_si(d, n_prb, &al)) {
          if (first_cce) *first_cce = first;
          if (level) *level = l;
          return 1;
        }
      }
    }
  }
  return 0;
}

void lte_pdcch_encode(viterbi v, const uint8_t *dci, unsigned a, uint16_t rnti, int l, uint8_t *e) {
  uint8_t c[LTE_DCI_MAX_BITS + 16], enc[3 * (LTE_DCI_MAX_BITS + 16)];
  int32_t map[3 * 64];
  unsigned d = a + 16, kw = 3 * lte_rm_kpi(d), n = (unsigned)(72 * l);
  for (unsigned i = 0; i < a; i++) c[i] = dci[i] & 1;
  crc_unpack(crc_remainder(c, a, CRC_POLY_LTE16, 16) ^ rnti, 16, c + a);
  viterbi_encode(v, c, d, 1, enc);
  lte_rm_conv_map(d, map);
  for (unsigned k = 0, j = 0; k < n; j = (j + 1 == kw) ? 0 : j + 1)
    if (map[j] >= 0) e[k++] = enc[3 * ((unsigned)map[j] % d) + (unsigned)map[j] / d];
}
