/* pq_dl.c: libpq opened on first use (see pq_dl.h). */
#include "pq_dl.h"

union cs_pq_u cs_pq;
static CS_DL_NAMES(cs_pq, CS_PQ_FUNCTIONS);

cs_status cs_pq_open(cs_err *err) { return CS_DL_OPEN(cs_pq, CS_PQ_SONAME, "a PostgreSQL store", err); }
