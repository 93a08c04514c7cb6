/* lte_tx.c: test-only LTE downlink transmitter (see lte_tx.h), the mirror of dsp/lte's receive
 * chain: TS 36.212 5.3.4 (CFI), 5.3.3 + 5.1.3.1 + 5.1.4.2 (DCI), 5.3.2 + 5.1.3.2 + 5.1.4.1
 * (DL-SCH); TS 36.211 6.3 (scrambling, QPSK, layer mapping, transmit diversity precoding), 6.7,
 * 6.8, 6.4 (mapping). */
#include "lte_sib/lte_tx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fec/crc.h"
#include "fec/ratematch.h"
#include "fec/turbo.h"
#include "fec/viterbi.h"
#include "lte/ctrl_map.h"
#include "lte/dlsch.h"
#include "lte/pcfich.h"
#include "lte/pdcch.h"
#include "lte/pdsch.h"
#include "lte/pseudo_random.h"
#include "lte/ra.h"
#include "lte_sib/rng.h"

lte_subframe_grid *lte_tx_grid_create(const lte_cell *cell) {
  lte_subframe_grid *g = calloc(1, sizeof *g);
  g->n_prb = cell->n_prb;
  g->n_symb = cell->cp_extended ? 12 : 14;
  size_t n = (size_t)g->n_symb * 12 * cell->n_prb;
  g->re = calloc(n, sizeof *g->re);
  for (int p = 0; p < cell->ports; p++) g->h[p] = calloc(n, sizeof *g->h[p]);
  return g;
}

void lte_tx_grid_destroy(lte_subframe_grid *g) {
  if (!g) return;
  free(g->re);
  for (int p = 0; p < LTE_MAX_PORTS; p++) free(g->h[p]);
  free(g);
}

/* QPSK (TS 36.211 7.1.2) of scrambled bits */
static void qpsk(const uint8_t *b, unsigned nsym, float complex *d) {
  const float a = (float)M_SQRT1_2;
  for (unsigned i = 0; i < nsym; i++) d[i] = (b[2 * i] ? -a : a) + I * (b[2 * i + 1] ? -a : a);
}

/* Layer mapping + precoding (6.3.3.3, 6.3.4.3) and mapping to REs re[] through the flat channel:
 * the received value is sum_p h_p y_p. */
static void precode_map(const lte_tx_cfg *c, const float complex *d, unsigned n, const uint32_t *re,
                        lte_subframe_grid *g) {
  int ports = c->cell.ports;
  const float s = (float)M_SQRT1_2;
  for (unsigned i = 0; i < n; i++) {
    float complex y[4] = {0};
    if (ports == 1) {
      y[0] = d[i];
    } else {
      unsigned m = i / 2, first = (i % 2) == 0;
      float complex x0 = d[2 * m], x1 = d[2 * m + 1];
      int pa = 0, pb = 1;
      if (ports == 4) {
        pa = (m & 1) ? 1 : 0;
        pb = (m & 1) ? 3 : 2;
      }
      /* y_a(2m) = x0, y_b(2m) = -x1*, y_a(2m+1) = x1, y_b(2m+1) = x0*, all / sqrt 2 */
      y[pa] = s * (first ? x0 : x1);
      y[pb] = s * (first ? -conjf(x1) : conjf(x0));
    }
    float complex r = 0;
    for (int p = 0; p < ports; p++) r += c->hport[p] * y[p];
    g->re[re[i]] = r;
  }
}

static void scramble(uint32_t c_init, uint8_t *b, unsigned n) {
  uint8_t *c = malloc(n);
  lte_pseudo_random(c_init, n, c);
  for (unsigned i = 0; i < n; i++) b[i] ^= c[i];
  free(c);
}

