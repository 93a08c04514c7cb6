/* device_quirks.c: the per-model quirk table (see device_quirks.h).
 *
 * Sources: HackRF One documentation (8-bit ADC, 2-20 Msps, DC spike at the LO, settle of the
 * MAX2837/RFFC5072 PLLs plus USB buffers); LimeSDR (LMS7002M, 12-bit, up to 61.44 Msps, LNAL for
 * low bands, LNAH for high bands, LNAW wideband; RX DC/IQ calibration after large retunes);
 * (HackRF: below 2 Msps its narrowest baseband filter, 1.75 MHz, no longer protects against
 * aliasing); RTL-SDR (R820T, 8-bit, 2.4 Msps is the highest rate without dropped samples); bladeRF
 * (12-bit, 61.44 Msps on 2.0 micro). Default gains leave headroom for strong nearby cells; a scan
 * can always pass its own. */
#include "device_quirks.h"

#include <string.h>

#define MHZ 1e6
#define GHZ 1e9

static const cs_quirks table[] = {
    {.model = "hackrf", .drivers = "hackrf", .min_rate = 2e6, .max_rate = 20e6, .usable_bw_frac = 0.75,
     .dc_offset_hz = 100e3, /* half a GSM channel: DC between two 200 kHz channels */
     .settle_s = 0.010, .adc_bits = 8, .recal_step_hz = 0,
     .bands = {{0, 1 * GHZ, 40, {NULL}}, {1 * GHZ, 7.25 * GHZ, 46, {NULL}}}, .n_bands = 2},
    {.model = "limesdr", .drivers = "lime,lms7", .max_rate = 61.44e6, .usable_bw_frac = 0.80,
     .dc_offset_hz = 0, /* calibrated DC correction */
     .settle_s = 0.005, .adc_bits = 12, .recal_step_hz = 100 * MHZ,
     .bands = {{0, 1.5 * GHZ, 40, {"LNAL", "LNAW", NULL}},
               {1.5 * GHZ, 3.8 * GHZ, 40, {"LNAH", "LNAW", NULL}}},
     .n_bands = 2},
    {.model = "rtlsdr", .drivers = "rtlsdr", .max_rate = 2.4e6, .usable_bw_frac = 0.80,
     .dc_offset_hz = 0, .settle_s = 0.030, .adc_bits = 8, .recal_step_hz = 0,
     .bands = {{0, 1.8 * GHZ, 30, {NULL}}}, .n_bands = 1},
    {.model = "bladerf", .drivers = "bladerf", .max_rate = 61.44e6, .usable_bw_frac = 0.80,
     .dc_offset_hz = 0, .settle_s = 0.005, .adc_bits = 12, .recal_step_hz = 0,
     .bands = {{0, 6 * GHZ, 40, {NULL}}}, .n_bands = 1},
    {.model = "sim", .drivers = "cellsurvey-sim", .max_rate = 61.44e6, .usable_bw_frac = 0.80,
     .dc_offset_hz = 0, .settle_s = 0.005, .adc_bits = 16, .recal_step_hz = 0,
     .bands = {{0, 6 * GHZ, 30, {NULL}}}, .n_bands = 1},
    {.model = "generic", .drivers = "", .max_rate = 10e6, .usable_bw_frac = 0.75,
     .dc_offset_hz = 0, .settle_s = 0.020, .adc_bits = 12, .recal_step_hz = 0,
     .bands = {{0, 10 * GHZ, 30, {NULL}}}, .n_bands = 1},
};

static int has_key(const char *list, const char *key) {
  size_t k = strlen(key);
  for (const char *p = list; *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == k && !strncmp(p, key, k)) return 1;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

const cs_quirks *cs_quirks_find(const char *driver) {
  size_t n = sizeof table / sizeof *table;
  for (size_t i = 0; i + 1 < n; i++)
    if (driver && *driver && has_key(table[i].drivers, driver)) return &table[i];
  return &table[n - 1];
}

const cs_quirk_band *cs_quirks_band(const cs_quirks *q, double freq_hz) {
  for (int i = 0; i < q->n_bands; i++)
    if (freq_hz >= q->bands[i].f_lo && freq_hz < q->bands[i].f_hi) return &q->bands[i];
  return NULL;
}
