/* pdcch.h: PDCCH receiver for the common search space (TS 36.211 6.8; TS 36.212 5.3.3;
 * TS 36.213 9.1.1): soft bits of the CCEs, then blind decoding of DCI candidates: convolutional
 * rate dematching (36.212 5.1.4.2), tail-biting Viterbi decoding, CRC16 masked with the RNTI. */
#ifndef CS_DSP_LTE_PDCCH_H
#define CS_DSP_LTE_PDCCH_H

#include <complex.h>
#include <stdint.h>

#include "fec/viterbi.h"
#include "lte/ctrl_map.h"
#include "lte/dci.h"

#define LTE_CSS_CCES 16   /* the common search space spans CCEs 0..15 */
#define LTE_SI_RNTI 0xFFFF

/* Soft bits of CCEs 0 .. min(m->n_cce, LTE_CSS_CCES)-1 (72 each) of subframe g, descrambled
 * (6.8.2: c_init = subframe * 2^9 + N_ID). y, h: scratch of 36*16 and 4*36*16 values.
 * Returns the number of CCEs. */
int lte_pdcch_css_llr(const lte_cell *cell, const lte_ctrl_map *m, const lte_subframe_grid *g,
                      float complex *y, float complex *h, float *llr);

/* The TBCC code of the PDCCH and PBCH (TS 36.212 5.1.3.1): K = 7, 133/171/165 octal. */
viterbi lte_tbcc_create(unsigned max_bits);

/* Decode one candidate of L CCEs starting at soft bit 72*first_cce as a DCI of a payload bits
 * and check its CRC against rnti. bits: a+16 output bits. Returns 1 on a CRC match. */
int lte_pdcch_try(viterbi v, const float *llr, int first_cce, int l, unsigned a, uint16_t rnti, uint8_t *bits);

/* Common search space blind decoding (TS 36.213 9.1.1: L = 4 with 4 candidates, L = 8 with 2,
 * CCE index L*((m) mod floor(N_CCE/L))) for formats 1A and 1C with rnti. A candidate counts when
 * its CRC matches and the DCI unpacks to a valid grant. Returns 1 and fills d (and *first_cce,
 * *level when not NULL), 0 if none. */
int lte_pdcch_search_si(viterbi v, const float *llr, int n_cce, int n_prb, int tdd, uint16_t rnti, lte_dci *d,
                        int *first_cce, int *level);

/* Transmit side of one DCI (TS 36.212 5.3.3.2-4): a payload bits + CRC16 masked with rnti,
 * TBCC, rate matched to the 72 l bits e[] of an L = l candidate (before scrambling). */
void lte_pdcch_encode(viterbi v, const uint8_t *dci, unsigned a, uint16_t rnti, int l, uint8_t *e);

#endif
