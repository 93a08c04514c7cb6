/* bigbuf.h: memory for large, long-lived sample arrays (a segment's samples, the LTE search's
 * folded correlations): 2 MB aligned, with transparent huge pages asked for where the kernel
 * offers them (Linux MADV_HUGEPAGE, which Debian enables on request). Filling such an array takes
 * one page fault per 2 MB instead of one per 4 kB; on a 1 s LTE replay the 4 kB faults cost about
 * a quarter of the process's CPU time (docs/performance.md). Freed with free(). */
#ifndef CS_DSP_BIGBUF_H
#define CS_DSP_BIGBUF_H

#include <stddef.h>

/* n bytes, or NULL when out of memory. */
void *bigbuf_alloc(size_t n);

#endif
