/* scan.h: the band-scan planner shared by `cellsurvey scan` and the daemon.
 *
 * For every band asked for, the planner sweeps the downlink in steps of the device's usable
 * bandwidth, in two passes. Detection: at each step a short dwell whose spectrum gives the ADC
 * level, clipping, noise floor, the occupied GSM channels and the LTE carriers (src/raster.h).
 * Decoding: each step with an occupied GSM channel that is not part of an LTE carrier and not
 * decoded yet gets a GSM dwell, and the pipeline decodes all its carriers at once; each LTE
 * carrier gets its own dwell centred on it at the rate of its bandwidth. A carrier seen from two
 * bands (DCS1800 and LTE band 3 share 1805-1880 MHz) is decoded once, from the first band that
 * finds it. Dwells are held in a memory source so the two-pass pipeline can read them twice.
 *
 * Dwell times (docs/daemon.md "Dwell times"): GSM 1.2 s, because SI3 is broadcast in BCCH blocks
 * TC = 2 and 6 of the 8-multiframe cycle (TS 45.002 6.3.1.3: every 4 x 51 frames = 0.94 s) and SI4
 * in TC = 3 and 7, so any 0.94 s window plus one block (4 frames) and FCCH/SCH sync (11 frames)
 * holds a complete SI3 and SI4. LTE 0.2 s: SIB1 is sent in subframe 5 of every even radio frame
 * and repeats its content for 80 ms (TS 36.331 5.2.1.2), so 0.2 s gives two full SIB1 periods (10
 * transmissions) and 20 MIBs (TS 36.211 6.6: every 10 ms, new content every 40 ms).
 *
 * Faults: a read that fails with CS_ERR_ENV (device unplugged, read timeouts past the limit)
 * pauses the scan, closes the device, reopens it when it is back and repeats the step that was
 * cut; the gap is reported. A USB SDR (HackRF, LimeSDR, RTL-SDR, bladeRF: by the args' driver or
 * the opened model) is also watched through libusb hotplug (cellsurvey/hotplug.h) where libusb
 * has native hotplug: its departure pauses the scan before the next step's read fails, and an
 * arrival of the same kind (VID:PID; the serial is checked by reopening with the device args)
 * reopens it at once, polling only every CS_SCAN_HOTPLUG_POLL_S as a safety net. Without native
 * hotplug, and for devices that are not USB (the simulated one), the device is polled. A dwell that saw an
 * overflow is taken again (3 tries in all). Records already delivered are never taken back.
 *
 * Calibration (include/cellsurvey/calibration.h): a SoapySDR radio gets its stored oscillator
 * error when opened, and every record its dBm fields from the measured or model power offset at
 * its frequency and the gain in use (uncalibrated: dBm fields null, calibrated false).
 *
 * Records of a band are delivered when the band is swept (or the sweep stops), after dropping
 * images of strong GSM carriers (cs_scan_gsm_image) and, with a GSM dwell of 1 s or more, GSM
 * carriers whose SCH was decoded but no SI3/SI4 (false synchronisations; their power stays in the
 * occupied-channel rows). */
#ifndef CS_SCAN_H
#define CS_SCAN_H

#include "cellsurvey/bands.h"
#include "cellsurvey/hotplug.h"
#include "cellsurvey/record.h"
#include "cellsurvey/source.h"
#include "gpsfix.h"
#include "pipeline.h"
#include "raster.h"

#define CS_SCAN_MAX_BANDS 32
#define CS_SCAN_HOTPLUG_POLL_S 5.0 /* reopen attempts between USB arrivals, hotplug mode */

typedef struct {
  char name[16];          /* as the user typed it, lower case: "egsm900", "lte3" */
  cs_rat rat;
  cs_gsm_band gsm_band;   /* GSM bands */
  int lte_band;           /* LTE bands */
  int tdd;
  double lo_hz, hi_hz;    /* downlink edges */
} cs_scan_band;

/* Parse "egsm900,dcs1800,lte1,lte3" (gsm850, pgsm900, egsm900, rgsm900, dcs1800, pcs1900,
 * gsm450, gsm480, lte<N>). CS_ERR_INPUT naming the bad name. */
cs_status cs_scan_parse_bands(const char *list, cs_scan_band *bands, int max, int *n, cs_err *err);

/* What the planner needs to know about the radio (from the SoapySDR quirk table). */
typedef struct {
  double max_rate;        /* highest sample rate to use */
  double usable_frac;     /* clean fraction of the sample rate */
  int adc_bits;           /* 0: unknown (12 assumed for the ADC-level check) */
  char label[256];        /* device description for records and messages */
  char serial[96];
  char model[32];         /* quirk-table model ("hackrf", "sim", ...): calibration tables */
} cs_scan_radio;

/* Opens the radio. The default (NULL in the options) opens SoapySDR device args. */
typedef cs_status (*cs_scan_open_fn)(void *ctx, const char *args, cs_source **src,
                                     cs_scan_radio *radio, cs_err *err);
