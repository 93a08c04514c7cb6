/* survey.h: a drive test in memory, the input of grid, cells, export and report.
 *
 * Every measurement record becomes one observation (time, position, level) pointing at a unique
 * cell; a track point is an observation without a cell. Cells are interned on their identity
 * (RAT, PLMN, LAC/TAC, cell id, BSIC/PCI, ARFCN/EARFCN). Loaded from a store (survey_load.c) or
 * built by tests with cs_survey_add(). */
#ifndef CS_SURVEY_H
#define CS_SURVEY_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"

typedef struct {
  cs_rat rat;
  cs_plmn plmn;      /* empty when never decoded */
  int area;          /* GSM LAC or LTE TAC; -1 */
  int64_t cid;       /* GSM cell_id or LTE 28-bit cell_identity; -1 */
  int code;          /* GSM BSIC or LTE PCI; -1 */
  int channel;       /* GSM ARFCN or LTE EARFCN; -1 */
  char band[16];
  int samples;       /* records of this cell */
  int positioned;    /* of which with a position (observations) */
} cs_survey_cell;

typedef struct {
  double t, lat, lon;
  float alt;         /* NAN when unknown */
  float dbm;         /* LTE RSRP or GSM power (calibrated dBm); NAN when unknown */
  float dbfs;        /* the same level uncalibrated (power_dbfs, rsrp_dbfs); NAN when unknown */
  float rsrq_db, sinr_db; /* LTE; NAN otherwise */
  int cell;          /* index into cells, -1 for a track point */
} cs_survey_obs;

typedef struct {
  cs_survey_obs *obs;
  size_t n_obs, cap_obs;
  cs_survey_cell *cells;
  size_t n_cells, cap_cells;
  uint32_t *slots;   /* open-addressing index of cells: cell + 1, 0 = empty */
  size_t n_slots;
} cs_survey;

cs_survey *cs_survey_create(void);
void cs_survey_destroy(cs_survey *s);
/* Add a record (measurement or track point). A measurement without a position only counts for
 * its cell (samples); a track point without one is skipped. */
cs_status cs_survey_add(cs_survey *s, const cs_cell_record *r, cs_err *err);

/* "MCC-MNC" of a cell, or "unknown". */
void cs_survey_operator(const cs_survey_cell *c, char *buf, size_t cap);
/* A short label naming the cell: "MCC-MNC-LAC-CI" (GSM), "MCC-MNC-TAC-ECI" (LTE), or the
 * physical identity "ARFCN/BSIC", "EARFCN/PCI" when the cell identity was not decoded. */
void cs_survey_cell_label(const cs_survey_cell *c, char *buf, size_t cap);
const char *cs_rat_name(cs_rat rat);

#endif
