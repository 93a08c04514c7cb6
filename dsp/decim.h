/* decim.h: FIR decimation by an integer factor D, real taps, complex samples:
 * y[n] = sum_k h[k] x[nD - k] (samples before the first are zero), so the first output belongs
 * to the first input sample and the delay of a symmetric filter of h_len taps is (h_len - 1) / 2
 * input samples. The same outputs as liquid-dsp's firdecim_crcf with the same taps; the taps
 * themselves come from liquid-dsp's designs. Why not firdecim_crcf itself: the liquid-dsp that
 * Debian ships is built with its portable dot product, about 7 instructions per tap, which made
 * the decimation to 1.92 Msps a fifth of the LTE decoder's instructions; here the sum runs two
 * complex samples per 4-float vector, two outputs per pass over the taps, with 8-float vectors
 * where the CPU has AVX2 (the same results bit for bit; docs/performance.md). */
#ifndef CS_DSP_DECIM_H
#define CS_DSP_DECIM_H

#include <complex.h>
#include <stddef.h>

typedef struct decim_s *decim;

/* D >= 1, h_len >= 1 taps (copied). NULL on bad arguments or out of memory. */
decim decim_create(unsigned D, const float *h, unsigned h_len);
void decim_destroy(decim q);
/* Back to the state after create: empty history, the next sample an output position. */
void decim_reset(decim q);
/* Push n input samples (any n); writes one output for every input sample at an output position
 * (every D-th of the stream) to y and returns how many: at most n / D + 1. */
size_t decim_execute(decim q, const float complex *x, size_t n, float complex *y);

#endif
