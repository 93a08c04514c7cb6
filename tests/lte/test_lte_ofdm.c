/* test_lte_ofdm.c: OFDM demodulation and regeneration (dsp/lte/lte_ofdm.c, TS 36.211 6.12) at a
 * fractional subframe start and a frequency offset: a grid regenerated and demodulated again comes
 * back; demodulating some rows gives exactly those rows of the whole demodulation; a subframe not
 * all in the signal is refused whatever rows are asked for; regeneration leaves symbols without
 * REs untouched. And the measurement-only paths (lte_chest_measure, lte_cellgrid_measure, which
 * demodulate only the CRS symbols) give exactly the figures of the full ones. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lte/lte_cellgrid.h"
#include "lte/lte_chest.h"
#include "lte/lte_ofdm.h"

#define NFFT 384 /* 5.76 Msps */
#define NPRB 25
#define K (12 * NPRB)
#define NS 14
#define LEN (3 * 5760)

static float frand(unsigned *s) {
  *s = *s * 1103515245u + 12345u;
  return (float)((*s >> 8) & 0xffff) / 65536.0f - 0.5f;
}

int main(void) {
  unsigned seed = 7;
  static float complex tx[NS * K], rx[NS * K], part[NS * K], x[LEN], y[LEN];
  for (int i = 0; i < NS * K; i++)
    tx[i] = (frand(&seed) > 0 ? 1.0f : -1.0f) + I * (frand(&seed) > 0 ? 1.0f : -1.0f);
  lte_ofdm q = lte_ofdm_create(NFFT, NPRB, 0);
  CHECK(q != NULL, "lte_ofdm_create");
  CHECK_INT(lte_ofdm_n_symb(q), NS);
  const double t0 = 1234.37, cfo = 700.0 / 5.76e6; /* fractional start, 700 Hz off */

  /* x = -(the subframe of grid tx), demodulated: -tx */
  memset(x, 0, sizeof x);
  lte_ofdm_subtract(q, x, LEN, t0, cfo, tx, 0.0f);
  CHECK(lte_ofdm_demod(q, x, LEN, t0, cfo, LTE_OFDM_ALL_ROWS, rx), "whole subframe demodulated");
  double err = 0;
  for (int i = 0; i < NS * K; i++) err = fmax(err, cabs(rx[i] + tx[i]));
  CHECK_NEAR(err, 0.0, 1e-3);

  /* some rows: exactly those rows of the whole demodulation, the others not written */
  const unsigned rows = lte_crs_rows(NS, 4) | 0xfu << 7;
  for (int i = 0; i < NS * K; i++) part[i] = 99.0f;
  CHECK(lte_ofdm_demod(q, x, LEN, t0, cfo, rows, part), "rows demodulated");
  int same = 1, untouched = 1;
  for (int l = 0; l < NS; l++)
    for (int k = 0; k < K; k++) {
      if (rows >> l & 1) same &= memcmp(&part[l * K + k], &rx[l * K + k], sizeof(float complex)) == 0;
      else untouched &= part[l * K + k] == 99.0f;
    }
  CHECK(same, "rows asked for equal the whole demodulation's, bit for bit");
  CHECK(untouched, "rows not asked for are not written");
  CHECK_INT(lte_crs_rows(14, 1), 1 | 1 << 4 | 1 << 7 | 1 << 11);
  CHECK_INT(lte_crs_rows(12, 4), 1 | 1 << 1 | 1 << 3 | 1 << 6 | 1 << 7 | 1 << 9);

  /* a subframe running past the end is refused even when only its first symbol is wanted */
  CHECK_INT(lte_ofdm_demod(q, x, LEN, LEN - 5000.0, cfo, 1u, part), 0);
  CHECK_INT(lte_ofdm_demod(q, x, LEN, -30.0, cfo, 1u << 13, part), 0); /* window starts before x */

  /* regeneration: a grid with REs in symbol 3 only changes nothing outside symbol 3's span */
  static float complex g3[NS * K];
  memset(g3, 0, sizeof g3);
  for (int k = 0; k < K; k++) g3[3 * K + k] = tx[3 * K + k];
  memcpy(y, x, sizeof x);
  lte_ofdm_subtract(q, y, LEN, t0, cfo, g3, 1e-30f);
  /* symbol 3 (TS 36.211 Table 6.12-1 at N = 384: CP 30 then 27 samples): CP and useful part */
  const double cp = 144 * NFFT / 2048.0, u3 = t0 + 160 * NFFT / 2048.0 + 3 * (NFFT + cp);
  long changed_lo = -1, changed_hi = -1;
  for (long i = 0; i < LEN; i++)
    if (memcmp(&x[i], &y[i], sizeof *x)) { if (changed_lo < 0) changed_lo = i; changed_hi = i; }
  CHECK_INT(changed_lo, (long)ceil(u3 - cp));
  CHECK_INT(changed_hi, (long)ceil(u3 + NFFT) - 1);

  /* measurements: the CRS-only paths equal the full ones bit for bit (a cell with noise) */
  lte_cell cell = {.pci = 101, .n_prb = NPRB, .ports = 2};
  for (int i = 0; i < LEN; i++) x[i] += 0.05f * (frand(&seed) + I * frand(&seed));
  lte_chest ch = lte_chest_create(NPRB, 0);
  lte_chest_set_cell(ch, cell.pci, 2);
  static float complex h0[NS * K], h1[NS * K];
  float complex *h[2] = {h0, h1};
  lte_chest_stats full, meas;
  lte_ofdm_demod(q, x, LEN, t0, cfo, LTE_OFDM_ALL_ROWS, rx);
  for (int sf = 0; sf < 10; sf += 3) {
    lte_chest_execute(ch, rx, sf, h, &full);
    lte_chest_measure(ch, rx, sf, &meas);
    CHECK(memcmp(&full, &meas, sizeof full) == 0, "subframe %d: chest stats %g/%g vs %g/%g", sf,
          full.rsrp, full.noise_var, meas.rsrp, meas.noise_var);
  }
  lte_chest_destroy(ch);
  lte_cellgrid g = lte_cellgrid_create(NFFT, &cell);
  lte_subframe_grid grid;
  lte_cellgrid_meas m1, m2;
  CHECK(lte_cellgrid_subframe(g, x, LEN, t0, cfo, 5, 2, &grid, &m1), "cellgrid subframe");
  CHECK(lte_cellgrid_measure(g, x, LEN, t0, cfo, 5, &m2), "cellgrid measure");
  CHECK(memcmp(&m1, &m2, sizeof m1) == 0, "cellgrid measurements: rssi %g vs %g", m1.rssi, m2.rssi);
  CHECK(m1.rssi > 0 && m1.crs.noise_var > 0, "measured something");
  CHECK_INT(lte_cellgrid_measure(g, x, LEN, LEN - 100.0, cfo, 5, &m2), 0);
  lte_cellgrid_destroy(g);
  lte_ofdm_destroy(q);
  return check_done();
}
