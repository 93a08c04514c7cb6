/* raster.h: channel power on the GSM and LTE channel rasters, and the occupied-channel decision.
 *
 * Input is one segment's averaged spectrum (cs_spectrum, src/pipeline.h). Used by `spectrum`
 * (--raster), by the GSM decoder and the scan planner to pick candidate channels, and by the store
 * (spectrum rows).
 *
 * Usable band: only channels whose whole bandwidth lies inside the central CS_RASTER_USABLE
 * fraction of the sample rate are reported (the outer 5 % on each side is the receiver's
 * anti-alias roll-off, where power reads low and aliases fold in).
 *
 * Occupied (GSM): the channel's power over 200 kHz exceeds the noise power in 200 kHz by at least
 * the threshold (default CS_OCCUPIED_THRESHOLD_DB), AND the excess power is centred on the
 * channel: the central 100 kHz holds more power above noise than either outer 50 kHz slice. A
 * GMSK carrier keeps most of its power in its centre (+6 dB over an edge slice); the skirt of a
 * strong carrier 200 kHz away lands on this channel's near edge (-15 dB in the centre), so
 * adjacent-channel leakage (which can be 30 dB above the noise) is not called a carrier.
 *
 * Occupied (LTE): the PSD smoothed over 90 kHz rises above the noise floor by the threshold
 * (default CS_LTE_THRESHOLD_DB; after a few hundred Welch averages and the smoothing the noise
 * reads within ~0.1 dB, so a small margin finds carriers down to SNR -3 dB). The carrier's edges
 * are then put where the smoothed PSD crosses half of its mean excess power over the noise (the
 * true edges of a flat carrier, whatever the threshold); the width must match one of the E-UTRA
 * bandwidths (6..100 PRB of 180 kHz, plus the DC subcarrier) within 20 %, and the carrier must
 * be flat (no 90 kHz window inside it below a tenth of the mean excess: a cluster of GSM carriers
 * has gaps). Overlapping readings keep the widest. The centre is put on the 100 kHz raster and
 * given its EARFCN. A carrier wider than the capture cannot be measured: it is not reported, or
 * (when its central 1.4 MHz stands out, as with a lightly loaded cell) reported as 6 PRB. */
#ifndef CS_RASTER_H
#define CS_RASTER_H

#include "cellsurvey/bands.h"
#include "cellsurvey/record.h"
#include "pipeline.h"

#define CS_OCCUPIED_THRESHOLD_DB 6.0 /* GSM default: power above the noise in the same bandwidth;
                                        the noise in 200 kHz is known to well under 1 dB after a
                                        few hundred Welch averages, and GSM decodes from ~6 dB */
#define CS_LTE_THRESHOLD_DB 1.5       /* LTE default: smoothed PSD above the noise floor per bin */
#define CS_RASTER_USABLE 0.9          /* usable fraction of the sample rate, centred */

typedef struct {
  cs_rat rat;
  char band[16];        /* "GSM900", "DCS1800", ... or the E-UTRA band number "3" */
  cs_gsm_band gsm_band; /* GSM rows: the band (P/E/R-GSM900 distinguished); CS_GSM_NONE else */
  int channel;          /* ARFCN (GSM) or EARFCN (LTE); -1 when not on a known raster */
  double freq_hz;       /* channel centre, absolute (nominal raster frequency) */
  double offset_hz;     /* channel centre relative to the capture centre */
  double bandwidth_hz;  /* 200 kHz (GSM); the carrier's channel bandwidth (LTE) */
  int n_prb;            /* LTE: estimated downlink bandwidth in PRB; -1 for GSM */
  double power_dbfs;    /* channel power over bandwidth_hz (LTE: over the occupied PRBs) */
  double noise_dbfs;    /* noise floor integrated over the same bandwidth */
  int occupied;         /* 1 when the channel carries a signal (see above) */
} cs_channel;

/* One row per GSM channel of `band` (CS_GSM_NONE: inferred from the capture's centre frequency)
 * whose 200 kHz lies inside the usable band, in ARFCN frequency order. Writes at most max rows;
 * returns the number of rows the spectrum has (may exceed max), or -1 when no GSM band covers the
 * capture. threshold_db <= 0 means the default. */
int cs_raster_gsm(const cs_spectrum *s, cs_gsm_band band, double threshold_db, cs_channel *rows,
                  int max);

/* The occupied LTE carriers in the usable band (band <= 0: inferred from the frequency), strongest
 * first. Returns the number found (may exceed max). scratch: s->nfft + 1 doubles of working space
 * (a scan passes its own so that a dwell allocates nothing), or NULL to allocate one here. */
int cs_raster_lte(const cs_spectrum *s, int band, double threshold_db, cs_channel *rows, int max,
                  double *scratch);

/* Drop the GSM rows whose 200 kHz overlaps one of the LTE carriers (cs_raster_lte output): under
 * an OFDM carrier every GSM channel looks occupied. Keeps the order; returns the new count. */
int cs_raster_gsm_outside_lte(cs_channel *gsm, int n, const cs_channel *lte, int n_lte);

/* The GSM band a centre frequency falls in (the first of R-GSM900, DCS1800, GSM850, PCS1900,
 * GSM450, GSM480 that has a downlink channel within the span), CS_GSM_NONE if none. */
cs_gsm_band cs_raster_gsm_band_for(double center_hz, double span_hz);

#endif
