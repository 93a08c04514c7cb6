/* pq_dl.c: libpq opened on first use (see pq_dl.h). */
#include "pq_dl.h"

#include <dlfcn.h>

cs_pq_api cs_pq;

cs_status cs_pq_open(cs_err *err) {
  static void *lib;
  if (lib) return CS_OK;
  void *h = dlopen(CS_PQ_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) return cs_fail(err, CS_ERR_ENV, "a PostgreSQL store needs libpq: %s", dlerror());
#define X(f)                                                                                       \
  if (!(*(void **)&cs_pq.f = dlsym(h, #f))) {                                                      \
    dlclose(h);                                                                                    \
    return cs_fail(err, CS_ERR_ENV, "%s lacks %s, which the PostgreSQL store needs", CS_PQ_SONAME, #f); \
  }
  CS_PQ_FUNCTIONS(X)
#undef X
  lib = h;
  return CS_OK;
}
