/* turbo.h: the LTE turbo code (TS 36.212 5.1.3.2): rate 1/3 PCCC of two 8-state recursive
 * systematic encoders (g0 = 13, g1 = 15 octal) and the QPP interleaver, trellis-terminated.
 * Decoder: iterative max-log-MAP with scaled extrinsic information (0.75), early stop when the
 * caller's check (a CRC) passes.
 *
 * Streams d0 (systematic), d1 (parity 1), d2 (parity 2) of K+4 bits each, tail bits placed as in
 * 5.1.3.2.2. Soft values are LLRs log(P(0)/P(1)): positive means 0. */
#ifndef CS_DSP_FEC_TURBO_H
#define CS_DSP_FEC_TURBO_H

#include <stdint.h>

typedef struct turbo_s *turbo;

/* Decoder for code blocks up to max_k bits (<= 6144). NULL on bad size or no memory. */
turbo turbo_create(unsigned max_k);
void turbo_destroy(turbo q);

/* Encode k bits c[0..k-1] (0/1 bytes; k a QPP size) into d0, d1, d2 (k+4 bits each).
 * Returns 0 if k is not a table size. */
int turbo_encode(turbo q, const uint8_t *c, unsigned k, uint8_t *d0, uint8_t *d1, uint8_t *d2);

/* Returns 1 to stop iterating (the block is right). */
typedef int (*turbo_check_fn)(const uint8_t *bits, unsigned k, void *arg);

/* Decode soft d0, d1, d2 (k+4 values each) into out[0..k-1]. Runs up to max_iter iterations and
 * stops early when check (may be NULL) accepts the hard decision. Returns the number of
 * iterations after which check passed, 0 if it never did (out holds the last hard decision),
 * -1 on a bad k. */
int turbo_decode(turbo q, const float *d0, const float *d1, const float *d2, unsigned k,
                 unsigned max_iter, turbo_check_fn check, void *arg, uint8_t *out);

#endif
