/* grid.h: the coverage grid: visited bins on a UTM frame, per operator and RAT.
 *
 * A bin is visited when any observation (measurement or track point) falls in it; bins never
 * visited are absent ("not surveyed" is not "no service"). For every visited bin and every
 * operator+RAT of the survey: samples, best and median level, best server and a class
 * (docs/coverage.md). Built in memory from a survey (grid.c) or in PostgreSQL (store_pg.c); both
 * fill this struct, which the GeoJSON writer and the gap report read. */
#ifndef CS_GRID_H
#define CS_GRID_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"
#include "survey.h"
#include "utm.h"

typedef enum { CS_CLASS_NONE = 0, CS_CLASS_VARIABLE = 1, CS_CLASS_STRONG = 2 } cs_cover_class;

/* Per RAT (index cs_rat): strong when the bin's median is >= strong_dbm; variable when it is
 * not but its best sample is >= usable_dbm; none otherwise or when never decoded. */
typedef struct {
  float strong_dbm[3];
  float usable_dbm[3];
} cs_grid_thresholds;

void cs_grid_thresholds_default(cs_grid_thresholds *t);

typedef struct {
  cs_rat rat;
  cs_plmn plmn;
} cs_grid_group;

typedef struct {
  int samples;            /* decoded records of this operator+RAT in the bin */
  float best_dbm, median_dbm; /* NAN when no calibrated level */
  char best_cell[40];     /* label of the strongest cell (cs_survey_cell_label), "" if none */
  cs_cover_class cls;
} cs_grid_value;

typedef struct {
  double cell_size;
  cs_utm_zone zone;
  int n_groups;
  cs_grid_group *groups;
  size_t n_bins;
  int32_t *ix, *iy;       /* bin index: easting = ix * cell_size .. (ix+1) * cell_size */
  cs_grid_value *v;       /* n_bins x n_groups, row-major by bin */
} cs_grid;

typedef struct {
  double cell_size;       /* metres, 25..1000 */
  const char *operator_filter; /* "MCC-MNC" or NULL */
  cs_rat rat_filter;      /* CS_RAT_NONE: all */
  cs_grid_thresholds thr;
} cs_grid_opts;

/* The zone of a survey: from its median position. CS_ERR_INPUT when it holds no position. */
cs_status cs_survey_zone(const cs_survey *s, cs_utm_zone *z, cs_err *err);
cs_status cs_grid_build(const cs_survey *s, const cs_grid_opts *o, cs_grid **out, cs_err *err);
/* Allocate an empty grid for n_bins x n_groups (used by the PostgreSQL path). */
cs_grid *cs_grid_alloc(size_t n_bins, int n_groups);
void cs_grid_destroy(cs_grid *g);
cs_cover_class cs_grid_classify(const cs_grid_thresholds *t, cs_rat rat, int samples, float best, float median);
const char *cs_class_name(cs_cover_class c);
/* Corner of a bin in lat/lon, corner 0..3 counter-clockwise from south-west. */
void cs_grid_corner(const cs_grid *g, size_t bin, int corner, double *lat, double *lon);
void cs_grid_centre(const cs_grid *g, size_t bin, double *lat, double *lon);

/* The gap report of one operator+RAT. */
typedef struct {
  size_t visited, strong, variable, none;
  double covered_share;   /* (strong + variable) / visited */
} cs_gap_summary;
void cs_grid_gaps(const cs_grid *g, int group, cs_gap_summary *out);

/* Writers (grid_write.c): GeoJSON FeatureCollection of Polygon bins (RFC 7946); gap report as
 * a text table and as JSON. */
cs_status cs_grid_write_geojson(const cs_grid *g, const char *path, cs_err *err);
void cs_grid_print_gaps(const cs_grid *g, FILE *f);
cs_status cs_grid_write_gaps_json(const cs_grid *g, const char *path, cs_err *err);
/* cJSON helpers shared with the exports: a bin as a GeoJSON Feature (caller frees). */
struct cJSON;
struct cJSON *cs_grid_bin_feature(const cs_grid *g, size_t bin, int group);
struct cJSON *cs_grid_gaps_json(const cs_grid *g);

#endif
