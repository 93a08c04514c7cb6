/* lte_cancel.h: subtract a found LTE cell from a 1.92 Msps signal, so that weaker co-channel
 * cells it hid can be found and decoded: its PSS and SSS (TS 36.211 6.11) regenerated with its
 * fractional timing and frequency and a least-squares gain per occurrence, and its CRS (6.10.1)
 * and PBCH (6.6, re-encoded from the decoded MIB, SFBC 6.3.4.3) through the channel estimated on
 * every subframe. Only what the cell is known to send is removed, so a co-sited cell on the same
 * REs survives. */
#ifndef CS_DSP_LTE_CANCEL_H
#define CS_DSP_LTE_CANCEL_H

#include <complex.h>
#include <stddef.h>

#include "lte/lte_rx.h"

typedef struct lte_cancel_s *lte_cancel;

lte_cancel lte_cancel_create(void);
void lte_cancel_destroy(lte_cancel q);

/* Subtract cell c (timing, frequency and MIB as lte_rx found them) from w[0..n), in two parts
 * around split: part 0 leaves w[0..split) final, part 1 does the rest. Part 0 then part 1 give
 * exactly what the whole cancellation gives; a caller that only reads w[0..split) before it knows
 * whether it needs the rest can put part 1 off, or skip it. */
void lte_cancel_execute(lte_cancel q, float complex *w, size_t n, const lte_rx_cell *c,
                        size_t split, int part);

#endif
