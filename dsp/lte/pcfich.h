/* pcfich.h: control format indicator from the PCFICH (TS 36.211 6.7, TS 36.212 5.3.4). */
#ifndef CS_DSP_LTE_PCFICH_H
#define CS_DSP_LTE_PCFICH_H

#include "lte/ctrl_map.h"

/* The 32-bit CFI codeword for cfi 1..3 (Table 5.3.4-1) into cw[0..31]. */
void lte_cfi_codeword(int cfi, uint8_t *cw);

/* Decode the CFI (1..3) of subframe g from the 16 PCFICH REs listed in m->pcfich_re.
 * *reliability (may be NULL) = (correlation of the best codeword - the second best) / sum |LLR|:
 * about 1.3 for a clean PCFICH, near 0 for noise. */
int lte_pcfich_decode(const lte_cell *cell, const lte_ctrl_map *m, const lte_subframe_grid *g, float *reliability);

#endif
