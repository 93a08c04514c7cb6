/* sim.h: the simulated SDR behind the `cellsurvey-sim` SoapySDR driver (logic in C; the SoapySDR
 * module glue is sim_module.cpp).
 *
 * Device args (SoapySDR "key=value,..." markup):
 *   scene=DIR           SigMF captures served at their core:frequency (or the
 *                       CELLSURVEY_SIM_SCENE environment variable; none: noise only). A generic
 *                       listing (no driver=cellsurvey-sim) shows the simulator only when a scene
 *                       is configured; a scene directory that does not exist means no device.
 *   serial=S            device serial (default: "sim-" and a hash of the scene path)
 *   settle_ms=5         retune transient length (PLL lock: frequency error and a noise burst)
 *   noise_dbfs=-80      receiver noise power per MHz of bandwidth, dBFS (at the reference gain)
 *   dc_dbfs=off         a DC spike (LO leakage, as on a HackRF) of this power
 *   realtime=0          1: pace reads at the sample rate (for benchmarks)
 *   seed=1              noise generator seed
 *   overflow_every=S    every S seconds of stream, drop overflow_samples (4096) and report
 *                       SOAPY_SDR_OVERFLOW
 *   timeout_every=S     every S seconds of stream, stall for timeout_for seconds (wall clock):
 *                       reads return SOAPY_SDR_TIMEOUT
 *   gone_after=N        N seconds (wall clock) after the device is first seen in this process it
 *   gone_for=M          disappears for M seconds (default: for good): enumeration does not list
 *                       it, opening fails, and handles opened before fail every read with
 *                       SOAPY_SDR_STREAM_ERROR (as a real unplug); a new open works once back.
 * Gain: 0..60 dB, the scene plays at its recorded level at the reference gain 30 dB. */
#ifndef CS_SIM_H
#define CS_SIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_REF_GAIN_DB 30.0
#define SIM_MAX_RATE 61.44e6
#define SIM_MIN_RATE 0.1e6
#define SIM_MTU 16384

typedef struct sim_dev sim_dev;

/* Is a device with these args present now? Fills its serial and label. */
int sim_find(const char *args, char *serial, size_t serial_cap, char *scene, size_t scene_cap);
/* Open (loads the scene). NULL with a message in err on failure. */
sim_dev *sim_open(const char *args, char *err, size_t err_cap);
void sim_close(sim_dev *d);

const char *sim_serial(const sim_dev *d);
const char *sim_scene_dir(const sim_dev *d);
int sim_set_rate(sim_dev *d, double rate); /* 0 ok, -1 out of range */
double sim_get_rate(const sim_dev *d);
void sim_set_freq(sim_dev *d, double hz);
double sim_get_freq(const sim_dev *d);
void sim_set_gain(sim_dev *d, double db);
double sim_get_gain(const sim_dev *d);
void sim_set_bandwidth(sim_dev *d, double hz);
double sim_get_bandwidth(const sim_dev *d);
double sim_settle_s(const sim_dev *d);
void sim_activate(sim_dev *d, int on);
/* Read up to n complex float samples (interleaved I/Q). Returns the count or a SoapySDR error
 * code (SOAPY_SDR_TIMEOUT, SOAPY_SDR_OVERFLOW, SOAPY_SDR_STREAM_ERROR). *time_ns: stream time. */
int sim_read(sim_dev *d, float *iq, size_t n, long timeout_us, long long *time_ns);

#ifdef __cplusplus
}
#endif

#endif
