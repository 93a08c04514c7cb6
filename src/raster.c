/* raster.c: channel power on the GSM and LTE rasters and the occupied decision (see raster.h). */
#include "raster.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GSM_CHANNEL_HZ 200e3
#define LTE_SMOOTH_HZ 90e3 /* half a PRB: smooths the per-bin PSD before edge finding */
#define PRB_HZ 180e3

static double db(double p) { return 10.0 * log10(p > 1e-30 ? p : 1e-30); }

static double usable_half(const cs_spectrum *s) { return CS_RASTER_USABLE * s->sample_rate / 2; }

/* Channels of a band in frequency order: E/R-GSM900's 955..1023 lie below ARFCN 0. */
static int band_ranges(cs_gsm_band band, int r[4]) {
  int a, b, c, d;
  cs_gsm_band_arfcns(band, &a, &b, &c, &d);
  if (a < 0) return 0;
  if (c < 0) { r[0] = a; r[1] = b; return 1; }
  r[0] = c; r[1] = d; r[2] = a; r[3] = b;
  return 2;
}

static int channels_in_span(cs_gsm_band band, double center_hz, double half) {
  int r[4], n = band_ranges(band, r), count = 0;
  for (int k = 0; k < n; k++)
    for (int a = r[2 * k]; a <= r[2 * k + 1]; a++)
      count += fabs(cs_gsm_arfcn_to_dl_hz(band, a) - center_hz) + GSM_CHANNEL_HZ / 2 <= half;
  return count;
}

cs_gsm_band cs_raster_gsm_band_for(double center_hz, double span_hz) {
  static const cs_gsm_band order[] = {CS_RGSM900, CS_DCS1800, CS_GSM850, CS_PCS1900, CS_GSM450, CS_GSM480};
  cs_gsm_band best = CS_GSM_NONE;
  int best_n = 0;
  for (unsigned i = 0; i < sizeof order / sizeof *order; i++) {
    int n = channels_in_span(order[i], center_hz, span_hz / 2);
    if (n > best_n) { best_n = n; best = order[i]; }
  }
  return best;
}

/* Is the power above noise in a GSM channel centred on it? The centre 100 kHz must hold more
 * excess power (power minus noise) than either outer 50 kHz slice: a GMSK carrier holds about 4x
 * (+6 dB) more in its centre than in one edge slice, flat noise 2x, while the skirt of a carrier
 * 200 kHz away fills the near edge slice and barely reaches the centre (-15 dB). */
static int centred(const cs_spectrum *s, double off) {
  double centre = cs_spectrum_band_power(s, off - 50e3, off + 50e3) - cs_spectrum_noise_power(s, 100e3);
  double lo = cs_spectrum_band_power(s, off - 100e3, off - 50e3), hi = cs_spectrum_band_power(s, off + 50e3, off + 100e3);
  double edge = (lo > hi ? lo : hi) - cs_spectrum_noise_power(s, 50e3);
  return centre > 0 && centre >= edge;
}

int cs_raster_gsm(const cs_spectrum *s, cs_gsm_band band, double threshold_db, cs_channel *rows, int max) {
  double half = usable_half(s);
  if (band == CS_GSM_NONE) band = cs_raster_gsm_band_for(s->center_hz, 2 * half);
  if (band == CS_GSM_NONE) return -1;
  if (threshold_db <= 0) threshold_db = CS_OCCUPIED_THRESHOLD_DB;
  double noise = cs_spectrum_noise_power(s, GSM_CHANNEL_HZ);
  int r[4], nr = band_ranges(band, r), count = 0;
  for (int k = 0; k < nr; k++) {
    for (int a = r[2 * k]; a <= r[2 * k + 1]; a++) {
      double f = cs_gsm_arfcn_to_dl_hz(band, a), off = f - s->center_hz;
      if (fabs(off) + GSM_CHANNEL_HZ / 2 > half) continue;
      if (count < max) {
        cs_channel *c = &rows[count];
        memset(c, 0, sizeof *c);
        double p = cs_spectrum_band_power(s, off - GSM_CHANNEL_HZ / 2, off + GSM_CHANNEL_HZ / 2);
        c->rat = CS_RAT_GSM;
        snprintf(c->band, sizeof c->band, "%s", cs_gsm_band_name(band));
        c->gsm_band = band;
        c->channel = a;
        c->freq_hz = f;
        c->offset_hz = off;
        c->bandwidth_hz = GSM_CHANNEL_HZ;
        c->n_prb = -1;
        c->power_dbfs = db(p);
        c->noise_dbfs = db(noise);
        c->occupied = db(p) - db(noise) >= threshold_db && centred(s, off);
      }
      count++;
    }
  }
  return count;
}

/* ---- LTE ---- */

static const int lte_prbs[] = {6, 15, 25, 50, 75, 100};

/* PRB count whose occupied width (N * 180 kHz + one DC subcarrier) is nearest to width_hz, within
 * 20 %; -1 if none is. */
static int prb_for_width(double width_hz) {
  int best = -1;
  double best_err = 0.2;
  for (unsigned i = 0; i < sizeof lte_prbs / sizeof *lte_prbs; i++) {
    double w = lte_prbs[i] * PRB_HZ + 15e3;
    double e = fabs(width_hz - w) / w;
    if (e < best_err) { best_err = e; best = lte_prbs[i]; }
  }
  return best;
}

static int by_power_desc(const void *a, const void *b) {
  double x = ((const cs_channel *)a)->power_dbfs, y = ((const cs_channel *)b)->power_dbfs;
  return (x < y) - (x > y);
}

