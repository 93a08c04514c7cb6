/* test_nmea.c: NMEA 0183 sentence parser, fix state, --gps spec parsing and the NMEA file
 * source (tests/daemon/track.nmea, a 30 s drive at 1 fix/s starting 2.3456 N 32.9012 E). */
#include <unistd.h>

#include "check.h"
#include "gpsfix.h"

static void parse_ok(void) {
  cs_nmea m;
  cs_err err;
  CHECK_INT(cs_nmea_parse("$GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*76\r\n", &m, &err), CS_OK);
  CHECK_INT(m.is_gga, 1);
  CHECK_INT(m.has_fix, 1);
  CHECK_NEAR(m.lat, 2.3456, 1e-7);
  CHECK_NEAR(m.lon, 32.9012, 1e-7);
  CHECK_NEAR(m.alt, 1050.0, 1e-9);
  CHECK_NEAR(m.geoid_sep, -17.0, 1e-9);
  CHECK_NEAR(m.hdop, 0.9, 1e-9);
  CHECK_INT(m.sats, 8);
  CHECK_INT(m.hh, 12);
  /* a textbook example (southern/western hemispheres, GNSS talker) */
  CHECK_INT(cs_nmea_parse("$GNRMC,225446,A,4916.45,S,12311.12,W,000.5,054.7,191194,020.3,E*6B", &m, &err), CS_OK);
  CHECK_INT(m.is_gga, 0);
  CHECK_NEAR(m.lat, -(49 + 16.45 / 60), 1e-9);
  CHECK_NEAR(m.lon, -(123 + 11.12 / 60), 1e-9);
  CHECK_INT(m.year, 2094); /* two-digit year: 20yy */
  CHECK_INT(m.month, 11);
  CHECK_INT(m.day, 19);
  /* no fix: valid sentence, has_fix 0, empty position allowed */
  CHECK_INT(cs_nmea_parse("$GPGGA,120000.00,,,,,0,00,,,M,,M,,*4B", &m, &err), CS_OK);
  CHECK_INT(m.has_fix, 0);
  CHECK_INT(cs_nmea_parse("$GPRMC,120000.00,V,,,,,,,281126,,,N*70", &m, &err), CS_OK);
  CHECK_INT(m.has_fix, 0);
}

static void parse_bad(void) {
  cs_nmea m;
  cs_err err;
  const char *bad[] = {
      "",
      "GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*76",  /* no $ */
      "$GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*77", /* checksum */
      "$GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,",    /* none */
      "$GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*7",  /* short */
      "$GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00*74",      /* not used */
      "$GPGGA,126000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*70", /* minute 60 */
      "$GPGGA,120000.00,0260.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*72", /* 60 minutes of arc */
      "$GPGGA,120000.00,0220.7360,X,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*60", /* hemisphere */
      "$GPGGA,120000.00,02x0.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*3C", /* digits */
      "$GPRMC,120000.00,A,0220.7360,N,03254.0720,E,12.3,45.0,281326,,,A*57",      /* month 13 */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err.msg[0] = '\0';
    CHECK(cs_nmea_parse(bad[i], &m, &err) == CS_ERR_INPUT && err.msg[0], "bad sentence %zu accepted", i);
  }
  /* overlong */
  char big[200];
  memset(big, 'A', sizeof big);
  big[0] = '$';
  big[sizeof big - 1] = '\0';
  CHECK_INT(cs_nmea_parse(big, &m, &err), CS_ERR_INPUT);
}

