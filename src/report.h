/* report.h: the self-contained offline HTML report (cellsurvey report; docs/coverage.md). */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include "grid.h"
#include "raster.h"
#include "sites.h"
#include "survey.h"

typedef struct {
  const char *db_label;          /* store name shown (no password) */
  const cs_survey *s;
  const cs_grid *g;
  const cs_site_estimate *sites; /* per survey cell */
  const cs_channel *spec;        /* spectrum rows of the store */
  size_t n_spec;
} report_data;

cs_status cs_report_write(const report_data *d, const char *path, cs_err *err);

#endif
