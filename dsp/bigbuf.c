/* bigbuf.c: 2 MB-aligned allocations with transparent huge pages requested (see bigbuf.h). */
#include "bigbuf.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *bigbuf_alloc(size_t n) {
  void *p = NULL;
  if (n < HUGE_PAGE) return malloc(n ? n : 1); /* smaller than one huge page: nothing to gain */
  /* whole huge pages: a partial one at the end would be served in 4 kB pages */
  size_t whole = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  if (posix_memalign(&p, HUGE_PAGE, whole)) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, whole, MADV_HUGEPAGE); /* a request: without it (or THP disabled) 4 kB pages serve */
#endif
  return p;
}
