/* device_quirks.h: what cellsurvey knows about each SDR model beyond what SoapySDR reports.
 *
 * One table (hw/device_quirks.c) holds per model: the highest sample rate worth using, the clean
 * fraction of the band, the DC-spike LO offset, the settle time after a retune, the ADC width, when
 * to re-run the RF calibration, default manual gains per frequency range and the antenna port per
 * frequency range. hw/soapy.c applies them; scan logic only sees the resulting cs_soapy_info. */
#ifndef CS_DEVICE_QUIRKS_H
#define CS_DEVICE_QUIRKS_H

#include <stddef.h>

#define CS_QUIRK_MAX_BANDS 4

typedef struct {
  double f_lo, f_hi;           /* Hz, [f_lo, f_hi) */
  double gain_db;              /* default overall RX gain (AGC off) */
  const char *antennas[3];     /* preferred ports, first one the device has wins; NULL ends */
} cs_quirk_band;

typedef struct {
  const char *model;           /* "hackrf", "limesdr", "rtlsdr", "bladerf", "sim", "generic" */
  const char *drivers;         /* SoapySDR driver keys, comma separated */
  double min_rate, max_rate;   /* samples/s cellsurvey uses (min 0: whatever the device takes) */
  double usable_bw_frac;       /* clean fraction of the sample rate */
  double dc_offset_hz;         /* LO offset that moves the DC spike off the centre (0: no spike) */
  double settle_s;             /* discard this long after every retune */
  int adc_bits;
  double recal_step_hz;        /* re-run RF calibration after retunes larger than this (0: never) */
  cs_quirk_band bands[CS_QUIRK_MAX_BANDS];
  int n_bands;
} cs_quirks;

/* The entry for a SoapySDR driver key (falls back to the "generic" entry, never NULL). */
const cs_quirks *cs_quirks_find(const char *driver);
/* The band entry covering freq_hz, or NULL. */
const cs_quirk_band *cs_quirks_band(const cs_quirks *q, double freq_hz);

#endif
