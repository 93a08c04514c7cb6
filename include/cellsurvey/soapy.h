/* soapy.h: live radios through SoapySDR (HackRF, LimeSDR, RTL-SDR, bladeRF, the simulated device)
 * as a cs_source, plus device enumeration for `cellsurvey devices`.
 *
 * The source is opened from SoapySDR device args ("driver=hackrf", "driver=lime,serial=...",
 * "driver=cellsurvey-sim,scene=DIR"). Every retune goes through cs_source's tune op:
 *   - the device is tuned with the model's LO offset (HackRF DC spike) and the measured
 *     oscillator error (cs_soapy_set_ppm) applied; blocks report the requested centre frequency;
 *   - gain is manual (AGC off): gain_db = NAN picks the model's per-band default from the quirk
 *     table (hw/device_quirks.c);
 *   - the antenna is chosen by frequency where the model needs it (LimeSDR LNAL/LNAW/LNAH);
 *   - the settle transient (PLL lock, filters, buffered old samples) is read and discarded;
 *   - the next block starts a new segment (cs_block_info.segment + 1).
 * Reads: an overflow (samples lost in the host or USB) is counted and the read carries on; a
 * read timeout is retried up to read_timeout_s, then fails with CS_ERR_ENV; a stream error (device
 * unplugged) fails with CS_ERR_ENV naming the device. After CS_ERR_ENV, close the source and open
 * it again (hotplug.h tells when it is back). seek is not supported (live): hold a dwell in a
 * memory source (memsource.h) to run the two-pass pipeline over it. */
#ifndef CELLSURVEY_SOAPY_H
#define CELLSURVEY_SOAPY_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/source.h"

/* What cellsurvey knows about an open device. */
typedef struct {
  char driver[64];        /* SoapySDR driver key: "hackrf", "lime", "rtlsdr", "cellsurvey-sim" */
  char hardware[64];      /* SoapySDR hardware key */
  char model[32];         /* quirk-table model name: "hackrf", "limesdr", "rtlsdr", "bladerf", "sim", "generic" */
  char serial[96];        /* device serial ("" when the driver does not report one) */
  char label[256];        /* a human name for messages */
  double min_freq_hz, max_freq_hz;
  double min_rate;        /* lowest clean sample rate of the model (0: any); lower rates are
                           * passed to the device, which may alias: planners should stay above */
  double max_rate;        /* highest sample rate cellsurvey uses on this model (quirk table) */
  double usable_bw_frac;  /* fraction of the sample rate that is clean (anti-alias, roll-off) */
  double lo_offset_hz;    /* LO offset used to keep the DC spike off the wanted band (0 = none) */
  double settle_s;        /* samples discarded after each retune, in seconds */
  int adc_bits;
  double gain_min_db, gain_max_db;
} cs_soapy_info;

/* Counters since open. */
typedef struct {
  uint64_t samples;          /* delivered to the caller */
  uint64_t discarded;        /* settle transient samples read and dropped */
  uint64_t retunes;
  uint64_t overflows;        /* SOAPY_SDR_OVERFLOW events (samples lost) */
  uint64_t timeouts;         /* SOAPY_SDR_TIMEOUT events (each retried) */
  uint64_t calibrations;     /* LimeSDR re-calibrations after large retunes */
} cs_soapy_counters;

typedef struct {
  double read_timeout_s;     /* give up a read after this long without samples; 0 = 2 s */
  double settle_s;           /* override the model's settle time; NAN = quirk table */
  double lo_offset_hz;       /* override the model's DC-spike LO offset; 0 = quirk table */
} cs_soapy_opts;

/* Open a device. opts may be NULL. On failure (no such device, driver missing) the message names
 * the args. The source is not tuned yet: call its tune op before reading. */
cs_status cs_soapy_open(const char *args, const cs_soapy_opts *opts, cs_source **src, cs_err *err);

/* 1 if src came from cs_soapy_open. The functions below take such a source. */
int cs_soapy_is(const cs_source *src);
const cs_soapy_info *cs_soapy_get_info(const cs_source *src);
void cs_soapy_get_counters(const cs_source *src, cs_soapy_counters *c);
/* Current tuning (after the last tune): requested centre, rate, bandwidth, gain actually set. */
void cs_soapy_get_tuning(const cs_source *src, double *center_hz, double *rate, double *bw_hz,
                         double *gain_db, char *antenna, size_t antenna_cap);
/* Oscillator error in ppm (positive: the device's clock runs fast). Applied from the next tune. */
void cs_soapy_set_ppm(cs_source *src, double ppm);

/* 1 if a device matching args is enumerated now (to wait for an unplugged radio to return;
 * works for USB radios and the simulated device alike). */
int cs_soapy_present(const char *args);

/* ---- enumeration (cellsurvey devices) ---- */
typedef struct {
  double min, max, step;
} cs_soapy_range;

#define CS_SOAPY_MAX_RANGES 32
#define CS_SOAPY_MAX_NAMES 16

typedef struct {
  char args[512];         /* args that open this device again ("driver=hackrf,serial=...") */
  char driver[64], label[256], serial[96], model[32];
  int opened;             /* 1: capabilities below were read from the opened device */
  char open_error[256];   /* why not, when opened == 0 */
  cs_soapy_range freq[CS_SOAPY_MAX_RANGES]; int n_freq;
  cs_soapy_range rates[CS_SOAPY_MAX_RANGES]; int n_rates;
  cs_soapy_range bandwidths[CS_SOAPY_MAX_RANGES]; int n_bandwidths;
  cs_soapy_range gain;    /* overall RX gain range (channel 0) */
  char gain_names[CS_SOAPY_MAX_NAMES][32]; int n_gain_names;
  char antennas[CS_SOAPY_MAX_NAMES][32]; int n_antennas;
  double max_rate;        /* from the quirk table */
} cs_soapy_device;

/* List devices matching filter args ("" or NULL: all). With probe, each is opened to read its
 * capabilities. *devs is malloc'd (free()); *n may be 0. */
cs_status cs_soapy_enumerate(const char *filter, int probe, cs_soapy_device **devs, size_t *n,
                             cs_err *err);

#endif
