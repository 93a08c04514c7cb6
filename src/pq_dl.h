/* pq_dl.h: libpq, opened when a PostgreSQL store is (src/store_pg.c), not linked into the binary:
 * with its TLS, Kerberos and LDAP libraries it cost every start of every command about 4 ms and
 * 13 shared objects (docs/performance.md), though only `--db postgresql://...` uses it. The
 * store calls the functions through cs_pq after cs_pq_open() succeeded. CS_PQ_SONAME comes from
 * the library pkg-config found. */
#ifndef CS_PQ_DL_H
#define CS_PQ_DL_H

#include <libpq-fe.h>

#include "dl.h"

#define CS_PQ_FUNCTIONS(X)                                                                         \
  X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQenterPipelineMode) X(PQerrorMessage) X(PQexec)     \
  X(PQexecParams) X(PQexitPipelineMode) X(PQfinish) X(PQgetResult) X(PQgetisnull) X(PQgetvalue)   \
  X(PQntuples) X(PQpipelineSync) X(PQprepare) X(PQresultErrorMessage) X(PQresultStatus)           \
  X(PQsendQueryPrepared) X(PQstatus)

extern CS_DL_TYPE(cs_pq, CS_PQ_FUNCTIONS) cs_pq;

/* Open libpq once per process (it stays loaded). */
cs_status cs_pq_open(cs_err *err);

#endif