static void state(void) {
  cs_nmea_state s;
  cs_nmea_state_init(&s);
  cs_nmea m;
  cs_err err;
  CHECK_INT(cs_nmea_parse("$GPGGA,120000.00,0220.7360,N,03254.0720,E,1,08,0.9,1050.0,M,-17.0,M,,*76", &m, &err), CS_OK);
  CHECK_INT(cs_nmea_state_feed(&s, &m), 1);
  CHECK_INT(s.fix.mode, 3);
  CHECK(isnan(s.fix.time_unix), "no date yet, time %f", s.fix.time_unix);
  CHECK_INT(cs_nmea_parse("$GPRMC,120000.00,A,0220.7360,N,03254.0720,E,12.3,45.0,281126,,,A*55", &m, &err), CS_OK);
  CHECK_INT(cs_nmea_state_feed(&s, &m), 0); /* same epoch */
  CHECK_NEAR(s.fix.time_unix, 1795867200.0, 1e-3); /* 2026-11-28T12:00:00Z */
  CHECK_NEAR(s.fix.eph_m, 4.5, 1e-9);
  CHECK_NEAR(s.fix.alt, 1033.0, 1e-9); /* 1050 m MSL + geoid separation -17 m */
  CHECK_INT(cs_nmea_parse("$GPGGA,120000.00,,,,,0,00,,,M,,M,,*4B", &m, &err), CS_OK);
  cs_nmea_state_feed(&s, &m);
  CHECK_INT(s.fix.mode, 0);
}

static void specs(void) {
  cs_gps *g;
  cs_err err;
  cs_gps_fix f;
  CHECK_INT(cs_gps_open("fixed:2.5,32.75,1100", &g, &err), CS_OK);
  cs_gps_get(g, &f);
  CHECK_INT(f.mode, -1);
  CHECK_NEAR(f.lat, 2.5, 1e-12);
  CHECK_NEAR(f.lon, 32.75, 1e-12);
  CHECK_NEAR(f.alt, 1100, 1e-12);
  cs_cell_record r;
  cs_record_init(&r);
  cs_gps_apply(&f, &r);
  CHECK_INT(r.has_fix, 1);
  CHECK_INT(r.fix_mode, -1);
  cs_gps_close(g);
  CHECK_INT(cs_gps_open("fixed:-33.9,18.4", &g, &err), CS_OK);
  cs_gps_get(g, &f);
  CHECK(isnan(f.alt), "alt");
  cs_gps_close(g);
  const char *bad[] = {"fixed:", "fixed:91,0", "fixed:1", "fixed:1,2,3,4", "fixed:1,x", "gpsd:", "gpsd:host:port",
                       "nmea:", "serial:/dev/ttyUSB0", "gps"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    g = NULL;
    CHECK(cs_gps_open(bad[i], &g, &err) == CS_ERR_INPUT && !g, "spec '%s' accepted", bad[i]);
  }
  /* no gpsd there: opens, reports no fix, never blocks */
  CHECK_INT(cs_gps_open("gpsd:127.0.0.1:1", &g, &err), CS_OK);
  cs_gps_get(g, &f);
  CHECK_INT(f.mode, 0);
  char h[256];
  cs_gps_health(g, h, sizeof h);
  CHECK(strstr(h, "not connected") != NULL, "health '%s'", h);
  cs_gps_close(g);
}

static void nmea_file(const char *track) {
  char spec[4200];
  snprintf(spec, sizeof spec, "nmea:%s", track);
  cs_gps *g;
  cs_err err;
  CHECK_INT(cs_gps_open(spec, &g, &err), CS_OK);
  cs_gps_fix f = {0};
  for (int i = 0; i < 50 && f.mode == 0; i++) { usleep(100000); cs_gps_get(g, &f); }
  CHECK_INT(f.mode, 3);
  CHECK(f.lat >= 2.3456 - 1e-6 && f.lat <= 2.3486 + 1e-6, "lat %f outside the track", f.lat);
  CHECK(f.lon >= 32.9012 - 1e-6 && f.lon <= 32.9070 + 1e-6, "lon %f outside the track", f.lon);
  CHECK(f.time_unix >= 1795867200.0 && f.time_unix < 1795867230.0, "fix time %f", f.time_unix);
  double first = f.time_unix;
  usleep(2200000);
  cs_gps_get(g, &f);
  CHECK(f.time_unix >= first + 1.0, "file plays one epoch per second: %f after %f", f.time_unix, first);
  cs_gps_close(g);
}

int main(void) {
  parse_ok();
  parse_bad();
  state();
  specs();
  const char *dir = getenv("CS_DAEMON_TEST_DIR");
  char track[4096];
  snprintf(track, sizeof track, "%s/track.nmea", dir ? dir : "tests/daemon");
  nmea_file(track);
  return check_done();
}
