/* dl.c: opening a library on first use and resolving its functions (see dl.h). */
#include "dl.h"

#include <dlfcn.h>
#include <string.h>

cs_status cs_dl_open(const char *soname, const char *const *names, void (**fn)(void), size_t n,
                     const char *what, cs_err *err) {
  if (n && fn[0]) return CS_OK; /* resolved before */
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) return cs_fail(err, CS_ERR_ENV, "%s needs %s: %s", what, soname, dlerror());
  for (size_t i = 0; i < n; i++) {
    void *p = dlsym(h, names[i]);
    if (!p) {
      memset(fn, 0, sizeof *fn * n);
      dlclose(h);
      return cs_fail(err, CS_ERR_ENV, "%s lacks %s, which %s needs", soname, names[i], what);
    }
    memcpy(&fn[i], &p, sizeof p); /* POSIX: a function's address round-trips through void * */
  }
  return CS_OK;
}
