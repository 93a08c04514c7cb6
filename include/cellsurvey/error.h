/* error.h: how library code reports failure.
 *
 * Library code never prints and never exits. A function that can fail returns a cs_status and
 * fills a cs_err whose message names the input (file, device, line) and the problem. Commands
 * turn it into one line on stderr and the matching exit code. */
#ifndef CELLSURVEY_ERROR_H
#define CELLSURVEY_ERROR_H

#include <stdarg.h>

typedef enum {
  CS_OK = 0,
  CS_ERR_ENV = 1,   /* the environment failed: device, disk, network, memory */
  CS_ERR_INPUT = 2, /* the input is bad: corrupt capture, wrong metadata, bad option */
} cs_status;

typedef struct {
  char msg[512];
} cs_err;

/* Fill err (may be NULL) with a printf-style message and return code. */
cs_status cs_fail(cs_err *err, cs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
