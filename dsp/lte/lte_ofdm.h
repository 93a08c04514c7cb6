/* lte_ofdm.h: OFDM demodulation of one downlink subframe (inverse of TS 36.211 6.12) with FFTW at
 * any rate that is a whole multiple of 15 kHz: N = fs/15 kHz. The caller gives the fractional
 * sample position of the subframe start and the frequency offset; the FFT window starts a little
 * inside the cyclic prefix and the resulting phase ramp is removed, so the grid is referenced to
 * the ideal symbol start. Output: 12*n_prb subcarriers per symbol, spec order, DC skipped, scaled so
 * that the sum of |RE|^2 over all N bins equals the mean |x|^2 of the symbol. */
#ifndef CS_DSP_LTE_OFDM_H
#define CS_DSP_LTE_OFDM_H

#include <complex.h>
#include <stddef.h>

typedef struct lte_ofdm_s *lte_ofdm;

/* nfft >= 12*n_prb + 1. NULL on bad arguments. */
lte_ofdm lte_ofdm_create(unsigned nfft, int n_prb, int cp_extended);
void lte_ofdm_destroy(lte_ofdm q);
int lte_ofdm_n_symb(const lte_ofdm q);

#define LTE_OFDM_ALL_ROWS 0x3fffu /* every symbol of a subframe (bit l: symbol l) */

/* Demodulate the symbols l of the subframe starting at fractional sample t0 of x[0..len) whose
 * bit (1 << l) is set in rows (LTE_OFDM_ALL_ROWS, or only those the caller reads: each symbol is
 * one FFT). cfo: frequency offset in cycles per sample, removed with the phase referenced to x[0].
 * re: [n_symb][12*n_prb], only the rows asked for written. Returns 0 when the subframe is not all
 * in x, whichever rows were asked for. */
int lte_ofdm_demod(lte_ofdm q, const float complex *x, size_t len, double t0, double cfo,
                   unsigned rows, float complex *re);

/* The inverse, to cancel a known cell: regenerate the subframe at t0 (CP included) from grid re
 * (REs whose |re|^2 < min_power are left out; a symbol with none left is skipped) and subtract it
 * from x, with the same timing and frequency conventions as lte_ofdm_demod. */
void lte_ofdm_subtract(lte_ofdm q, float complex *x, size_t len, double t0, double cfo,
                       const float complex *re, float min_power);

#endif
