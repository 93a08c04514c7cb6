/* fuzz_nmea.c: the NMEA 0183 parser and fix state machine (src/nmea.c) on arbitrary bytes split
 * into lines, as a serial GPS or a hostile file could deliver them. Rejected sentences need a
 * message; accepted ones, and every fix the state machine produces, must be on the globe with
 * sane time fields. */
#include <math.h>

#include "fuzz_util.h"
#include "gpsfix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  cs_nmea_state state;
  cs_nmea_state_init(&state);
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    cs_nmea m;
    cs_err err = {{0}};
    if (cs_nmea_parse(line, &m, &err) != CS_OK) {
      FUZZ_ASSERT(err.msg[0], "rejected without a message");
      continue;
    }
    FUZZ_ASSERT(m.hh >= 0 && m.hh < 24 && m.mm >= 0 && m.mm < 60 && m.ss >= 0 && m.ss < 61, "time %d:%d:%g", m.hh, m.mm, m.ss);
    if (m.has_fix)
      FUZZ_ASSERT(fabs(m.lat) <= 90 && fabs(m.lon) <= 180, "position %g %g", m.lat, m.lon);
    cs_nmea_state_feed(&state, &m);
    const cs_gps_fix *f = &state.fix;
    if (f->mode > 0) {
      FUZZ_ASSERT(isfinite(f->lat) && isfinite(f->lon) && fabs(f->lat) <= 90 && fabs(f->lon) <= 180,
                  "fix %g %g", f->lat, f->lon);
      FUZZ_ASSERT(isnan(f->time_unix) || (f->time_unix > 0 && f->time_unix < 1e10), "fix time %g", f->time_unix);
      FUZZ_ASSERT(isnan(f->eph_m) || f->eph_m >= 0, "eph %g", f->eph_m);
    }
  }
  free(text);
  return 0;
}
