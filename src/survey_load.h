/* survey_load.h: fill a survey from a store (measurements with a position, and track points). */
#ifndef CS_SURVEY_LOAD_H
#define CS_SURVEY_LOAD_H

#include "store.h"
#include "survey.h"

/* rat: CS_RAT_NONE for both. CS_ERR_* from the store. */
cs_status cs_survey_load(cs_store *store, cs_rat rat, cs_survey **out, cs_err *err);

#endif
