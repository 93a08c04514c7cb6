/* export.h: the survey out to other tools (docs/coverage.md, "Exports"): OpenCelliD upload CSV,
 * CellMapper CSV, plain CSV, GeoJSON and KML (measurement points, grid bins, estimated sites),
 * and a GeoTIFF coverage raster per operator and RAT (GDAL). */
#ifndef CS_EXPORT_H
#define CS_EXPORT_H

#include "grid.h"
#include "sites.h"
#include "survey.h"

typedef struct {
  const cs_survey *s;
  const cs_grid *g;              /* for geojson, kml, geotiff */
  const cs_site_estimate *sites; /* per survey cell, for geojson, kml */
} cs_map_data;

/* Counts of what an export wrote and left out. */
typedef struct {
  long written, rejected;
  long bad_identity, bad_position, bad_time, bad_signal; /* OpenCelliD rejections by rule */
} cs_export_counts;

cs_status cs_export_opencellid(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);
cs_status cs_export_cellmapper(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);
cs_status cs_export_csv(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);
cs_status cs_export_geojson(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);
cs_status cs_export_kml(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);
cs_status cs_export_geotiff(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err);

#endif
