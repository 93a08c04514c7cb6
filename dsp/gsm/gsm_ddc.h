/* gsm_ddc.h: digital down-converter for one GSM channel: any input rate -> GSM_FS (2 samples per
 * symbol) with the channel centred (the final 200 kHz channel filter is the receiver's, applied
 * only where samples are used). One polyphase FIR (prototype designed with liquid-dsp) computes
 * each output from the full-rate input with the frequency shift folded into its taps: the input is
 * never mixed sample by sample and no separate resampler runs. */
#ifndef CS_DSP_GSM_DDC_H
#define CS_DSP_GSM_DDC_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gsm_ddc_s *gsm_ddc;
typedef struct gsm_ddc_proto_s *gsm_ddc_proto;

/* The prototype low-pass for an input rate fs (>= 400 kHz), designed once and shared by every
 * channel of a capture. NULL on a bad rate or out of memory. */
gsm_ddc_proto gsm_ddc_proto_create(double fs);
void gsm_ddc_proto_destroy(gsm_ddc_proto p);
double gsm_ddc_proto_rate(const gsm_ddc_proto p);

/* offset_hz: channel centre relative to the input centre; max_in: the largest n passed to
 * gsm_ddc_execute. The prototype may be destroyed afterwards. */
gsm_ddc gsm_ddc_create(const gsm_ddc_proto p, double offset_hz, size_t max_in);
void gsm_ddc_destroy(gsm_ddc q);
/* The same object for another channel (or the same one afresh) of a prototype of the same rate
 * and length: as if newly created, without allocating. Returns 0 (q unchanged) when p differs in
 * rate or length: make a new one. */
int gsm_ddc_retune(gsm_ddc q, const gsm_ddc_proto p, double offset_hz);
/* Most output samples one call can produce. */
size_t gsm_ddc_max_out(const gsm_ddc q);
/* Convert n input samples; writes *ny outputs to y. */
void gsm_ddc_execute(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny);
/* The same, computing only the outputs whose index k (counted from the first output ever) has
 * (k - phase) mod period < width; the others are written as 0. A synchronised receiver needs
 * only its timeslot. */
void gsm_ddc_execute_gated(gsm_ddc q, const float complex *x, size_t n, float complex *y, size_t *ny,
                           int64_t period, int64_t phase, int64_t width);

#endif
