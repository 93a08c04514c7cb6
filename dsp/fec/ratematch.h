/* ratematch.h: LTE rate matching index maps (TS 36.212 5.1.4): the sub-block interleavers and
 * bit collection of the circular buffer w, for the turbo code (5.1.4.1) and the convolutional code
 * (5.1.4.2). A map gives, for each circular buffer position j, the coded bit it holds as
 * stream*D + index (stream 0..2, index 0..D-1), or -1 for a <NULL> (dummy or filler) position.
 * The transmitter reads e_k = d[map[j]] and the receiver adds e_k's soft value at position j, so
 * both directions share one definition. */
#ifndef CS_DSP_FEC_RATEMATCH_H
#define CS_DSP_FEC_RATEMATCH_H

#include <stdint.h>

/* Sub-block size K_PI = 32 * ceil(d / 32); the circular buffer has 3 * K_PI positions. */
static inline unsigned lte_rm_kpi(unsigned d) { return 32u * ((d + 31u) / 32u); }

/* Turbo code (5.1.4.1.1-2): d = K + 4; filler = F filler bits at the start of the code block
 * (<NULL> in streams 0 and 1). map: 3 * lte_rm_kpi(d) entries. */
void lte_rm_turbo_map(unsigned d, unsigned filler, int32_t *map);

/* Starting position k0 (5.1.4.1.2) for redundancy version rv (0..3) and soft buffer size ncb. */
unsigned lte_rm_turbo_k0(unsigned d, unsigned ncb, unsigned rv);

/* Convolutional code (5.1.4.2): d = number of bits per stream. map: 3 * lte_rm_kpi(d) entries. */
void lte_rm_conv_map(unsigned d, int32_t *map);

/* Receive side bit selection (5.1.4.1.2 / 5.1.4.2.2 inverted): add e[0..n-1] into the circular
 * buffer soft values w[0..ncb-1] starting at k0 and skipping <NULL> positions (soft combining of
 * repetitions and redundancy versions). Returns 0 if the buffer has no non-NULL position. */
int lte_rm_dematch_add(const float *e, unsigned n, const int32_t *map, unsigned ncb, unsigned k0, float *w);

#endif
