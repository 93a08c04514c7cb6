/* psd.h: Welch power spectral density with FFTW, channel power and noise floor.
 *
 * Window: 4-term Blackman-Harris (sidelobes below -92 dB, so a strong neighbour does not leak
 * into an empty channel's power; equivalent noise bandwidth 2.00 bins). Segments overlap by half.
 * The PSD is normalised per bin so that the sum over all bins equals the mean power |x|^2 of the
 * input; channel power is then the sum over the bins in the channel. Bin order is centred:
 * bin 0 is -fs/2, bin nfft/2 is DC. */
#ifndef CS_DSP_PSD_H
#define CS_DSP_PSD_H

#include <complex.h>
#include <stddef.h>

typedef struct psd_s *psd;

/* nfft: a power of two from 64 to 65536. NULL on bad size or out of memory. */
psd psd_create(unsigned nfft);
void psd_destroy(psd q);
/* Forget the accumulated average. */
void psd_reset(psd q);
/* Accumulate n samples (any n; leftovers carry into the next call). */
void psd_execute(psd q, const float complex *x, size_t n);
/* Number of segments averaged so far. */
unsigned psd_num_averages(const psd q);
unsigned psd_nfft(const psd q);
/* Averaged PSD, linear power per bin (centred order), nfft values. All zeros before the first
 * complete segment. */
void psd_get(const psd q, float *out);

/* Power in [f_lo, f_hi] Hz relative to the centre, from a centred PSD of nfft bins at rate fs.
 * Edge bins count by the fraction of their width inside the band. Linear power. */
double psd_band_power(const float *psd_bins, unsigned nfft, double fs, double f_lo, double f_hi);

/* Noise floor: the per-bin noise power estimated from the quietest bins (the 2nd percentile of
 * bin power, corrected for its bias under the chi-square law of the averaged bins), so that it
 * holds while carriers cover up to ~95 % of the band. Linear power per bin. scratch: nfft / 50 + 1
 * floats of working space (the caller's, so that a scan allocates nothing per dwell). */
double psd_noise_floor(const float *psd_bins, unsigned nfft, unsigned num_averages, float *scratch);

#endif
