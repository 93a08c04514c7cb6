/* clock.h: a POSIX clock read as seconds in a double: CLOCK_REALTIME for time stamps (Unix
 * time), CLOCK_MONOTONIC for intervals and deadlines, CLOCK_PROCESS_CPUTIME_ID for CPU time. */
#ifndef CELLSURVEY_CLOCK_H
#define CELLSURVEY_CLOCK_H

#include <time.h>

static inline double cs_clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#endif
