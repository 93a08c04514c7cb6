/* gsm_ddc.h: digital down-converter for one GSM channel: any input rate -> GSM_FS (2 samples per
 * symbol) with the channel centred (the final 200 kHz channel filter is the receiver's, applied
 * only where samples are used). One polyphase FIR (prototype designed with liquid-dsp) computes
 * each output from the full-rate input with the frequency shift folded into its taps: the input is
 * never mixed sample by sample and no separate resampler runs. */
#ifndef CS_DSP_GSM_DDC_H
#define CS_DSP_GSM_DDC_H

#include <complex.h>
#include <stddef.h>

typedef struct gsm_ddc_s *gsm_ddc;

/* fs: input rate (>= 400 kHz); offset_hz: channel centre relative to the input centre;
 * max_in: the largest n passed to gsm_ddc_execute. */
gsm_ddc gsm_ddc_create(double fs, double offset_hz, size_t max_in);
void gsm_ddc_destroy(gsm_ddc q);
/* Most output samples one call can produce. */
size_t gsm_ddc_max_out(const gsm_ddc q);
/* Convert n input samples; writes *ny outputs to y. */
void gsm_ddc_execute(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny);

#endif
