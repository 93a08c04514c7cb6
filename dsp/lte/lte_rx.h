/* lte_rx.h: find the LTE cells in a 1.92 Msps recording and decode their MIBs.
 *
 * search (lte_search) -> per candidate: PSS tracking over the whole recording (timing and sample
 * rate offset by a weighted line fit, residual frequency from the PSS phase) -> subframe 0 of every
 * frame demodulated at 6 PRB (lte_ofdm) -> CRS channel estimate for 1, 2 and 4 ports (lte_chest)
 * -> PBCH soft bits per frame -> every 40 ms TTI decoded with its frames combined, for each SFN
 * alignment and port count (lte_pbch). A candidate is a cell only when a MIB passes its CRC, the
 * other frames' PBCH soft bits agree with that MIB re-encoded for their SFN, and the CRS of that
 * PCI are really there, so noise, chance CRC passes and wrong N_ID(1) guesses never become cells.
 * Each cell found is cancelled (PSS/SSS, CRS, re-encoded PBCH) from a working copy of the first
 * 270 ms before the search runs again, for weaker co-channel cells. */
#ifndef CS_DSP_LTE_RX_H
#define CS_DSP_LTE_RX_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "lte/lte_grid.h"

#define LTE_RX_MAX_CELLS 16
#define LTE_RX_SPAN (27 * 19200) /* samples (1.92 Msps) decoded: 270 ms, 6 TTIs in any alignment */

typedef struct {
  lte_cell cell;        /* pci, n_prb, ports, cp, tdd, phich; sfn = SFN of frame 0 below */
  double frame0;        /* 1.92 Msps sample where frame index 0 (SFN cell.sfn) starts */
  double frame_len;     /* samples per frame at 1.92 Msps (19200 * (1 + sro)) */
  int n_frames;         /* frames whose subframe 0 lies in the recording */
  double cfo_hz;        /* carrier offset */
  double sro_ppm;       /* sample clock offset */
  int mib_count;        /* TTIs whose MIB passed the CRC */
  uint8_t mib[24];      /* the MIB bits (of the first decoded TTI) */
  int mib_frame;        /* frame index whose TTI gave mib */
  float rsrp, noise_var;/* central 6 PRB CRS measurements, linear per RE (grid scale) */
  float rssi;           /* total power over the central 72 subcarriers in the RS symbols */
} lte_rx_cell;

typedef struct lte_rx_s *lte_rx;

lte_rx lte_rx_create(float max_cfo_hz);
void lte_rx_destroy(lte_rx q);

/* Cells in x[0..n) (1.92 Msps); returns how many were written to cells (at most max). */
int lte_rx_execute(lte_rx q, const float complex *x, size_t n, lte_rx_cell *cells, int max);

/* Start (1.92 Msps sample) of subframe sf of frame index j of a found cell. */
static inline double lte_rx_subframe_start(const lte_rx_cell *c, int j, int sf) {
  return c->frame0 + c->frame_len * (j + sf / 10.0);
}

#endif
