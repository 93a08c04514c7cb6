/* error.c: filling a cs_err (see cellsurvey/error.h). */
#include "cellsurvey/error.h"

#include <stdio.h>

cs_status cs_fail(cs_err *err, cs_status code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}
