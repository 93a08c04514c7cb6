/* lte_mib.h: the MasterInformationBlock (TS 36.331 6.2.2, BCCH-BCH): 24 bits, unpacked into the
 * cell description. The only parser fed from the air on the PBCH path, fuzzed (fuzz/). */
#ifndef CS_DSP_LTE_MIB_H
#define CS_DSP_LTE_MIB_H

#include <stdint.h>

#include "lte/lte_grid.h"

/* bits: 24 bits (0/1 bytes), first transmitted first. sfn_mod4: the 40 ms position of the frame
 * the block was received in (its 2 LSBs of SFN). Fills n_prb, phich_extended, ng, sfn (the rest
 * of cell untouched). Returns 0 if the block is not a valid MIB (dl-Bandwidth 6 or 7). */
int lte_mib_unpack(const uint8_t bits[24], int sfn_mod4, lte_cell *cell);

/* The MIB of another frame: bits with the SFN field (bits 6..13) set from sfn (0..1023), the
 * rest (spare and extension bits included) kept. */
void lte_mib_with_sfn(const uint8_t bits[24], int sfn, uint8_t out[24]);

/* The inverse, for tests and GSMTAP: 24 bits from cell (spare bits 0). */
void lte_mib_pack(const lte_cell *cell, uint8_t bits[24]);

#endif
