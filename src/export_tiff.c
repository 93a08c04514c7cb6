/* export_tiff.c: GeoTIFF coverage raster with GDAL: per operator+RAT two Float32 bands, the
 * bin's median level (dBm) and its class coded as the GSMA Mobile Coverage Explorer rasters do
 * (1 strong, 2 variable; 0 surveyed without usable service); -9999 (nodata) where the bin was not
 * surveyed. UTM CRS (EPSG 326zz/327zz), north-up, one pixel per grid bin.
 *
 * GDAL is opened here, when a GeoTIFF is written, not linked into the binary: with its ~110
 * dependent libraries it added about 30 MB of resident memory and 30 ms to every start of every
 * command (docs/performance.md). CS_GDAL_SONAME comes from the library pkg-config found. */
#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dl.h"
#include "export.h"

#define NODATA -9999.0f

/* cs_cover_class -> Mobile Coverage Explorer cell value */
static const float mce_code[3] = {[CS_CLASS_NONE] = 0, [CS_CLASS_VARIABLE] = 2, [CS_CLASS_STRONG] = 1};
#define MAX_PIXELS (64L * 1024 * 1024)

#define GDAL_FUNCTIONS(X)                                                                          \
  X(GDALAllRegister) X(GDALGetDriverByName) X(GDALCreate) X(GDALClose) X(GDALSetGeoTransform)     \
  X(GDALSetProjection) X(GDALSetMetadataItem) X(GDALGetRasterBand) X(GDALSetDescription)          \
  X(GDALSetRasterNoDataValue) X(GDALRasterIO) X(CPLGetLastErrorMsg) X(VSIFree)                    \
  X(OSRNewSpatialReference) X(OSRImportFromEPSG) X(OSRExportToWkt) X(OSRDestroySpatialReference)

static CS_DL_TYPE(gdal, GDAL_FUNCTIONS) gdal;
static CS_DL_NAMES(gdal, GDAL_FUNCTIONS);

cs_status cs_export_geotiff(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  const cs_grid *g = d->g;
  if (g->n_bins == 0 || g->n_groups == 0) return cs_fail(err, CS_ERR_INPUT, "nothing to rasterise: no operator was decoded");
  int32_t x0 = g->ix[0], x1 = g->ix[0], y0 = g->iy[0], y1 = g->iy[0];
  for (size_t b = 1; b < g->n_bins; b++) {
    if (g->ix[b] < x0) x0 = g->ix[b];
    if (g->ix[b] > x1) x1 = g->ix[b];
    if (g->iy[b] < y0) y0 = g->iy[b];
    if (g->iy[b] > y1) y1 = g->iy[b];
  }
  long w = (long)x1 - x0 + 1, h = (long)y1 - y0 + 1;
  if (w * h > MAX_PIXELS)
    return cs_fail(err, CS_ERR_INPUT, "raster of %ld x %ld bins is too large; use a larger --cell-size", w, h);
  cs_status st = CS_DL_OPEN(gdal, CS_GDAL_SONAME, "the GeoTIFF export", err);
  if (st) return st;
  float *px = malloc(sizeof(float) * w * h);
  if (!px) return cs_fail(err, CS_ERR_ENV, "out of memory for a %ld x %ld raster", w, h);
  gdal.GDALAllRegister();
  GDALDriverH drv = gdal.GDALGetDriverByName("GTiff");
  char *opts[] = {"COMPRESS=DEFLATE", "TILED=YES", NULL};
  GDALDatasetH ds = drv ? gdal.GDALCreate(drv, path, (int)w, (int)h, 2 * g->n_groups, GDT_Float32, opts) : NULL;
  if (!ds) { free(px); return cs_fail(err, CS_ERR_ENV, "GDAL cannot create %s: %s", path, gdal.CPLGetLastErrorMsg()); }
  double gt[6] = {x0 * g->cell_size, g->cell_size, 0, (y1 + 1.0) * g->cell_size, 0, -g->cell_size};
  gdal.GDALSetGeoTransform(ds, gt);
  OGRSpatialReferenceH srs = gdal.OSRNewSpatialReference(NULL);
  char *wkt = NULL;
  if (gdal.OSRImportFromEPSG(srs, cs_utm_epsg(g->zone)) == OGRERR_NONE && gdal.OSRExportToWkt(srs, &wkt) == OGRERR_NONE)
    gdal.GDALSetProjection(ds, wkt);
  gdal.VSIFree(wkt);
  gdal.OSRDestroySpatialReference(srs);
  gdal.GDALSetMetadataItem(ds, "AREA_OR_POINT", "Area", NULL);
  char val[32];
  snprintf(val, sizeof val, "%g", g->cell_size);
  gdal.GDALSetMetadataItem(ds, "CELLSURVEY_CELL_SIZE_M", val, NULL);
  for (int k = 0; k < g->n_groups && !st; k++)
    for (int q = 0; q < 2 && !st; q++) {
      for (long i = 0; i < w * h; i++) px[i] = NODATA;
      for (size_t b = 0; b < g->n_bins; b++) {
        const cs_grid_value *v = &g->v[b * g->n_groups + k];
        long col = g->ix[b] - x0, row = y1 - g->iy[b];
        px[row * w + col] = q == 0 ? (isnan(v->median_dbm) ? NODATA : v->median_dbm) : mce_code[v->cls];
      }
      GDALRasterBandH band = gdal.GDALGetRasterBand(ds, 2 * k + q + 1);
      char desc[64];
      snprintf(desc, sizeof desc, "%s-%s %s %s", g->groups[k].plmn.mcc, g->groups[k].plmn.mnc,
               cs_rat_name(g->groups[k].rat), q == 0 ? "median_dbm" : "class");
      gdal.GDALSetDescription(band, desc);
      gdal.GDALSetRasterNoDataValue(band, NODATA);
      snprintf(val, sizeof val, "%s-%s", g->groups[k].plmn.mcc, g->groups[k].plmn.mnc);
      gdal.GDALSetMetadataItem(band, "operator", val, NULL);
      gdal.GDALSetMetadataItem(band, "rat", cs_rat_name(g->groups[k].rat), NULL);
      gdal.GDALSetMetadataItem(band, "quantity", q == 0 ? "median_dbm" : "class (1 strong, 2 variable, 0 none: GSMA Mobile Coverage Explorer coding)", NULL);
      if (gdal.GDALRasterIO(band, GF_Write, 0, 0, (int)w, (int)h, px, (int)w, (int)h, GDT_Float32, 0, 0) != CE_None)
        st = cs_fail(err, CS_ERR_ENV, "GDAL cannot write %s: %s", path, gdal.CPLGetLastErrorMsg());
      n->written++;
    }
  gdal.GDALClose(ds);
  free(px);
  return st;
}
