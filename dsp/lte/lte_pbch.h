/* lte_pbch.h: the physical broadcast channel (TS 36.211 6.6; TS 36.212 5.3.1): RE extraction from
 * subframe 0 slot 1 around the carrier centre, SFBC transmit-diversity combining for 2 and 4
 * ports (TS 36.211 6.3.4.3), QPSK soft bits, descrambling, rate de-matching with combining of up
 * to four frames of one 40 ms TTI, tail-biting Viterbi decoding and the CRC16 with the antenna-port
 * mask (TS 36.212 Table 5.3.1.1-1). */
#ifndef CS_DSP_LTE_PBCH_H
#define CS_DSP_LTE_PBCH_H

#include <complex.h>
#include <stdint.h>

#include "lte/lte_chest.h"
#include "lte/lte_grid.h"

#define LTE_PBCH_MAX_BITS 480 /* coded bits per frame, normal CP (432 extended) */

typedef struct lte_pbch_s *lte_pbch;

lte_pbch lte_pbch_create(void);
void lte_pbch_destroy(lte_pbch q);

/* Coded bits per frame: 480 normal CP, 432 extended. */
int lte_pbch_bits(int cp_extended);

/* Soft bits (LLR, positive = 0) of one frame's PBCH from the subframe-0 grid re and channel
 * estimates h (ports of them) of a grid n_prb wide (the central 6 PRB are used). chest tells the
 * CRS positions (set to the cell with 4 ports or more). Writes lte_pbch_bits() values. */
void lte_pbch_llr(const float complex *re, float complex *const *h, int n_prb, int cp_extended,
                  int pci, int ports, float noise_var, float *llr);

/* Decode one 40 ms TTI: frame[s] holds the LLRs received in the frame with SFN mod 4 = s, or NULL
 * when not received. Tries the CRC mask of `ports`. On success returns 1 and the 24 MIB bits. */
int lte_pbch_decode(lte_pbch q, int pci, int cp_extended, int ports, const float *const frame[4],
                    uint8_t mib[24]);

/* Encoder for tests: 24 MIB bits -> the 4 frames' scrambled coded bits (0/1), 4*lte_pbch_bits. */
void lte_pbch_encode(lte_pbch q, int pci, int cp_extended, int ports, const uint8_t mib[24],
                     uint8_t *bits);

/* The antenna-port CRC mask (TS 36.212 Table 5.3.1.1-1), 16 bits, first bit most significant. */
unsigned lte_pbch_crc_mask(int ports);

#endif
