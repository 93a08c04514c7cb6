/* gpsfix.h: where the kit is. One interface over three position sources:
 *   gpsd[:HOST:PORT]   a gpsd daemon through libgps (default localhost:2947)
 *   nmea:PATH          NMEA 0183 GGA/RMC sentences from a serial device or a file
 *   fixed:LAT,LON[,ALT] a mast's surveyed position
 * A reader thread keeps the latest fix; cs_gps_get() never blocks and never fails: a lost or
 * stale fix comes back as mode 0 (no fix) so a scan carries on and says so in its records. */
#ifndef CS_GPSFIX_H
#define CS_GPSFIX_H

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"

typedef struct {
  int mode;            /* 0 no fix, 2 2D, 3 3D, -1 fixed (configured) position */
  double lat, lon;     /* degrees (WGS84) */
  double alt;          /* metres above the WGS84 ellipsoid (as docs/records.md), NAN if unknown */
  double eph_m;        /* horizontal error estimate in metres (gpsd eph, or HDOP x 5 m), NAN */
  double hdop;         /* NAN if unknown */
  double time_unix;    /* UTC time of the fix, NAN if unknown */
  int sats;            /* satellites used, -1 unknown */
} cs_gps_fix;

/* ---- NMEA 0183 (one sentence at a time; fed by outside input, so fuzzed) ---- */
typedef struct {
  int has_fix;         /* GGA quality > 0 / RMC status A */
  int is_gga;          /* 1 GGA (has alt, hdop, sats), 0 RMC (has date) */
  double lat, lon, alt, hdop; /* alt: GGA altitude above mean sea level */
  double geoid_sep;    /* GGA geoid separation (ellipsoid minus MSL), NAN if absent */
  int sats;
  int hh, mm;          /* UTC time of day */
  double ss;
  int year, month, day;/* RMC only; 0 otherwise */
} cs_nmea;

/* Parse one sentence ("$GPGGA,...*hh", trailing CR/LF allowed; any talker ID). The checksum is
 * required and checked. CS_ERR_INPUT with a reason for anything else (not GGA/RMC, bad checksum,
 * bad field). */
cs_status cs_nmea_parse(const char *line, cs_nmea *out, cs_err *err);

/* Feeds NMEA sentences one by one and keeps the current fix (RMC gives the date, GGA the
 * altitude). Returns 1 when the sentence completed a new fix epoch. */
typedef struct {
  cs_gps_fix fix;
  int year, month, day;
  double last_tod;     /* time of day (s) of the current epoch */
} cs_nmea_state;
void cs_nmea_state_init(cs_nmea_state *s);
int cs_nmea_state_feed(cs_nmea_state *s, const cs_nmea *m);

/* ---- position sources ---- */
typedef struct cs_gps cs_gps;

/* Open a source from its spec (see above). A gpsd or NMEA source that is not there yet is not an
 * error: the reader retries and reports no fix meanwhile. Bad specs are CS_ERR_INPUT. */
cs_status cs_gps_open(const char *spec, cs_gps **g, cs_err *err);
/* Latest fix, or mode 0 when there is none or it is older than 5 s (fixed: always valid). */
void cs_gps_get(cs_gps *g, cs_gps_fix *fix);
/* One line on the source's health: "gpsd localhost:2947: 3D fix, 7 sats" and the like. */
void cs_gps_health(cs_gps *g, char *buf, unsigned long cap);
void cs_gps_close(cs_gps *g);

/* Copy a fix into a record's position fields (explicit no-fix when mode 0). */
void cs_gps_apply(const cs_gps_fix *fix, cs_cell_record *r);

#endif
