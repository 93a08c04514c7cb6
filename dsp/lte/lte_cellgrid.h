/* lte_cellgrid.h: full-bandwidth subframes of a known cell at the recording's own rate (N = fs /
 * 15 kHz): OFDM demodulation + CRS channel estimation into the lte_subframe_grid hand-over struct,
 * the TS 36.214 measurements per subframe (RSRP, RSSI over the RS symbols, noise), and a PSS
 * fine-timing search at this rate to tie it to the 1.92 Msps timing. */
#ifndef CS_DSP_LTE_CELLGRID_H
#define CS_DSP_LTE_CELLGRID_H

#include <complex.h>
#include <stddef.h>

#include "lte/lte_chest.h"
#include "lte/lte_grid.h"

typedef struct lte_cellgrid_s *lte_cellgrid;

typedef struct {
  lte_chest_stats crs;  /* noise, RSRP (port 0) */
  float rssi;           /* TS 36.214 5.1.3: mean total power over 12*n_prb subcarriers in the
                           OFDM symbols carrying port-0 CRS */
} lte_cellgrid_meas;

/* nfft >= 12*n_prb + 1. NULL on bad arguments or no memory. */
lte_cellgrid lte_cellgrid_create(unsigned nfft, const lte_cell *cell);
void lte_cellgrid_destroy(lte_cellgrid q);

/* Useful-part start of the PSS nearest guess (searched over +-radius samples, fractional), with
 * frequency offset cfo (cycles/sample). *quality: correlation power over signal power (0..1). */
double lte_cellgrid_pss_refine(lte_cellgrid q, const float complex *x, size_t n, double guess,
                               double cfo, int radius, float *quality);

/* Subframe sf (frame SFN sfn) starting at fractional sample t0 of x: fills g (its arrays belong to
 * q and stay valid until the next call) and m. Returns 0 when the subframe is not all in x. */
int lte_cellgrid_subframe(lte_cellgrid q, const float complex *x, size_t n, double t0, double cfo,
                          int sf, int sfn, lte_subframe_grid *g, lte_cellgrid_meas *m);

/* The same measurements (m) alone: only the symbols that carry port-0 CRS are demodulated. Not
 * followed by lte_cellgrid_cancel. */
int lte_cellgrid_measure(lte_cellgrid q, const float complex *x, size_t n, double t0, double cfo,
                         int sf, lte_cellgrid_meas *m);

/* Subtract the cell's significant REs (|re|^2 >= min_power) of the subframe last demodulated by
 * lte_cellgrid_subframe (same t0, cfo) from x, so weaker co-channel cells underneath can be
 * decoded. */
void lte_cellgrid_cancel(lte_cellgrid q, float complex *x, size_t n, double t0, double cfo,
                         float min_power);

#endif
