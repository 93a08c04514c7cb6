/* nmea.c: NMEA 0183 GGA and RMC sentences (NMEA 0183 v4.1 clauses GGA, RMC), one at a time, and
 * the small state machine that turns a stream of them into fixes. Input comes from a serial
 * GPS or a file anyone could have written, so every field is checked and nothing is trusted. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gpsfix.h"

#define NMEA_MAX 82 /* NMEA 0183: at most 82 characters including $ and CR LF */
#define MAX_FIELDS 24

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = toupper(c);
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A number field: digits, one optional dot, optional leading sign; empty gives 0 with *present
 * = 0. Returns 0 on a malformed field. */
static int num_field(const char *f, double *v, int *present) {
  *present = 0;
  *v = 0.0;
  if (!*f) return 1;
  const char *p = f;
  if (*p == '-' || *p == '+') p++;
  int digits = 0, dots = 0;
  for (; *p; p++) {
    if (isdigit((unsigned char)*p)) digits++;
    else if (*p == '.' && !dots) dots++;
    else return 0;
  }
  if (!digits) return 0;
  *v = strtod(f, NULL);
  *present = isfinite(*v);
  return *present;
}

/* hhmmss(.sss) */
static int time_field(const char *f, int *hh, int *mm, double *ss) {
  if (strlen(f) < 6) return 0;
  for (int i = 0; i < 6; i++)
    if (!isdigit((unsigned char)f[i])) return 0;
  double s;
  int present;
  if (!num_field(f + 4, &s, &present)) return 0;
  *hh = (f[0] - '0') * 10 + (f[1] - '0');
  *mm = (f[2] - '0') * 10 + (f[3] - '0');
  *ss = s;
  return *hh < 24 && *mm < 60 && s < 61.0;
}

/* (d)ddmm.mmmm plus hemisphere -> signed degrees */
static int coord_field(const char *f, const char *hemi, int lon, double *deg) {
  double v;
  int present;
  if (!num_field(f, &v, &present) || !present || v < 0) return 0;
  double d = floor(v / 100.0), m = v - d * 100.0;
  if (m >= 60.0) return 0;
  d += m / 60.0;
  if (d > (lon ? 180.0 : 90.0)) return 0;
  if (!strcmp(hemi, lon ? "W" : "S")) d = -d;
  else if (strcmp(hemi, lon ? "E" : "N")) return 0;
  *deg = d;
  return 1;
}

