/* soapy_enum.c: list attached SoapySDR devices and their capabilities (cellsurvey devices). */
#include <SoapySDR/Device.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/soapy.h"
#include "device_quirks.h"
#include "soapy_log.h"

static void copy_str(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

static int copy_ranges(cs_soapy_range *dst, SoapySDRRange *r, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n && k < CS_SOAPY_MAX_RANGES; i++, k++) {
    dst[k].min = r[i].minimum;
    dst[k].max = r[i].maximum;
    dst[k].step = r[i].step;
  }
  SoapySDR_free(r);
  return k;
}

static int copy_names(char (*dst)[32], char **names, size_t n) {
  int k = 0;
  for (size_t i = 0; i < n && k < CS_SOAPY_MAX_NAMES; i++, k++) copy_str(dst[k], 32, names[i]);
  SoapySDRStrings_clear(&names, n);
  return k;
}

static void probe(cs_soapy_device *d) {
  SoapySDRDevice *dev = SoapySDRDevice_makeStrArgs(d->args);
  if (!dev) {
    copy_str(d->open_error, sizeof d->open_error, SoapySDRDevice_lastError());
    return;
  }
  d->opened = 1;
  size_t n = 0;
  SoapySDRRange *r = SoapySDRDevice_getFrequencyRange(dev, SOAPY_SDR_RX, 0, &n);
  d->n_freq = copy_ranges(d->freq, r, n);
  r = SoapySDRDevice_getSampleRateRange(dev, SOAPY_SDR_RX, 0, &n);
  d->n_rates = copy_ranges(d->rates, r, n);
  r = SoapySDRDevice_getBandwidthRange(dev, SOAPY_SDR_RX, 0, &n);
  d->n_bandwidths = copy_ranges(d->bandwidths, r, n);
  SoapySDRRange g = SoapySDRDevice_getGainRange(dev, SOAPY_SDR_RX, 0);
  d->gain.min = g.minimum;
  d->gain.max = g.maximum;
  d->gain.step = g.step;
  char **names = SoapySDRDevice_listGains(dev, SOAPY_SDR_RX, 0, &n);
  d->n_gain_names = copy_names(d->gain_names, names, n);
  names = SoapySDRDevice_listAntennas(dev, SOAPY_SDR_RX, 0, &n);
  d->n_antennas = copy_names(d->antennas, names, n);
  double dev_max = 0;
  for (int i = 0; i < d->n_rates; i++) dev_max = fmax(dev_max, d->rates[i].max);
  if (dev_max > 0 && dev_max < d->max_rate) d->max_rate = dev_max;
  SoapySDRDevice_unmake(dev);
}

cs_status cs_soapy_enumerate(const char *filter, int do_probe, cs_soapy_device **devs, size_t *n,
                             cs_err *err) {
  *devs = NULL;
  *n = 0;
  cs_soapy_log_init();
  size_t len = 0;
  SoapySDRKwargs *list = SoapySDRDevice_enumerateStrArgs(filter ? filter : "", &len);
  if (len == 0) {
    SoapySDRKwargsList_clear(list, len);
    return CS_OK;
  }
  cs_soapy_device *d = calloc(len, sizeof *d);
  if (!d) {
    SoapySDRKwargsList_clear(list, len);
    return cs_fail(err, CS_ERR_ENV, "out of memory listing %zu devices", len);
  }
  for (size_t i = 0; i < len; i++) {
    SoapySDRKwargs *k = &list[i];
    /* args to open it again: every key but the human label, no spaces */
    size_t used = 0;
    for (size_t j = 0; j < k->size && used < sizeof d[i].args; j++) {
      if (!strcmp(k->keys[j], "label")) continue;
      int w = snprintf(d[i].args + used, sizeof d[i].args - used, "%s%s=%s", used ? "," : "",
                       k->keys[j], k->vals[j]);
      if (w > 0) used += (size_t)w;
    }
    copy_str(d[i].driver, sizeof d[i].driver, SoapySDRKwargs_get(k, "driver"));
    copy_str(d[i].label, sizeof d[i].label, SoapySDRKwargs_get(k, "label"));
    copy_str(d[i].serial, sizeof d[i].serial, SoapySDRKwargs_get(k, "serial"));
    const cs_quirks *q = cs_quirks_find(d[i].driver);
    copy_str(d[i].model, sizeof d[i].model, q->model);
    d[i].max_rate = q->max_rate;
    if (do_probe) probe(&d[i]);
  }
  SoapySDRKwargsList_clear(list, len);
  *devs = d;
  *n = len;
  return CS_OK;
}

int cs_soapy_present(const char *args) {
  cs_soapy_log_init();
  size_t n = 0;
  SoapySDRKwargs *l = SoapySDRDevice_enumerateStrArgs(args ? args : "", &n);
  SoapySDRKwargsList_clear(l, n);
  return n > 0;
}
