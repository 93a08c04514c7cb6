/* ctrl_map.h: where PCFICH and PDCCH live in the control region of a downlink subframe.
 * Resource-element groups (TS 36.211 6.2.4), PCFICH REGs (6.7.4), PHICH REGs as far as they are
 * taken from the PDCCH (6.9, 6.9.3), and the PDCCH quadruplet permutation and cyclic shift
 * (6.8.5). The result lists, for every PDCCH symbol quadruplet z(q) (q = 9*CCE + j), its four
 * resource elements, so CCE n is quadruplets 9n .. 9n+8. Computed once per (cell, CFI). */
#ifndef CS_DSP_LTE_CTRL_MAP_H
#define CS_DSP_LTE_CTRL_MAP_H

#include <stdint.h>

#include "lte/lte_grid.h"

#define LTE_MAX_REG (LTE_MAX_PRB * 3 * 4) /* <= 3 REGs per PRB and symbol, <= 4 symbols */

typedef struct {
  int n_symb_ctrl;         /* PDCCH symbols L (1..4) */
  int n_phich_groups;
  int n_reg;               /* REGs left for the PDCCH = M_quad */
  int n_cce;               /* floor(n_reg / 9) */
  uint32_t pcfich_re[16];  /* RE index l*12*n_prb + k of PCFICH symbol i */
  uint32_t quad_re[LTE_MAX_REG][4]; /* RE indices of PDCCH quadruplet z(q), q < n_reg */
} lte_ctrl_map;

/* Number of PHICH groups N_group (6.9): ceil(Ng * N_RB / 8), doubled for extended CP, times m_i
 * for TDD (Table 6.9-1; pass m_i = 1 for FDD). */
int lte_phich_groups(const lte_cell *cell, int m_i);

/* Number of PDCCH symbols for a CFI (TS 36.211 Table 6.7-1, n_prb <= 10: CFI + 1). */
int lte_cfi_to_symbols(int cfi, int n_prb);

/* Fill m for n_symb_ctrl PDCCH symbols and phich_m_i (1 for FDD). Returns 0 when the parameters
 * do not fit (e.g. extended PHICH duration with fewer than 3 control symbols). */
int lte_ctrl_map_build(const lte_cell *cell, int n_symb_ctrl, int phich_m_i, lte_ctrl_map *m);

#endif
