/* ctrl_map.c: REG numbering, PCFICH/PHICH REG allocation and the PDCCH quadruplet mapping
 * (TS 36.211 6.2.4, 6.7.4, 6.9.3, 6.8.5). */
#include "lte/ctrl_map.h"

#include <string.h>

/* Table 5.1.4-2 of TS 36.212: the convolutional sub-block interleaver's column permutation,
 * which 6.8.5 applies to quadruplets. */
static const uint8_t perm_conv[32] = {1, 17, 9, 25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                                      0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};

int lte_cfi_to_symbols(int cfi, int n_prb) { return n_prb <= 10 ? cfi + 1 : cfi; }

int lte_phich_groups(const lte_cell *cell, int m_i) {
  static const int num[4] = {1, 1, 1, 2}, den[4] = {6, 2, 1, 1};
  int ng = cell->ng;
  if (ng < 0 || ng > 3) ng = 2;
  int g = (num[ng] * cell->n_prb + 8 * den[ng] - 1) / (8 * den[ng]);
  return (cell->cp_extended ? 2 * g : g) * m_i;
}

/* 6.2.4: a symbol's REGs span 6 subcarriers when it carries cell-specific reference signals
 * (assuming ports 0 and 1 at least), 4 otherwise. */
static int reg_width(const lte_cell *cell, int l) {
  if (l == 0) return 6;
  if (l == 1 && cell->ports == 4) return 6;
  if (l == 3 && cell->cp_extended) return 6;
  return 4;
}

/* The 4 REs of the REG of symbol l starting at subcarrier k0, lowest k first; in a 6-wide REG
 * the two RS positions (k mod 3 == v_shift mod 3, 6.10.1.2) are skipped. */
static void reg_res(const lte_cell *cell, int l, int k0, uint32_t *re) {
  int nsc = 12 * cell->n_prb, w = reg_width(cell, l), j = 0;
  for (int k = k0; k < k0 + w && j < 4; k++) {
    if (w == 6 && k % 3 == cell->pci % 3) continue;
    re[j++] = (uint32_t)(l * nsc + k);
  }
}

int lte_ctrl_map_build(const lte_cell *cell, int n_symb_ctrl, int phich_m_i, lte_ctrl_map *m) {
  int n = cell->n_prb, nsc = 12 * n;
  if (n < 6 || n > LTE_MAX_PRB || n_symb_ctrl < 1 || n_symb_ctrl > 4) return 0;
  if (cell->phich_extended && n_symb_ctrl < 3) return 0;
  memset(m, 0, sizeof *m);
  m->n_symb_ctrl = n_symb_ctrl;
  m->n_phich_groups = lte_phich_groups(cell, phich_m_i);

  /* used[l][k0 / 2]: REG of symbol l starting at k0 taken by PCFICH or PHICH */
  uint8_t used[4][LTE_MAX_PRB * 6];
  memset(used, 0, sizeof used);

  /* 6.7.4: PCFICH quadruplet i in the REG at k = kbar + floor(i * N / 2) * 6 of symbol 0 */
  int kbar = 6 * (cell->pci % (2 * n));
  for (int i = 0; i < 4; i++) {
    int k = (kbar + (i * n / 2) * 6) % nsc;
    used[0][k / 2] = 1;
    reg_res(cell, 0, k, m->pcfich_re + 4 * i);
  }

  /* 6.9.3: PHICH mapping units m' (groups, or group pairs for extended CP), 3 REGs each */
  int units = cell->cp_extended ? m->n_phich_groups / 2 : m->n_phich_groups;
  int nfree[4];
  for (int l = 0; l < 4; l++) { /* n'_l: REGs of symbol l not used by the PCFICH */
    int w = reg_width(cell, l);
    nfree[l] = nsc / w - (l == 0 ? 4 : 0);
  }
  for (int u = 0; u < units; u++) {
    for (int i = 0; i < 3; i++) {
      int l = cell->phich_extended ? i : 0;
      int nl = nfree[l];
      int nbar = (cell->pci * nl / nfree[0] + u + i * nl / 3) % nl;
      /* the nbar-th REG of symbol l not used by the PCFICH, lowest frequency first */
      int w = reg_width(cell, l), c = 0;
      for (int k = 0; k < nsc; k += w) {
        if (l == 0 && used[0][k / 2] == 1) continue;
        if (c++ == nbar) {
          used[l][k / 2] = 2;
          break;
        }
      }
    }
  }

  /* 6.8.5: the remaining REGs in mapping order: k ascending, and for each k, l = 0 .. L-1 */
  int nreg = 0;
  uint32_t regk[LTE_MAX_REG];
  uint8_t regl[LTE_MAX_REG];
  for (int k = 0; k < nsc; k++)
    for (int l = 0; l < n_symb_ctrl; l++) {
      int w = reg_width(cell, l);
      if (k % w || used[l][k / 2]) continue;
      regk[nreg] = (uint32_t)k;
      regl[nreg] = (uint8_t)l;
      nreg++;
    }
  m->n_reg = nreg;
  m->n_cce = nreg / 9;

  /* Quadruplet permutation: sub-block interleaver with <NULL>s removed, giving w(j) = z(src[j]);
   * then REG r carries w((r + N_ID) mod M_quad). */
  int r = (nreg + 31) / 32, kpi = 32 * r, nd = kpi - nreg, j = 0;
  uint16_t src[LTE_MAX_REG];
  for (int k = 0; k < kpi; k++) {
    int y = perm_conv[k / r] + 32 * (k % r);
    if (y < nd) continue;
    src[j++] = (uint16_t)(y - nd);
  }
  for (int reg = 0; reg < nreg; reg++) {
    int q = src[(reg + cell->pci) % nreg];
    reg_res(cell, regl[reg], (int)regk[reg], m->quad_re[q]);
  }
  return 1;
}
