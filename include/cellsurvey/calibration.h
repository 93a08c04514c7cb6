/* calibration.h: per-device corrections a scan applies to a radio.
 *
 * Two kinds. Oscillator error (ppm), measured by `cellsurvey calibrate` from a strong GSM FCCH or
 * LTE PSS and stored per device serial. Power: dBm = dBFS - gain_db + offset_db(freq), where the
 * offset comes from a measured calibration of that serial (a known signal level) when there is
 * one, else from the model's table shipped in data/calibration/<model>.json, else the power is
 * uncalibrated (records say so: cs_cell_record.calibrated).
 *
 * The store is a small JSON file, by default $XDG_DATA_HOME/cellsurvey/calibration.json
 * (~/.local/share/cellsurvey/calibration.json); CELLSURVEY_CALIBRATION overrides the path.
 * Model tables are looked up in $CELLSURVEY_DATA/calibration, then <exe dir>/../data/calibration,
 * then <exe dir>/../share/cellsurvey/calibration. */
#ifndef CELLSURVEY_CALIBRATION_H
#define CELLSURVEY_CALIBRATION_H

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"

typedef struct cs_calibration cs_calibration;

typedef enum {
  CS_POWER_UNCALIBRATED = 0,
  CS_POWER_MODEL_TABLE = 1, /* typical offset of the model */
  CS_POWER_MEASURED = 2,    /* measured on this very device */
} cs_power_cal;

/* Apply the stored oscillator error of a SoapySDR source's serial (cs_soapy_set_ppm). Returns 1
 * when there was one. */
struct cs_source;
int cs_calibration_apply(const cs_calibration *c, struct cs_source *soapy_src);

/* Load the store (path NULL: the default). A missing file is an empty store, a corrupt one is
 * CS_ERR_INPUT naming the file. */
cs_status cs_calibration_load(const char *path, cs_calibration **c, cs_err *err);
void cs_calibration_free(cs_calibration *c);
const char *cs_calibration_path(const cs_calibration *c);

/* Oscillator error of a device: 1 and *ppm when known. */
int cs_calibration_ppm(const cs_calibration *c, const char *serial, double *ppm);

/* dBFS to dBm offset for a device at a frequency and gain: returns the kind and fills *offset_db
 * (so dBm = dBFS + *offset_db) unless uncalibrated. model: cs_soapy_info.model. */
cs_power_cal cs_calibration_power(const cs_calibration *c, const char *serial, const char *model,
                                  double freq_hz, double gain_db, double *offset_db);

/* Fill a record's dBm fields (power_dbm, rsrp_dbm, rssi_dbm, GSM rxlev) from its dBFS ones with
 * the offset cs_calibration_power() gave, and set calibrated; for CS_POWER_UNCALIBRATED clear
 * them and calibrated. */
void cs_calibration_apply_record(cs_cell_record *r, cs_power_cal kind, double offset_db);

/* Record a measured oscillator error, or a power offset (offset_db = dBm - dBFS measured at
 * gain_db; stored gain-independent), and save the store atomically (write, fsync, rename). */
cs_status cs_calibration_set_ppm(cs_calibration *c, const char *serial, const char *model,
                                 double ppm, double freq_hz, const char *method, cs_err *err);
cs_status cs_calibration_set_power(cs_calibration *c, const char *serial, const char *model,
                                   double freq_hz, double gain_db, double offset_db, cs_err *err);

#endif