int cs_raster_lte(const cs_spectrum *s, int band, double threshold_db, cs_channel *rows, int max,
                  double *scratch) {
  if (threshold_db <= 0) threshold_db = CS_LTE_THRESHOLD_DB;
  unsigned n = s->nfft;
  double df = s->sample_rate / n, half = usable_half(s);
  int w = (int)lround(LTE_SMOOTH_HZ / df);
  if (w < 1) w = 1;
  /* moving average of w bins (prefix sums), compared with the noise per bin */
  double *pre = scratch ? scratch : malloc(sizeof(double) * (n + 1));
  if (!pre) return 0;
  pre[0] = 0;
  for (unsigned i = 0; i < n; i++) pre[i + 1] = pre[i] + s->bins[i];
  double level = s->noise_per_bin * pow(10.0, threshold_db / 10.0);
  int found = 0, stored = 0;
  unsigned lo_bin = (unsigned)ceil(n / 2.0 - half / df), hi_bin = (unsigned)floor(n / 2.0 + half / df);
  if (hi_bin > n - (unsigned)w) hi_bin = n - (unsigned)w;
  unsigned i = lo_bin;
  while (i < hi_bin) {
    if ((pre[i + w] - pre[i]) / w < level) { i++; continue; }
    unsigned j = i;
    while (j < hi_bin && (pre[j + w] - pre[j]) / w >= level) j++;
    unsigned next = j;
    /* A run of windows [i, j) above the level. Its edges move with the level, so put them where
     * the smoothed PSD crosses half the carrier's excess power over the noise: a flat carrier
     * smoothed by a w-bin box is a trapezoid whose half-height points are its true edges. */
#define SMOOTH(k) ((pre[(k) + w] - pre[k]) / w)
    for (int iter = 0; iter < 4; iter++) { /* a first run may be a ripple on the carrier's skirt */
      double plateau = (pre[j + w / 2] - pre[i + w / 2]) / (j > i ? j - i : 1);
      double half_level = s->noise_per_bin + (plateau - s->noise_per_bin) / 2;
      unsigned i0 = i, j0 = j;
      if (SMOOTH(i) >= half_level) while (i > lo_bin && SMOOTH(i - 1) >= half_level) i--;
      else while (i < j && SMOOTH(i) < half_level) i++;
      if (SMOOTH(j - 1) >= half_level) while (j < hi_bin && SMOOTH(j) >= half_level) j++;
      else while (j > i && SMOOTH(j - 1) < half_level) j--;
      if (i == i0 && j == j0) break;
    }
    /* OFDM is flat across the carrier: no smoothed window inside it falls below a tenth of the
     * mean excess power. A cluster of GSM carriers, with gaps between them, is not. */
    double mean_excess = (pre[j + w / 2] - pre[i + w / 2]) / (j > i ? j - i : 1) - s->noise_per_bin;
    int flat = j > i + (unsigned)w;
    for (unsigned k = i + (unsigned)w / 2; flat && k + (unsigned)w / 2 < j; k++)
      flat = SMOOTH(k) - s->noise_per_bin >= mean_excess / 10;
#undef SMOOTH
    /* windows [i, j) at or above half level: the signal spans bins i+w/2 .. j+w/2 */
    double f_lo = ((double)i + w / 2.0 - n / 2.0 - 0.5) * df, f_hi = ((double)j + w / 2.0 - n / 2.0 - 0.5) * df;
    int prb = prb_for_width(f_hi - f_lo);
    int touches_edge = i <= lo_bin || j >= hi_bin;
    if (prb > 0 && flat && !touches_edge) {
      double centre = s->center_hz + (f_lo + f_hi) / 2;
      double raster = round(centre / 100e3) * 100e3;
      int b_out = -1;
      int earfcn = cs_lte_dl_hz_to_earfcn(raster, band, &b_out);
      /* Carriers do not overlap: a ripple on a skirt refines to a part of a carrier found
       * before or after it; the widest reading wins. */
      int slot = found < max ? stored : -1, dup = 0;
      for (int k = 0; k < stored && !dup; k++) {
        if (fabs(rows[k].freq_hz - raster) >= (rows[k].n_prb + prb) * PRB_HZ / 2) continue;
        dup = 1;
        slot = prb > rows[k].n_prb ? k : -1;
      }
      if (slot >= 0) {
        cs_channel *c = &rows[slot];
        memset(c, 0, sizeof *c);
        double off = raster - s->center_hz, bw = prb * PRB_HZ + 15e3;
        double p = cs_spectrum_band_power(s, off - bw / 2, off + bw / 2);
        c->rat = CS_RAT_LTE;
        if (b_out > 0) snprintf(c->band, sizeof c->band, "%d", b_out);
        c->gsm_band = CS_GSM_NONE;
        c->channel = earfcn;
        c->freq_hz = raster;
        c->offset_hz = off;
        c->bandwidth_hz = prb == 6 ? 1.4e6 : prb * 0.2e6;
        c->n_prb = prb;
        c->power_dbfs = db(p);
        c->noise_dbfs = db(cs_spectrum_noise_power(s, bw));
        c->occupied = 1;
        if (slot == stored) stored++;
      }
      if (!dup) found++;
    }
    i = next > j ? next : j;
  }
  if (pre != scratch) free(pre);
  qsort(rows, (size_t)stored, sizeof *rows, by_power_desc);
  return found;
}

int cs_raster_gsm_outside_lte(cs_channel *gsm, int n, const cs_channel *lte, int n_lte) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    int under = 0;
    for (int j = 0; j < n_lte && !under; j++) {
      double half = (lte[j].n_prb * PRB_HZ + 15e3) / 2;
      under = fabs(gsm[i].freq_hz - lte[j].freq_hz) < half + GSM_CHANNEL_HZ / 2;
    }
    if (!under) gsm[k++] = gsm[i];
  }
  return k;
}
