/* test_lte_ctrl_map.c: REG numbering and the control region layout (TS 36.211 6.2.4, 6.7.4, 6.8.5,
 * 6.9): PCFICH positions, PHICH group counts, CCE counts, and that the PDCCH quadruplets cover
 * every REG left exactly once, away from reference signals, PCFICH and PHICH. */
#include "check.h"
#include "lte/ctrl_map.h"
#include "lte/pcfich.h"

static lte_ctrl_map m;

static void layout_sanity(const lte_cell *c, int l, int mi) {
  if (!lte_ctrl_map_build(c, l, mi, &m)) {
    CHECK(c->phich_extended && l < 3, "build failed: %d PRB %d ports L %d", c->n_prb, c->ports, l);
    return;
  }
  int nsc = 12 * c->n_prb;
  static uint8_t use[4 * 12 * LTE_MAX_PRB];
  memset(use, 0, sizeof use);
  for (int i = 0; i < 16; i++) use[m.pcfich_re[i]] = 1;
  int bad = 0, total_regs = 0;
  for (int s = 0; s < l; s++) {
    int six = s == 0 || (s == 1 && c->ports == 4) || (s == 3 && c->cp_extended);
    total_regs += six ? 2 * c->n_prb : 3 * c->n_prb;
  }
  for (int q = 0; q < m.n_reg; q++)
    for (int j = 0; j < 4; j++) {
      uint32_t re = m.quad_re[q][j];
      int sym = (int)re / nsc, k = (int)re % nsc;
      int six = sym == 0 || (sym == 1 && c->ports == 4) || (sym == 3 && c->cp_extended);
      bad += sym >= l;                                  /* inside the control region */
      bad += six && k % 3 == c->pci % 3;                /* not a reference signal RE */
      bad += use[re]++ != 0;                            /* not PCFICH, not used twice */
      if (j) bad += m.quad_re[q][j] <= m.quad_re[q][j - 1]; /* lowest k first */
    }
  /* REGs: total - PCFICH (4) - PHICH (3 per group, or per group pair with extended CP) */
  int phich_regs = 3 * (c->cp_extended ? m.n_phich_groups / 2 : m.n_phich_groups);
  CHECK(m.n_reg == total_regs - 4 - phich_regs && bad == 0,
        "%d PRB pci %d ports %d L %d ext %d: n_reg %d want %d, %d bad REs", c->n_prb, c->pci, c->ports, l,
        c->phich_extended, m.n_reg, total_regs - 4 - phich_regs, bad);
  CHECK_INT(m.n_cce, m.n_reg / 9);
}

int main(void) {
  /* PHICH groups (6.9): ceil(Ng N / 8) */
  lte_cell c = {.pci = 0, .n_prb = 25, .ports = 1, .ng = LTE_PHICH_NG_1_6};
  CHECK_INT(lte_phich_groups(&c, 1), 1);
  c.n_prb = 50;
  c.ng = LTE_PHICH_NG_1;
  CHECK_INT(lte_phich_groups(&c, 1), 7);
  c.n_prb = 100;
  c.ng = LTE_PHICH_NG_2;
  CHECK_INT(lte_phich_groups(&c, 1), 25);
  CHECK_INT(lte_phich_groups(&c, 2), 50); /* TDD m_i = 2 */
  c.cp_extended = 1;
  CHECK_INT(lte_phich_groups(&c, 1), 50);
  CHECK_INT(lte_cfi_to_symbols(1, 6), 2);
  CHECK_INT(lte_cfi_to_symbols(3, 25), 3);

  /* CCE counts by hand: 25 PRB, 1 port, Ng 1/6, L = 2: 50 + 75 REGs - 4 - 3 = 118 -> 13 CCEs */
  c = (lte_cell){.pci = 101, .n_prb = 25, .ports = 1, .ng = LTE_PHICH_NG_1_6};
  CHECK(lte_ctrl_map_build(&c, 2, 1, &m), "build");
  CHECK_INT(m.n_reg, 118);
  CHECK_INT(m.n_cce, 13);
  /* 6 PRB, Ng 1, L = 2 (CFI 1): 12 + 18 - 4 - 3 = 23 -> 2 CCEs (no L = 4 candidate fits) */
  c = (lte_cell){.pci = 0, .n_prb = 6, .ports = 1, .ng = LTE_PHICH_NG_1};
  CHECK(lte_ctrl_map_build(&c, 2, 1, &m), "build");
  CHECK_INT(m.n_cce, 2);
  CHECK(lte_ctrl_map_build(&c, 4, 1, &m), "build");
  CHECK_INT(m.n_reg, 12 + 18 * 3 - 4 - 3);

  /* PCFICH (6.7.4): pci 0, 25 PRB: REGs at k = 0, 72, 150, 222; RS at k mod 3 = 0 skipped */
  c = (lte_cell){.pci = 0, .n_prb = 25, .ports = 2, .ng = LTE_PHICH_NG_1};
  lte_ctrl_map_build(&c, 1, 1, &m);
  CHECK_INT(m.pcfich_re[0], 1);
  CHECK_INT(m.pcfich_re[3], 5);
  CHECK_INT(m.pcfich_re[4], 73);
  CHECK_INT(m.pcfich_re[8], 151);
  CHECK_INT(m.pcfich_re[12], 223);
  /* pci 101 on 6 PRB: kbar = 6 (101 mod 12) = 30; k = 30, 48, 66, 84 mod 72 = 12; RS where
   * k mod 3 = 2 */
  c = (lte_cell){.pci = 101, .n_prb = 6, .ports = 1, .ng = LTE_PHICH_NG_1};
  lte_ctrl_map_build(&c, 2, 1, &m);
  CHECK_INT(m.pcfich_re[0], 30);
  CHECK_INT(m.pcfich_re[4], 48);
  CHECK_INT(m.pcfich_re[6], 51);
  CHECK_INT(m.pcfich_re[8], 66);
  CHECK_INT(m.pcfich_re[12], 12);
  CHECK_INT(m.pcfich_re[15], 16);

  /* layout sanity over bandwidths, ports, PCIs, Ng, PHICH duration, CP and control sizes */
  static const int bws[6] = {6, 15, 25, 50, 75, 100};
  for (int b = 0; b < 6; b++)
    for (int ports = 1; ports <= 4; ports *= 2)
      for (int ng = 0; ng < 4; ng++)
        for (int ext = 0; ext < 2; ext++) {
          c = (lte_cell){.pci = (b * 97 + ports * 31 + ng * 7 + ext) % 504, .n_prb = bws[b], .ports = ports,
                         .ng = (lte_phich_ng)ng, .phich_extended = ext, .cp_extended = (ng == 3 && ext)};
          for (int l = 1; l <= (bws[b] <= 10 ? 4 : 3); l++) layout_sanity(&c, l, 1);
        }
  /* the CFI codewords (TS 36.212 Table 5.3.4-1) */
  uint8_t cw[32];
  lte_cfi_codeword(1, cw);
  CHECK(cw[0] == 0 && cw[1] == 1 && cw[2] == 1 && cw[30] == 0 && cw[31] == 1, "CFI 1");
  lte_cfi_codeword(3, cw);
  CHECK(cw[0] == 1 && cw[1] == 1 && cw[2] == 0 && cw[30] == 1 && cw[31] == 1, "CFI 3");
  return check_done();
}
