/* sib1_rx.c: SIB1 reception from demodulated subframes: PCFICH, PDCCH common search space with
 * SI-RNTI, PDSCH and DL-SCH decoding with soft combining, BCCH-DL-SCH UPER (see sib1_rx.h). */
#include "lte/sib1_rx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lte/ctrl_map.h"
#include "lte/dlsch.h"
#include "lte/layer_demap.h"
#include "lte/layer_map.h"
#include "lte/pcfich.h"
#include "lte/pdcch.h"
#include "lte/pdsch.h"
#include "lte/pseudo_random.h"
#include "lte/ra.h"

#define MAX_SI_TBS 2216       /* largest SI-RNTI TBS: Table 7.1.7.2.1-1, I_TBS 26, N_PRB 3 */
#define MAX_COMBINE 8         /* restart soft combining after this many failed transmissions */
#define N_MI 3                /* TDD PHICH factors m_i tried in subframe 5: 0, 1, 2 */
#define PCFICH_SURE 0.6f      /* PCFICH reliability above which the other CFIs are not tried */

struct lte_sib1_rx_s {
  lte_cell cell;
  int n_mi;                   /* 1 for FDD (m_i = 1), 3 for TDD (m_i = 0, 1, 2) */
  lte_ctrl_map *maps;         /* [4 control symbol counts][n_mi]; n_reg 0 when impossible */
  viterbi vit;
  lte_dlsch dlsch;
  float complex *y, *h;       /* gather scratch: LTE_MAX_PDSCH_RE, 4 * LTE_MAX_PDSCH_RE */
  float *llr;                 /* 2 * LTE_MAX_PDSCH_RE soft bits */
  uint32_t *re;               /* PDSCH RE list */
  float cce_llr[72 * LTE_CSS_CCES];
  int last_mi;                /* index of the m_i hypothesis that last gave a DCI */
  lte_dci last_dci;
  int have_dci;
  lte_sib1 sib1;
  int have_sib1;
  uint8_t tb[MAX_SI_TBS / 8];  /* the block being decoded */
  uint8_t pdu[MAX_SI_TBS / 8]; /* the last one that decoded as SIB1 */
  size_t pdu_len;
  lte_sib1_rx_stats st;
  /* what the last execute call decoded, for lte_sib1_rx_reconstruct */
  int last_ok;                /* 1 when the last call decoded SIB1 */
  int last_sf, last_cfi, last_lstart, last_rv, last_first_cce, last_level; /* level 0: no PDCCH */
  const lte_ctrl_map *last_map;
  lte_dci last_ok_dci;
  uint8_t *bits;              /* 4 * LTE_MAX_PDSCH_RE scratch bits */
};

static const int mi_values[N_MI] = {0, 1, 2};

lte_sib1_rx lte_sib1_rx_create(const lte_cell *cell) {
  if (!cell || cell->n_prb < 6 || cell->n_prb > LTE_MAX_PRB || cell->pci < 0 || cell->pci > 503 ||
      (cell->ports != 1 && cell->ports != 2 && cell->ports != 4))
    return NULL;
  lte_sib1_rx q = calloc(1, sizeof *q);
  if (!q) return NULL;
  q->cell = *cell;
  q->n_mi = cell->tdd ? N_MI : 1;
  q->maps = calloc((size_t)(4 * q->n_mi), sizeof *q->maps);
  q->vit = lte_tbcc_create(LTE_DCI_MAX_BITS + 16);
  q->dlsch = lte_dlsch_create(MAX_SI_TBS);
  q->y = malloc(LTE_MAX_PDSCH_RE * sizeof *q->y);
  q->h = malloc(4 * LTE_MAX_PDSCH_RE * sizeof *q->h);
  q->llr = malloc(2 * LTE_MAX_PDSCH_RE * sizeof *q->llr);
  q->re = malloc(LTE_MAX_PDSCH_RE * sizeof *q->re);
  q->bits = malloc(4 * LTE_MAX_PDSCH_RE);
  if (!q->maps || !q->vit || !q->dlsch || !q->y || !q->h || !q->llr || !q->re || !q->bits) {
    lte_sib1_rx_destroy(q);
    return NULL;
  }
  for (int l = 1; l <= 4; l++)
    for (int i = 0; i < q->n_mi; i++) {
      int mi = cell->tdd ? mi_values[i] : 1;
      if (!lte_ctrl_map_build(cell, l, mi, &q->maps[(l - 1) * q->n_mi + i])) q->maps[(l - 1) * q->n_mi + i].n_reg = 0;
    }
  return q;
}

void lte_sib1_rx_destroy(lte_sib1_rx q) {
  if (!q) return;
  free(q->maps);
  if (q->vit) viterbi_destroy(q->vit);
  lte_dlsch_destroy(q->dlsch);
  free(q->y);
  free(q->h);
  free(q->llr);
  free(q->re);
  free(q->bits);
  free(q);
}