/* Overflow / timeout counters of an open source (NULL: SoapySDR counters). */
typedef void (*cs_scan_counters_fn)(void *ctx, cs_source *src, uint64_t *overflows,
                                    uint64_t *timeouts);

/* One sweep step's diagnostics: tells "no network here" from "bad setup". */
typedef struct {
  const char *band;       /* band name */
  int step, n_steps;      /* 0-based step in the band */
  double center_hz, rate, usable_hz;
  double time_unix;
  double adc_dbfs;        /* mean input power (dBFS): the ADC level */
  double clip_frac;       /* fraction of samples at full scale */
  double noise_dbfs_200k; /* noise floor in 200 kHz */
  int gsm_occupied;       /* occupied GSM channels in the step */
  int lte_carriers;       /* LTE carriers detected in the step */
  int cells;              /* cells decoded from the step's dwells (sync hits that gave a record) */
  uint64_t overflows, timeouts; /* device counters during the step */
  const char *verdict;    /* "ok", "no signal (noise only)", "clipping: lower the gain", ... */
} cs_scan_step;

typedef struct {
  double start_unix, end_unix; /* device gone .. back */
  char reason[256];
} cs_scan_gap;

typedef struct {
  const char *device;     /* device args */
  cs_scan_open_fn open;   /* NULL: SoapySDR */
  cs_scan_counters_fn counters;
  void *open_ctx;
  const cs_scan_band *bands;
  int n_bands;
  double rate;            /* sweep sample rate; 0: min(device max, 20 Msps) */
  double gain_db;         /* NAN: the device model's default per band */
  double detect_dwell_s;  /* 0: 0.03 s */
  double gsm_dwell_s;     /* 0: 1.2 s */
  double lte_dwell_s;     /* 0: 0.2 s */
  double reopen_timeout_s;/* give up on a vanished device after this long; 0: never */
  cs_gps *gps;            /* may be NULL: records carry an explicit no-fix */
  volatile int *stop;     /* set (from a signal handler) to end the sweep early */
  int usb_events;         /* 1: the caller feeds USB hotplug events (cs_scan_usb_event) and the
                           * scan opens no libusb watcher of its own */
  /* callbacks (each may be NULL) */
  void *ctx;
  void (*on_record)(void *ctx, const cs_cell_record *r);
  void (*on_step)(void *ctx, const cs_scan_step *s);
  void (*on_progress)(void *ctx, const char *band, int step, int n_steps, int cells);
  void (*on_gap)(void *ctx, const cs_scan_gap *g);
  void (*on_log)(void *ctx, int level, const char *msg); /* level: 3 error .. 7 debug (syslog) */
  /* occupied channels of a detection dwell (GSM channels and LTE carriers with their powers),
   * measured at `where` (time, position, device) */
  void (*on_channels)(void *ctx, const cs_cell_record *where, const cs_channel *rows, int n);
} cs_scan_opts;

typedef struct cs_scan cs_scan;

/* Open the radio and allocate everything a sweep needs (the dwell memory). */
cs_status cs_scan_create(const cs_scan_opts *opts, cs_scan **scan, cs_err *err);
/* One sweep of every band. CS_OK also when stopped early by *opts->stop. */
cs_status cs_scan_sweep(cs_scan *scan, cs_err *err);
/* Steps a band takes at the current settings, and the i-th step's centre. */
int cs_scan_band_steps(const cs_scan *scan, const cs_scan_band *b);
double cs_scan_step_center(const cs_scan *scan, const cs_scan_band *b, int i);
/* Cells reported in the last sweep, gaps so far. */
int cs_scan_cells(const cs_scan *scan);
/* The fix stamped on the records of the current dwell (mode 0: no fix). */
void cs_scan_fix(const cs_scan *scan, cs_gps_fix *fix);
int cs_scan_gaps(const cs_scan *scan);
/* A USB SDR arrived or left (a cs_hotplug_cb; scan is the cs_scan). May be called from another
 * thread than the sweep's. */
void cs_scan_usb_event(void *scan, const cs_hotplug_event *ev);
/* Where the last sweep's time went: retuning and capturing (the radio, including settle and,
 * with the simulated radio, generating the signal), the pipeline (spectrum and decoders), and
 * the seconds of signal captured. */
void cs_scan_timing(const cs_scan *scan, double *device_s, double *process_s, double *signal_s);
void cs_scan_destroy(cs_scan *scan);

/* Is GSM record r an image of o (same CGI and BSIC on another ARFCN, or r unidentified with o's
 * BSIC, and r at least CS_SCAN_IMAGE_DB weaker)? A sweep drops such images before delivering a
 * band's records (a cell broadcasts its BCCH on one ARFCN). */
#define CS_SCAN_IMAGE_DB 20.0
int cs_scan_gsm_image(const cs_cell_record *r, const cs_cell_record *o);

#endif
