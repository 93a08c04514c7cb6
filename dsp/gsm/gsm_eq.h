/* gsm_eq.h: burst equaliser. Channel estimate from the burst's training sequence (least squares,
 * 4 symbol-spaced taps, timing searched over a window) and a max-log-MAP equaliser over the
 * 8-state channel trellis (an MLSE with soft outputs) on the derotated GMSK signal (Laurent's
 * linear approximation: after multiplying symbol n by j^-n, GMSK is BPSK through a short
 * channel; TS 45.004 differential encoding makes the BPSK symbol 1-2*b(n)). */
#ifndef CS_DSP_GSM_EQ_H
#define CS_DSP_GSM_EQ_H

#include <complex.h>
#include <stdint.h>

#include "gsm_const.h"

#define GSM_EQ_TAPS 4

typedef struct gsm_eq_s *gsm_eq;

typedef struct {
  int offset;      /* timing found, in samples relative to the nominal position */
  float sig, noise;/* channel energy sum|h|^2 and residual noise variance per symbol */
  float snr_db;
} gsm_eq_result;

gsm_eq gsm_eq_create(void);
void gsm_eq_destroy(gsm_eq q);

/* z: derotated, frequency-corrected samples at GSM_SPS per symbol; burst symbol k nominally at
 * z[center + GSM_SPS*k]. The timing is searched over center +- range samples; z must be valid from
 * center - range - GSM_SPS*2 to center + range + GSM_SPS*(GSM_BURST_SYMBOLS+2). train: the burst's
 * known bits (0/1) at symbol train_pos..train_pos+train_len-1. Tail bits (0..2, 145..147) are
 * known zeros. llr[k] (k = 0..147) = log P(bit k = 0)/P(bit k = 1). */
void gsm_eq_burst(gsm_eq q, const float complex *z, int center, int range, const uint8_t *train,
                  int train_pos, int train_len, float *llr, gsm_eq_result *res);

#endif