int lte_tx_subframe(const lte_tx_cfg *c, lte_subframe_grid *g) {
  const lte_cell *cell = &c->cell;
  int n = cell->n_prb, nsc = 12 * n;
  size_t nre = (size_t)g->n_symb * nsc;
  g->subframe = c->subframe;
  g->sfn = c->sfn;
  memset(g->re, 0, nre * sizeof *g->re);
  for (int p = 0; p < cell->ports; p++)
    for (size_t i = 0; i < nre; i++) g->h[p][i] = c->hport[p];

  static lte_ctrl_map m;
  int l = lte_cfi_to_symbols(c->cfi, n);
  if (!lte_ctrl_map_build(cell, l, cell->tdd ? c->phich_mi : 1, &m)) return 0;

  /* PCFICH (6.7) */
  uint8_t b[2 * LTE_MAX_PDSCH_RE];
  float complex d[LTE_MAX_PDSCH_RE];
  lte_cfi_codeword(c->cfi, b);
  scramble((uint32_t)(c->subframe + 1) * (2u * cell->pci + 1) * 512u + (uint32_t)cell->pci, b, 32);
  qpsk(b, 16, d);
  precode_map(c, d, 16, m.pcfich_re, g);

  /* PDCCH (6.8): DCI + CRC16 ^ RNTI, TBCC, rate matching into the candidate's CCEs */
  int ncce = m.n_cce;
  if (c->cce_first + c->cce_l > ncce) return 0;
  unsigned nb = (unsigned)(72 * ncce);
  for (unsigned i = 0; i < nb; i++) b[i] = c->fill_other_cces ? (uint8_t)(rng_u32() & 1) : 0;
  uint8_t dci[LTE_DCI_MAX_BITS + 16], enc[3 * (LTE_DCI_MAX_BITS + 16)];
  unsigned a = lte_dci_pack(&c->dci, n, cell->tdd, dci);
  crc_unpack(crc_remainder(dci, a, CRC_POLY_LTE16, 16) ^ LTE_SI_RNTI, 16, dci + a);
  unsigned dd = a + 16;
  viterbi v = lte_tbcc_create(dd);
  viterbi_encode(v, dci, dd, 1, enc);
  viterbi_destroy(v);
  int32_t map[3 * 64];
  lte_rm_conv_map(dd, map);
  unsigned kw = 3 * lte_rm_kpi(dd), e = (unsigned)(72 * c->cce_l);
  for (unsigned k = 0, j = 0; k < e; j = (j + 1) % kw)
    if (map[j] >= 0) {
      unsigned s = (unsigned)map[j] / dd, i = (unsigned)map[j] % dd;
      b[72 * c->cce_first + k++] = enc[3 * i + s];
    }
  if (!c->no_pdcch || c->fill_other_cces) {
    if (c->no_pdcch) /* the grant's CCEs carry something else */
      for (unsigned k = 0; k < e; k++) b[72 * c->cce_first + k] = (uint8_t)(rng_u32() & 1);
    scramble(((uint32_t)c->subframe << 9) + (uint32_t)cell->pci, b, nb);
    qpsk(b, nb / 2, d);
    precode_map(c, d, nb / 2, &m.quad_re[0][0], g);
  }

  /* PDSCH (6.3, 6.4) with the DL-SCH coding of the TB (TS 36.212 5.3.2) */
  lte_alloc al;
  if (!lte_ra_si(&c->dci, n, &al) || (unsigned)al.tbs < 8 * c->pdu_len) return 0;
  static uint32_t res[LTE_MAX_PDSCH_RE];
  unsigned nr = lte_pdsch_res(cell, c->subframe, l, &al, res);
  if (cell->ports == 4) nr &= ~3u;
  else if (cell->ports == 2) nr &= ~1u;
  unsigned gbits = 2 * nr, tbs = (unsigned)al.tbs;
  static uint8_t tb[2216 + 24 + 64], cbits[2304], dstr[3 * 2308], ebits[2 * LTE_MAX_PDSCH_RE];
  static int32_t rmap[3 * 2336];
  memset(tb, 0, sizeof tb);
  for (unsigned i = 0; i < c->pdu_len; i++) crc_unpack(c->pdu[i], 8, tb + 8 * i);
  crc_unpack(crc_remainder(tb, tbs, CRC_POLY_LTE24A, 24), 24, tb + tbs);
  lte_cb_seg seg;
  if (!lte_cb_segment(tbs + 24, &seg) || seg.c != 1) return 0;
  unsigned k = seg.k_plus, f = seg.f, dk = k + 4, kwt = 3 * lte_rm_kpi(dk);
  memset(cbits, 0, f);
  memcpy(cbits + f, tb, tbs + 24);
  turbo t = turbo_create(k);
  turbo_encode(t, cbits, k, dstr, dstr + dk, dstr + 2 * dk);
  turbo_destroy(t);
  lte_rm_turbo_map(dk, f, rmap);
  for (unsigned i = 0, j = lte_rm_turbo_k0(dk, kwt, (unsigned)c->rv); i < gbits; j = (j + 1) % kwt)
    if (rmap[j] >= 0) ebits[i++] = dstr[rmap[j]];
  scramble(lte_pdsch_cinit(LTE_SI_RNTI, c->subframe, cell->pci), ebits, gbits);
  qpsk(ebits, nr, d);
  precode_map(c, d, nr, res, g);

  /* AWGN */
  float sigma = sqrtf(powf(10.0f, -c->snr_db / 10.0f) / 2.0f);
  for (size_t i = 0; i < nre; i++) g->re[i] += sigma * (rng_gauss() + I * rng_gauss());
  g->noise_var = 2.0f * sigma * sigma;
  return (int)tbs;
}