/* Find the SI-RNTI DCI: the PCFICH's CFI first, then, if the PCFICH was unreliable (low SNR),
 * the other CFIs; each with the TDD PHICH hypotheses. */
static const lte_ctrl_map *find_dci(lte_sib1_rx q, const lte_subframe_grid *g, int cfi, float rel, lte_dci *d,
                                    int *first_cce, int *level) {
  int n = q->cell.n_prb;
  for (int t = 0; t < (rel < PCFICH_SURE ? 3 : 1); t++) {
    int c = t == 0 ? cfi : (t == 1 ? (cfi % 3) + 1 : ((cfi + 1) % 3) + 1);
    int l = lte_cfi_to_symbols(c, n);
    for (int k = 0; k < q->n_mi; k++) {
      int i = (q->last_mi + k) % q->n_mi;
      const lte_ctrl_map *m = &q->maps[(l - 1) * q->n_mi + i];
      if (m->n_reg == 0) continue;
      int ncce = lte_pdcch_css_llr(&q->cell, m, g, q->y, q->h, q->cce_llr);
      if (lte_pdcch_search_si(q->vit, q->cce_llr, ncce, n, q->cell.tdd, LTE_SI_RNTI, d, first_cce, level)) {
        q->last_mi = i;
        return m;
      }
    }
  }
  return NULL;
}

int lte_sib1_rx_execute(lte_sib1_rx q, const lte_subframe_grid *g) {
  if (!q || !g || !g->re || g->n_prb != q->cell.n_prb || g->n_symb != (q->cell.cp_extended ? 12 : 14) ||
      !(g->noise_var >= 0 && g->noise_var < INFINITY))
    return -1;
  for (int p = 0; p < q->cell.ports; p++)
    if (!g->h[p]) return -1;
  /* TS 36.331 5.2.1.2: SIB1 in subframe 5 of radio frames with SFN mod 2 = 0 */
  q->last_ok = 0;
  if (g->subframe != 5 || (g->sfn & 1)) return 0;
  q->st.sib1_subframes++;

  float rel;
  int cfi = lte_pcfich_decode(&q->cell, &q->maps[0], g, &rel);
  lte_dci d;
  int first_cce = 0, level = 0;
  const lte_ctrl_map *m = find_dci(q, g, cfi, rel, &d, &first_cce, &level);
  int l_start;
  if (m) {
    q->st.dci_found++;
    q->last_dci = d;
    q->have_dci = 1;
    l_start = m->n_symb_ctrl;
    q->st.last_cfi = q->cell.n_prb <= 10 ? l_start - 1 : l_start;
  } else if (q->have_dci) {
    /* PDCCH missed: SIB1 is normally sent on the same resources every time, so reuse the last
     * grant with the PCFICH's CFI; the transport block CRC decides. */
    d = q->last_dci;
    l_start = lte_cfi_to_symbols(cfi, q->cell.n_prb);
    q->st.last_cfi = cfi;
  } else {
    q->st.last_cfi = cfi;
    return 0;
  }

  lte_alloc a;
  if (!lte_ra_si(&d, q->cell.n_prb, &a)) return 0;
  /* RV: format 1A signals it; for 1C (and a reused grant) TS 36.321 5.3.1:
   * RV_K = ceil(3/2 k) mod 4, k = (SFN/2) mod 4 */
  int k = (g->sfn / 2) % 4;
  int rv = (m && d.format == LTE_DCI_1A) ? d.rv : ((3 * k + 1) / 2) % 4;
  unsigned nre = lte_pdsch_res(&q->cell, g->subframe, l_start, &a, q->re);
  if (q->cell.ports == 4) nre &= ~3u; /* 6.3.3.3: 4-layer blocks (a trailing pair is padding) */
  else if (q->cell.ports == 2) nre &= ~1u;
  if (nre == 0) return 0;
  lte_layer_demap_grid(g, q->cell.ports, q->re, nre, q->y, q->h, q->llr);
  lte_descramble_llr(lte_pdsch_cinit(LTE_SI_RNTI, g->subframe, q->cell.pci), q->llr, 2 * nre);
  int ok = lte_dlsch_decode(q->dlsch, q->llr, 2 * nre, (unsigned)a.tbs, (unsigned)rv,
                            q->cell.ports > 1 ? 2 : 1, q->tb);
  if (ok != 1) {
    q->st.tb_crc_fail++;
    if (lte_dlsch_combined(q->dlsch) >= MAX_COMBINE) lte_dlsch_reset(q->dlsch);
    return 0;
  }
  q->st.tb_crc_ok++;
  lte_dlsch_reset(q->dlsch);
  lte_sib1 s;
  if (lte_sib1_decode(q->tb, (size_t)a.tbs / 8, &s, NULL) != CS_OK) {
    q->st.uper_fail++;
    return 0;
  }
  q->sib1 = s;
  q->have_sib1 = 1;
  q->pdu_len = (size_t)a.tbs / 8;
  memcpy(q->pdu, q->tb, q->pdu_len);
  q->last_ok = 1;
  q->last_sf = g->subframe;
  q->last_cfi = q->st.last_cfi;
  q->last_lstart = l_start;
  q->last_rv = rv;
  q->last_map = m;
  q->last_first_cce = first_cce;
  q->last_level = m ? level : 0;
  q->last_ok_dci = d;
  return 1;
}

