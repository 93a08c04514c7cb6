/* hostile_gen.h: synthetic hostile sample streams for the reliability tests: noise, zeros, square
 * waves, clipping, NaN/Inf, truncated bursts, and signals that synchronise (GSM FCCH+SCH training
 * sequence, LTE PSS+SSS) but carry garbage in every coded field. Deterministic (seeded). */
#ifndef CS_TEST_HOSTILE_GEN_H
#define CS_TEST_HOSTILE_GEN_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#define HG_GSM_RATE (1625000.0 / 6.0 * 4.0) /* 4 samples per GSM symbol: 1.0833 Msps */
#define HG_LTE_RATE 1.92e6                  /* 128-point FFT, 6 PRB */

typedef struct { uint64_t s; } hg_rng;
double hg_uniform(hg_rng *r);        /* [0, 1) */
float complex hg_gauss(hg_rng *r);   /* complex Gaussian, E|x|^2 = 1 */

/* A GSM C0 carrier at baseband: TS0 with the 51-multiframe of FCCH/SCH (valid extended training
 * sequence) and normal bursts (TSC 0), every coded bit random. truncate_bursts: each burst stops
 * at a random point and the carrier falls silent (a burst cut short). Writes n samples at
 * HG_GSM_RATE, amplitude amp. */
void hg_gsm_garbage(float complex *x, size_t n, float amp, int truncate_bursts, hg_rng *r);

/* An LTE FDD 6-PRB downlink at baseband: PSS and SSS of pci, every other resource element a random
 * QPSK symbol (garbage CRS, PBCH, PDCCH). Writes n samples at HG_LTE_RATE, RMS amplitude amp. */
void hg_lte_garbage(float complex *x, size_t n, float amp, int pci, hg_rng *r);

/* Write x as a SigMF recording base.sigmf-{meta,data} in cf32_le (or ci8 when ci8 != 0, clipping
 * at full scale) with one capture segment at centre_hz. Returns 0 on success. */
int hg_write_sigmf(const char *base, const float complex *x, size_t n, double rate,
                   double centre_hz, int ci8);

#endif
