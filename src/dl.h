/* dl.h: libraries opened with dlopen where they are used instead of linked into the binary.
 * Linked, each library a command does not use still costs every start of every command its own
 * loading, relocation and constructors, and those of everything it depends on: libpq (TLS,
 * Kerberos, LDAP) about 4 ms, libgps 1.7 ms, libmicrohttpd (GnuTLS) 1.4 ms, GDAL (~110 libraries)
 * 30 ms and 25 MB (docs/performance.md). A user lists the functions it calls once:
 *
 *   #define GPS_FUNCTIONS(X) X(gps_open) X(gps_close)
 *   static CS_DL_TYPE(gps_api, GPS_FUNCTIONS) gps_api;   the table: gps_api.gps_open(...)
 *   static CS_DL_NAMES(gps_api, GPS_FUNCTIONS);
 *   CS_DL_OPEN(gps_api, "libgps.so.28", "reading gpsd", err)       before the first call
 *
 * The sonames come from the libraries pkg-config found (CMakeLists.txt, cs_soname). */
#ifndef CS_DL_H
#define CS_DL_H

#include <stddef.h>

#include "cellsurvey/error.h"

#define CS_DL_MEMBER_(f) __typeof__(f) *f;
#define CS_DL_COUNT_(f) +1
#define CS_DL_NAME_(f) #f,
/* The type of a table of the functions in LIST (an X-macro), each typed as its declaration in
 * the library's header, and their names. */
#define CS_DL_TYPE(name, LIST)                                                                     \
  union name##_u {                                                                                 \
    struct { LIST(CS_DL_MEMBER_) };                                                                \
    void (*fn[0 LIST(CS_DL_COUNT_)])(void);                                                        \
  }
#define CS_DL_NAMES(name, LIST) const char *const name##_names[] = {LIST(CS_DL_NAME_)}
/* Open the table's library (once per process: it stays loaded). */
#define CS_DL_OPEN(name, soname, what, err)                                                        \
  cs_dl_open(soname, name##_names, name.fn, sizeof name##_names / sizeof *name##_names, what, err)

/* Open soname (once) and resolve names[0..n) into fn[0..n); a failure names the library, the
 * missing function and what needed it (what: "the PostgreSQL store", ...). */
cs_status cs_dl_open(const char *soname, const char *const *names, void (**fn)(void), size_t n,
                     const char *what, cs_err *err);

#endif
