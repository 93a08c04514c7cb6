/* lte_chest.h: channel estimation from the cell-specific reference signals (TS 36.211 6.10.1) for
 * 1, 2 or 4 antenna ports over one subframe grid: least squares on the CRS REs, a linear-phase
 * aware moving average in frequency, linear interpolation in frequency and time. Also gives the
 * noise (plus interference) variance per RE from the CRS residual and the TS 36.214 5.1.1 RSRP
 * (mean CRS port 0 RE power, noise removed). */
#ifndef CS_DSP_LTE_CHEST_H
#define CS_DSP_LTE_CHEST_H

#include <complex.h>

typedef struct lte_chest_s *lte_chest;

typedef struct {
  float noise_var;  /* per RE, grid scale */
  float rsrp;       /* linear, per RE (port 0), noise removed (>= 0) */
  float crs_power;  /* mean |y|^2 over port-0 CRS REs (signal + noise) */
} lte_chest_stats;

lte_chest lte_chest_create(int n_prb, int cp_extended);
void lte_chest_destroy(lte_chest q);
/* Select the cell (regenerates the CRS sequences). ports: 1, 2 or 4. */
void lte_chest_set_cell(lte_chest q, int pci, int ports);

/* Estimate h[p] ([n_symb][12*n_prb], p < ports) from the grid re of subframe sf (0..9). Each
 * port's estimate uses only its own pilots and st comes from port 0, so h[0..1] and st are the
 * same whatever the port count. */
void lte_chest_execute(lte_chest q, const float complex *re, int sf, float complex *const *h,
                       lte_chest_stats *st);

/* Only st, from the port-0 pilots, the same figures lte_chest_execute gives (no estimate). */
void lte_chest_measure(lte_chest q, const float complex *re, int sf, lte_chest_stats *st);

/* The symbols (bit l: symbol l of a subframe of n_symb) holding the CRS of ports 0..ports-1
 * (TS 36.211 6.10.1.2: l = 0 and n_sl-3 of each slot for ports 0 and 1, l = 1 for 2 and 3): the
 * rows lte_chest reads, for lte_ofdm_demod. */
static inline unsigned lte_crs_rows(int n_symb, int ports) {
  const int nsl = n_symb / 2;
  unsigned r = 1u | 1u << (nsl - 3) | 1u << nsl | 1u << (n_symb - 3);
  if (ports > 2) r |= 1u << 1 | 1u << (nsl + 1);
  return r;
}

#endif