cs_status cs_nmea_parse(const char *line, cs_nmea *out, cs_err *err) {
  memset(out, 0, sizeof *out);
  out->alt = out->hdop = out->geoid_sep = NAN;
  out->sats = -1;
  size_t len = strlen(line);
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
  if (len < 10 || len > NMEA_MAX - 2) return cs_fail(err, CS_ERR_INPUT, "NMEA: sentence length %zu out of range", len);
  if (line[0] != '$') return cs_fail(err, CS_ERR_INPUT, "NMEA: sentence does not start with '$'");
  const char *star = memchr(line, '*', len);
  if (!star || star + 3 != line + len) return cs_fail(err, CS_ERR_INPUT, "NMEA: missing checksum");
  unsigned sum = 0;
  for (const char *p = line + 1; p < star; p++) {
    if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) return cs_fail(err, CS_ERR_INPUT, "NMEA: non-printable character");
    sum ^= (unsigned char)*p;
  }
  int h1 = hexval(star[1]), h2 = hexval(star[2]);
  if (h1 < 0 || h2 < 0) return cs_fail(err, CS_ERR_INPUT, "NMEA: malformed checksum");
  if ((unsigned)(h1 * 16 + h2) != sum)
    return cs_fail(err, CS_ERR_INPUT, "NMEA: checksum %02X, computed %02X", (unsigned)(h1 * 16 + h2), sum);

  char buf[NMEA_MAX];
  size_t body = (size_t)(star - line) - 1;
  memcpy(buf, line + 1, body);
  buf[body] = '\0';
  char *f[MAX_FIELDS];
  int nf = 0;
  for (char *p = buf;;) {
    if (nf == MAX_FIELDS) return cs_fail(err, CS_ERR_INPUT, "NMEA: too many fields");
    f[nf++] = p;
    char *c = strchr(p, ',');
    if (!c) break;
    *c = '\0';
    p = c + 1;
  }
  if (strlen(f[0]) != 5) return cs_fail(err, CS_ERR_INPUT, "NMEA: bad address field '%s'", f[0]);
  const char *type = f[0] + 2; /* skip the talker ID (GP, GN, GL, GA, ...) */
  double v;
  int present;
  if (!strcmp(type, "GGA")) {
    /* GGA: time, lat, N/S, lon, E/W, quality, sats, hdop, alt, M, geoid sep, M, age, station */
    if (nf < 12) return cs_fail(err, CS_ERR_INPUT, "NMEA: GGA has %d fields, want 14", nf - 1);
    out->is_gga = 1;
    if (!time_field(f[1], &out->hh, &out->mm, &out->ss)) return cs_fail(err, CS_ERR_INPUT, "NMEA: GGA bad time '%s'", f[1]);
    if (!num_field(f[6], &v, &present) || !present || v < 0 || v > 9) return cs_fail(err, CS_ERR_INPUT, "NMEA: GGA bad fix quality '%s'", f[6]);
    out->has_fix = v > 0;
    if (num_field(f[7], &v, &present) && present && v >= 0 && v < 100) out->sats = (int)v;
    if (num_field(f[8], &v, &present) && present && v > 0) out->hdop = v;
    if (num_field(f[9], &v, &present) && present && fabs(v) < 100000.0) out->alt = v;
    if (num_field(f[11], &v, &present) && present && fabs(v) < 1000.0) out->geoid_sep = v;
    if (out->has_fix) {
      if (!coord_field(f[2], f[3], 0, &out->lat) || !coord_field(f[4], f[5], 1, &out->lon))
        return cs_fail(err, CS_ERR_INPUT, "NMEA: GGA bad position");
    }
    return CS_OK;
  }
  if (!strcmp(type, "RMC")) {
    /* RMC: time, status, lat, N/S, lon, E/W, speed, course, date ddmmyy, magvar, E/W[, mode] */
    if (nf < 10) return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC has %d fields, want 11 or more", nf - 1);
    if (!time_field(f[1], &out->hh, &out->mm, &out->ss)) return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad time '%s'", f[1]);
    if (strcmp(f[2], "A") && strcmp(f[2], "V")) return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad status '%s'", f[2]);
    out->has_fix = f[2][0] == 'A';
    const char *d = f[9];
    if (strlen(d) == 6) {
      for (int i = 0; i < 6; i++)
        if (!isdigit((unsigned char)d[i])) return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad date '%s'", d);
      out->day = (d[0] - '0') * 10 + (d[1] - '0');
      out->month = (d[2] - '0') * 10 + (d[3] - '0');
      out->year = 2000 + (d[4] - '0') * 10 + (d[5] - '0');
      if (out->day < 1 || out->day > 31 || out->month < 1 || out->month > 12)
        return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad date '%s'", d);
    } else if (*d) return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad date '%s'", d);
    if (out->has_fix) {
      if (!coord_field(f[3], f[4], 0, &out->lat) || !coord_field(f[5], f[6], 1, &out->lon))
        return cs_fail(err, CS_ERR_INPUT, "NMEA: RMC bad position");
    }
    return CS_OK;
  }
  return cs_fail(err, CS_ERR_INPUT, "NMEA: sentence %s not used", f[0]);
}

void cs_nmea_state_init(cs_nmea_state *s) {
  memset(s, 0, sizeof *s);
  s->fix.mode = 0;
  s->fix.lat = s->fix.lon = s->fix.alt = s->fix.eph_m = s->fix.hdop = s->fix.time_unix = NAN;
  s->fix.sats = -1;
  s->last_tod = -1.0;
}

int cs_nmea_state_feed(cs_nmea_state *s, const cs_nmea *m) {
  double tod = m->hh * 3600.0 + m->mm * 60.0 + m->ss;
  int new_epoch = tod != s->last_tod;
  s->last_tod = tod;
  if (m->year) { s->year = m->year; s->month = m->month; s->day = m->day; }
  if (!m->has_fix) {
    s->fix.mode = 0;
  } else {
    s->fix.lat = m->lat;
    s->fix.lon = m->lon;
    if (m->is_gga) {
      /* records carry height above the ellipsoid: MSL altitude plus the geoid separation */
      s->fix.alt = isfinite(m->geoid_sep) ? m->alt + m->geoid_sep : m->alt;
      s->fix.hdop = m->hdop;
      s->fix.sats = m->sats;
      /* HDOP times a typical 5 m user equivalent range error */
      s->fix.eph_m = isfinite(m->hdop) ? m->hdop * 5.0 : NAN;
      s->fix.mode = isfinite(m->alt) ? 3 : 2;
    } else if (s->fix.mode == 0) {
      s->fix.mode = 2;
    }
  }
  if (s->year) {
    struct tm t = {0};
    t.tm_year = s->year - 1900;
    t.tm_mon = s->month - 1;
    t.tm_mday = s->day;
    s->fix.time_unix = (double)timegm(&t) + tod;
  }
  return new_epoch;
}
