/* test_quirks.c: the device quirk table: models by SoapySDR driver key, rates, ADC widths, the
 * HackRF DC-spike offset, LimeSDR antenna ports and re-calibration step by band, the generic
 * fallback. */
#include "check.h"
#include "device_quirks.h"

int main(void) {
  const cs_quirks *h = cs_quirks_find("hackrf"), *l = cs_quirks_find("lime"), *r = cs_quirks_find("rtlsdr");
  CHECK_STR(h->model, "hackrf");
  CHECK_NEAR(h->max_rate, 20e6, 0);
  CHECK_NEAR(h->min_rate, 2e6, 0);
  CHECK_INT(h->adc_bits, 8);
  CHECK(h->dc_offset_hz > 0, "HackRF tunes with an LO offset");
  CHECK_STR(l->model, "limesdr");
  CHECK_STR(cs_quirks_find("lms7")->model, "limesdr");
  CHECK_NEAR(l->max_rate, 61.44e6, 0);
  CHECK(l->recal_step_hz > 0, "LimeSDR re-calibrates after large retunes");
  CHECK_STR(cs_quirks_band(l, 947e6)->antennas[0], "LNAL");
  CHECK_STR(cs_quirks_band(l, 1842.5e6)->antennas[0], "LNAH");
  CHECK_STR(cs_quirks_band(l, 2680e6)->antennas[1], "LNAW");
  CHECK_STR(r->model, "rtlsdr");
  CHECK_NEAR(r->max_rate, 2.4e6, 0);
  CHECK_STR(cs_quirks_find("cellsurvey-sim")->model, "sim");
  CHECK_STR(cs_quirks_find("airspy")->model, "generic");
  CHECK_STR(cs_quirks_find("")->model, "generic");
  CHECK_STR(cs_quirks_find(NULL)->model, "generic");
  CHECK(cs_quirks_band(h, 900e6)->gain_db > 0, "a default gain per band");
  CHECK(cs_quirks_band(r, 2.5e9) == NULL, "RTL-SDR has no band above 1.8 GHz");
  return check_done();
}
