/* lte_search.h: LTE cell search on a 1.92 Msps signal (the central 1.08 MHz holds PSS, SSS and
 * PBCH for every bandwidth).
 *
 * PSS (TS 36.211 6.11.1): FFT-domain correlation with the three Zadoff-Chu sequences over
 * frequency hypotheses spaced 7.5 kHz (at most 0.9 dB correlation loss between them) across
 * +-max_cfo (so fractional and integer subcarrier offsets are both covered), folded modulo the
 * 5 ms half-frame and averaged non-coherently over 4 half-frames (8 when no peak is clear after
 * 4); peaks are taken past the strongest one so weaker co-channel cells are kept.
 * Fine frequency from the phase between the PSS halves over every half-frame. SSS (6.11.2): tried at
 * the FDD and TDD positions for normal and extended CP, equalised with the PSS channel, coherently
 * summed over half-frames with the subframe 0/5 alternation: gives N_ID(1), CP, duplex and frame
 * timing. Candidates still need a MIB to be a cell. */
#ifndef CS_DSP_LTE_SEARCH_H
#define CS_DSP_LTE_SEARCH_H

#include <complex.h>
#include <stddef.h>

#define LTE_FS_SEARCH 1920000.0
#define LTE_HALF_FRAME 9600 /* samples at 1.92 Msps */
#define LTE_SEARCH_SPAN (8 * LTE_HALF_FRAME + 128) /* samples a search reads, at most */

typedef struct {
  int pci, nid2;
  int cp_extended, tdd;
  double pss_pos;    /* sample of a PSS useful-part start (first occurrence) */
  double frame_start;/* sample where a frame (subframe 0) starts, in [-19200, 19200) */
  double cfo_hz;
  float pss_metric;  /* folded PSS peak over the mean (peak-to-average) */
  float sss_metric;  /* SSS correlation sum over the rms of all N_ID(1), CP, duplex hypotheses */
} lte_search_cand;

typedef struct lte_search_s *lte_search;

/* max_cfo_hz: frequency search half-width (100 kHz default in callers). */
lte_search lte_search_create(float max_cfo_hz);
void lte_search_destroy(lte_search q);

/* Search x[0..n) (1.92 Msps). Writes up to max candidates, strongest first; returns how many. */
int lte_search_execute(lte_search q, const float complex *x, size_t n, lte_search_cand *out,
                       int max);

/* The same over frequency offsets f_lo..f_hi only (Hz; clipped to the create-time range). Used
 * to look for co-channel cells near the offset of the cells already found: the receiver's own
 * error dominates the offset, the cells' own clocks differ by well under a kHz. */
int lte_search_execute_range(lte_search q, const float complex *x, size_t n, double f_lo,
                             double f_hi, lte_search_cand *out, int max);

/* The time-domain PSS of root u (N_ID(2)) at 1.92 Msps, 128 samples, unit energy. */
const float complex *lte_search_pss(const lte_search q, int u);

/* Useful-part start of the PSS from the frame start (FDD: slot 0 last symbol; TDD: subframe 1
 * third symbol), and of the SSS, at 1.92 Msps. */
double lte_pss_offset(int tdd, int cp_extended);
double lte_sss_offset(int tdd, int cp_extended);

#endif
