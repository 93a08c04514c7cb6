/* coarsen.h: blur a survey's positions before it leaves the kit (`export --coarsen METRES`), so
 * that an export shows coverage without the precise tracks of the people who walked it
 * (docs/security.md, "Data protection"). */
#ifndef CS_COARSEN_H
#define CS_COARSEN_H

#include "survey.h"

#define CS_COARSEN_MIN_M 50.0
#define CS_COARSEN_MAX_M 100000.0

/* Snap every observation to the centre of its cell in a grid of about `metres` (latitude bands
 * metres/111.32 km high, each band cut into cells metres wide at its centre latitude), drop
 * altitude, round times down to the hour, and drop track points (observations without a cell:
 * the trace itself). */
void cs_survey_coarsen(cs_survey *s, double metres);

#endif