const lte_sib1 *lte_sib1_rx_result(const lte_sib1_rx q) { return q && q->have_sib1 ? &q->sib1 : NULL; }

const uint8_t *lte_sib1_rx_pdu(const lte_sib1_rx q, size_t *len) {
  if (!q || !q->have_sib1) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = q->pdu_len;
  return q->pdu;
}

void lte_sib1_rx_get_stats(const lte_sib1_rx q, lte_sib1_rx_stats *stats) { *stats = q->st; }

/* Predicted received REs: sum over ports of h_p * (precoded symbols of port p). */
static unsigned put(lte_sib1_rx q, const lte_subframe_grid *g, const uint8_t *bits, unsigned n, const uint32_t *re,
                    float complex *out) {
  int ports = q->cell.ports;
  float complex *y[LTE_MAX_PORTS];
  for (int p = 0; p < ports; p++) y[p] = q->h + (size_t)p * n;
  lte_qpsk_mod(bits, n, q->y);
  lte_layer_map_precode(q->y, n, ports, y);
  for (unsigned i = 0; i < n; i++) {
    float complex r = 0;
    for (int p = 0; p < ports; p++) r += g->h[p][re[i]] * y[p][i];
    out[re[i]] = r;
  }
  return n;
}

int lte_sib1_rx_reconstruct(lte_sib1_rx q, const lte_subframe_grid *g, float complex *out) {
  if (!q || !q->last_ok || !g || !out || g->n_prb != q->cell.n_prb) return 0;
  const lte_cell *c = &q->cell;
  size_t nre = (size_t)g->n_symb * 12 * (size_t)c->n_prb;
  for (size_t i = 0; i < nre; i++) out[i] = 0;
  unsigned total = 0;
  /* PCFICH (TS 36.211 6.7) */
  uint8_t *b = q->bits, cw[32];
  lte_cfi_codeword(q->last_cfi, cw);
  lte_pseudo_random((uint32_t)(q->last_sf + 1) * (2u * c->pci + 1) * 512u + (uint32_t)c->pci, 32, b);
  for (int i = 0; i < 32; i++) b[i] ^= cw[i];
  total += put(q, g, b, 16, q->last_map ? q->last_map->pcfich_re : q->maps[0].pcfich_re, out);
  /* the SI-RNTI DCI in its candidate (6.8), when it was received in this subframe */
  if (q->last_level && q->last_map) {
    uint8_t dci[LTE_DCI_MAX_BITS];
    unsigned a = lte_dci_pack(&q->last_ok_dci, c->n_prb, c->tdd, dci);
    unsigned nb = (unsigned)(72 * q->last_level), off = (unsigned)(72 * q->last_first_cce);
    uint8_t *e = b + 4 * LTE_MAX_PDSCH_RE - nb; /* the scrambling sequence goes in front */
    lte_pdcch_encode(q->vit, dci, a, LTE_SI_RNTI, q->last_level, e);
    lte_pseudo_random(((uint32_t)q->last_sf << 9) + (uint32_t)c->pci, off + nb, b);
    for (unsigned i = 0; i < nb; i++) b[i] = b[off + i] ^ e[i];
    total += put(q, g, b, nb / 2, &q->last_map->quad_re[9 * q->last_first_cce][0], out);
  }
  /* the SIB1 PDSCH (6.3, 6.4) */
  lte_alloc a;
  if (!lte_ra_si(&q->last_ok_dci, c->n_prb, &a)) return (int)total;
  unsigned n = lte_pdsch_res(c, q->last_sf, q->last_lstart, &a, q->re);
  if (c->ports == 4) n &= ~3u;
  else if (c->ports == 2) n &= ~1u;
  if (!lte_dlsch_encode(q->dlsch, q->pdu, (unsigned)a.tbs, (unsigned)q->last_rv, 2 * n, c->ports > 1 ? 2 : 1, b))
    return (int)total;
  uint8_t *sc = b + 2 * n; /* scrambling sequence after the coded bits */
  lte_pseudo_random(lte_pdsch_cinit(LTE_SI_RNTI, q->last_sf, c->pci), 2 * n, sc);
  for (unsigned i = 0; i < 2 * n; i++) b[i] ^= sc[i];
  total += put(q, g, b, n, q->re, out);
  return (int)total;
}
