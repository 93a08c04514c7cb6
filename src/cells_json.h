/* cells_json.h: a unique cell and its site estimate as a JSON object (cells --json, the GeoJSON
 * export's site features, the report's cell table). */
#ifndef CS_CELLS_JSON_H
#define CS_CELLS_JSON_H

#include <cjson/cJSON.h>

#include "sites.h"
#include "survey.h"

cJSON *cs_cell_json(const cs_survey_cell *c, const cs_site_estimate *e);
/* Cell indices in display order (RAT, operator, area, cell id); malloc'd, n = s->n_cells. */
int *cs_cells_sorted(const cs_survey *s);

#endif
