/* pdsch.c: PDSCH RE mapping and scrambling initialisation (TS 36.211 6.3.1, 6.4). */
#include "lte/pdsch.h"

int lte_is_crs(const lte_cell *cell, int sf, int l, int k) {
  int nsl = cell->cp_extended ? 6 : 7, ls = l % nsl, ns = 2 * sf + l / nsl;
  int vshift = cell->pci % 6;
  /* 6.10.1.2: ports 0/1 in l = 0 and N_symb - 3 (v = 0/3 and 3/0); ports 2/3 in l = 1
   * (v = 3 (ns mod 2) and 3 + 3 (ns mod 2)) */
  for (int p = 0; p < cell->ports; p++) {
    int v;
    if (p < 2) {
      if (ls == 0) v = p ? 3 : 0;
      else if (ls == nsl - 3) v = p ? 0 : 3;
      else continue;
    } else {
      if (ls != 1) continue;
      v = 3 * (ns % 2) + (p == 3 ? 3 : 0);
    }
    if (k % 6 == (v + vshift) % 6) return 1;
  }
  return 0;
}

/* PBCH (6.6.4: subframe 0, slot 1, symbols 0..3) and PSS/SSS (6.11.1.2, 6.11.2.2) occupy the
 * 72 subcarriers around DC; the PDSCH does not use them. */
static int is_sync_or_pbch(const lte_cell *cell, int sf, int l) {
  int nsl = cell->cp_extended ? 6 : 7;
  if (sf == 0 && l >= nsl && l < nsl + 4) return 1;
  if (!cell->tdd) return (sf == 0 || sf == 5) && (l == nsl - 1 || l == nsl - 2);
  if (sf == 0 || sf == 5) return l == 2 * nsl - 1; /* TDD SSS: last symbol of slot 1 */
  if (sf == 1 || sf == 6) return l == 2;           /* TDD PSS: third symbol of DwPTS */
  return 0;
}

unsigned lte_pdsch_res(const lte_cell *cell, int sf, int l_start, const lte_alloc *a, uint32_t *re) {
  int n = cell->n_prb, nsc = 12 * n, nsl = cell->cp_extended ? 6 : 7;
  int klo = nsc / 2 - 36, khi = nsc / 2 + 36;
  unsigned cnt = 0;
  for (int l = l_start; l < 2 * nsl; l++) {
    int slot = l / nsl, sync = is_sync_or_pbch(cell, sf, l);
    for (int k = 0; k < nsc; k++) {
      if (!a->prb[slot][k / 12]) continue;
      if (sync && k >= klo && k < khi) continue;
      if (lte_is_crs(cell, sf, l, k)) continue;
      re[cnt++] = (uint32_t)(l * nsc + k);
    }
  }
  return cnt;
}

uint32_t lte_pdsch_cinit(uint16_t rnti, int subframe, int pci) {
  return ((uint32_t)rnti << 14) + ((uint32_t)subframe << 9) + (uint32_t)pci;
}
