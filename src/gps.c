/* gps.c: position sources (gpsd through libgps, NMEA from a serial device or file, a fixed mast
 * position) behind one non-blocking "latest fix" interface; see gps.h. */
#include "gpsfix.h"
#include "cellsurvey/clock.h"
#include "dl.h"

#include <errno.h>
#include <fcntl.h>
#include <gps.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STALE_S 5.0

typedef enum { SRC_FIXED, SRC_GPSD, SRC_NMEA } src_kind;

struct cs_gps {
  src_kind kind;
  char host[256], port[16];
  char path[4096];
  int baud;
  pthread_t thread;
  int running;
  volatile int stop;
  pthread_mutex_t lock;
  cs_gps_fix fix;        /* guarded by lock */
  double updated;        /* monotonic seconds of the last fix update */
  int connected;         /* gpsd connected / NMEA device open */
  int at_eof;            /* NMEA file fully played: its last fix stays valid */
  unsigned long sentences, bad_sentences;
};

static void fix_none(cs_gps_fix *f) {
  f->mode = 0;
  f->lat = f->lon = f->alt = f->eph_m = f->hdop = f->time_unix = NAN;
  f->sats = -1;
}

static void publish(cs_gps *g, const cs_gps_fix *f) {
  pthread_mutex_lock(&g->lock);
  g->fix = *f;
  g->updated = cs_clock_s(CLOCK_MONOTONIC);
  pthread_mutex_unlock(&g->lock);
}

static void set_connected(cs_gps *g, int c) {
  pthread_mutex_lock(&g->lock);
  g->connected = c;
  pthread_mutex_unlock(&g->lock);
}

static void nap(cs_gps *g, double s) {
  for (double t = 0; t < s && !g->stop; t += 0.1) usleep(100000);
}

/* ---- gpsd ---- */
/* libgps, opened when a gpsd source is (dl.h) */
#define GPS_FUNCTIONS(X) X(gps_open) X(gps_stream) X(gps_waiting) X(gps_read) X(gps_close)
static CS_DL_TYPE(gps_api, GPS_FUNCTIONS) gps_api;
static CS_DL_NAMES(gps_api, GPS_FUNCTIONS);

static void *gpsd_thread(void *arg) {
  cs_gps *g = arg;
  /* a write to a gpsd that went away must fail with EPIPE, not kill the process */
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, NULL);
  while (!g->stop) {
    struct gps_data_t d;
    memset(&d, 0, sizeof d);
    if (gps_api.gps_open(g->host, g->port, &d) != 0) { nap(g, 1.0); continue; }
    gps_api.gps_stream(&d, WATCH_ENABLE | WATCH_JSON, NULL);
    set_connected(g, 1);
    int broken = 0;
    while (!g->stop) {
      if (!gps_api.gps_waiting(&d, 200000)) {
        if (errno && errno != EINTR && errno != EAGAIN && errno != ETIMEDOUT) { errno = 0; }
        continue;
      }
      if (gps_api.gps_read(&d, NULL, 0) < 0) { broken = 1; break; } /* gpsd went away: reconnect */
      if (!(d.set & (MODE_SET | LATLON_SET))) continue;
      cs_gps_fix f;
      fix_none(&f);
      if (d.fix.mode >= MODE_2D && isfinite(d.fix.latitude) && isfinite(d.fix.longitude)) {
        f.mode = d.fix.mode >= MODE_3D ? 3 : 2;
        f.lat = d.fix.latitude;
        f.lon = d.fix.longitude;
        f.alt = f.mode == 3 && isfinite(d.fix.altHAE) ? d.fix.altHAE : NAN; /* ellipsoid */
        f.eph_m = isfinite(d.fix.eph) ? d.fix.eph : NAN;
        f.hdop = isfinite(d.dop.hdop) ? d.dop.hdop : NAN;
        if (!isfinite(f.eph_m) && isfinite(f.hdop)) f.eph_m = f.hdop * 5.0;
        f.time_unix = d.fix.time.tv_sec ? d.fix.time.tv_sec + d.fix.time.tv_nsec * 1e-9 : NAN;
        f.sats = d.satellites_used;
      }
      publish(g, &f);
    }
    if (!broken) gps_api.gps_stream(&d, WATCH_DISABLE, NULL);
    gps_api.gps_close(&d);
    set_connected(g, 0);
  }
  return NULL;
}

/* ---- NMEA ---- */
static speed_t baud_const(int b) {
  switch (b) {
  case 4800: return B4800;
  case 19200: return B19200;
  case 38400: return B38400;
  case 57600: return B57600;
  case 115200: return B115200;
  default: return B9600;
  }
}

static void *nmea_thread(void *arg) {
  cs_gps *g = arg;
  while (!g->stop) {
    int fd = open(g->path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) { nap(g, 1.0); continue; }
    struct stat sb;
    int regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    if (isatty(fd)) {
      struct termios t;
      if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, baud_const(g->baud));
        cfsetospeed(&t, baud_const(g->baud));
        t.c_cflag |= CLOCAL | CREAD;
        tcsetattr(fd, TCSANOW, &t);
      }
    }
    set_connected(g, 1);
    cs_nmea_state st;
    cs_nmea_state_init(&st);
    char line[256];
    size_t len = 0;
    int overlong = 0;
    while (!g->stop) {
      char c;
      ssize_t r = read(fd, &c, 1);
      if (r == 0) {
        if (regular) { /* a track file is over: keep its last fix */
          publish(g, &st.fix);
          pthread_mutex_lock(&g->lock);
          g->at_eof = 1;
          pthread_mutex_unlock(&g->lock);
          while (!g->stop) nap(g, 0.2);
        }
        break; /* a pipe or device closed: reopen */
      }
      if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) {
          struct pollfd p = {fd, POLLIN, 0};
          poll(&p, 1, 200);
          continue;
        }
        break;
      }
      if (c != '\n') {
        if (len < sizeof line - 1) line[len++] = c;
        else overlong = 1;
        continue;
      }
      line[len] = '\0';
      int was_overlong = overlong;
      len = 0;
      overlong = 0;
      if (was_overlong || line[0] != '$') continue;
      cs_nmea m;
      cs_err err;
      g->sentences++;
      if (cs_nmea_parse(line, &m, &err)) {
        g->bad_sentences += !strstr(err.msg, "not used");
        continue;
      }
      /* a file plays back one complete fix epoch (its GGA and RMC) per second, like the receiver
       * that recorded it; a device's fixes are published as they come */
      double tod = m.hh * 3600.0 + m.mm * 60.0 + m.ss;
      if (regular && st.last_tod >= 0 && tod != st.last_tod) {
        publish(g, &st.fix);
        nap(g, 1.0);
      }
      cs_nmea_state_feed(&st, &m);
      if (!regular) publish(g, &st.fix);
    }
    close(fd);
    set_connected(g, 0);
  }
  return NULL;
}

static cs_status parse_fixed(const char *s, cs_gps_fix *f, cs_err *err) {
  fix_none(f);
  double v[3] = {NAN, NAN, NAN};
  int n = 0;
  const char *p = s;
  while (n < 3) {
    char *end;
    errno = 0;
    v[n] = strtod(p, &end);
    if (end == p || errno || !isfinite(v[n])) break;
    n++;
    p = end;
    if (*p != ',') break;
    p++;
  }
  if (n < 2 || *p || fabs(v[0]) > 90.0 || fabs(v[1]) > 180.0)
    return cs_fail(err, CS_ERR_INPUT, "--gps fixed:%s: want LAT,LON[,ALT] in degrees (and metres)", s);
  f->mode = -1;
  f->lat = v[0];
  f->lon = v[1];
  f->alt = n == 3 ? v[2] : NAN;
  f->eph_m = 0.0;
  return CS_OK;
}

cs_status cs_gps_open(const char *spec, cs_gps **out, cs_err *err) {
  *out = NULL;
  cs_gps *g = calloc(1, sizeof *g);
  if (!g) return cs_fail(err, CS_ERR_ENV, "out of memory");
  pthread_mutex_init(&g->lock, NULL);
  fix_none(&g->fix);
  cs_status st = CS_OK;
  if (!strncmp(spec, "fixed:", 6)) {
    g->kind = SRC_FIXED;
    st = parse_fixed(spec + 6, &g->fix, err);
  } else if (!strcmp(spec, "gpsd") || !strncmp(spec, "gpsd:", 5)) {
    g->kind = SRC_GPSD;
    st = CS_DL_OPEN(gps_api, CS_GPS_SONAME, "reading gpsd", err);
    snprintf(g->host, sizeof g->host, "localhost");
    snprintf(g->port, sizeof g->port, "%s", DEFAULT_GPSD_PORT);
    if (!st && spec[4] == ':') {
      const char *h = spec + 5, *colon = strrchr(h, ':');
      size_t hl = colon ? (size_t)(colon - h) : strlen(h);
      if (hl == 0 || hl >= sizeof g->host || (colon && (!colon[1] || strlen(colon + 1) >= sizeof g->port ||
                                                         strspn(colon + 1, "0123456789") != strlen(colon + 1))))
        st = cs_fail(err, CS_ERR_INPUT, "--gps %s: want gpsd[:HOST:PORT]", spec);
      else {
        memcpy(g->host, h, hl);
        g->host[hl] = '\0';
        if (colon) snprintf(g->port, sizeof g->port, "%s", colon + 1);
      }
    }
  } else if (!strncmp(spec, "nmea:", 5) && spec[5]) {
    g->kind = SRC_NMEA;
    g->baud = 9600;
    snprintf(g->path, sizeof g->path, "%s", spec + 5);
    char *at = strrchr(g->path, '@');
    if (at && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1)) {
      g->baud = atoi(at + 1);
      *at = '\0';
    }
  } else {
    st = cs_fail(err, CS_ERR_INPUT, "--gps %s: want gpsd[:HOST:PORT], nmea:PATH[@BAUD] or fixed:LAT,LON[,ALT]", spec);
  }
  if (!st && g->kind != SRC_FIXED) {
    if (pthread_create(&g->thread, NULL, g->kind == SRC_GPSD ? gpsd_thread : nmea_thread, g))
      st = cs_fail(err, CS_ERR_ENV, "cannot start the GPS reader thread");
    else g->running = 1;
  }
  if (st) { cs_gps_close(g); return st; }
  *out = g;
  return CS_OK;
}

void cs_gps_get(cs_gps *g, cs_gps_fix *fix) {
  if (!g) { fix_none(fix); return; }
  pthread_mutex_lock(&g->lock);
  *fix = g->fix;
  if (g->kind != SRC_FIXED && !g->at_eof && cs_clock_s(CLOCK_MONOTONIC) - g->updated > STALE_S) fix_none(fix);
  pthread_mutex_unlock(&g->lock);
}

void cs_gps_health(cs_gps *g, char *buf, unsigned long cap) {
  if (!g) { snprintf(buf, cap, "none"); return; }
  cs_gps_fix f;
  cs_gps_get(g, &f);
  pthread_mutex_lock(&g->lock);
  int conn = g->connected;
  pthread_mutex_unlock(&g->lock);
  const char *fix = f.mode == -1 ? "fixed position" : f.mode == 3 ? "3D fix" : f.mode == 2 ? "2D fix" : "no fix";
  switch (g->kind) {
  case SRC_FIXED: snprintf(buf, cap, "fixed %.6f,%.6f", f.lat, f.lon); break;
  case SRC_GPSD:
    snprintf(buf, cap, "gpsd %s:%s: %s, %s", g->host, g->port, conn ? "connected" : "not connected", fix);
    break;
  case SRC_NMEA:
    snprintf(buf, cap, "nmea %s: %s, %s, %lu bad sentences", g->path, conn ? "open" : "not open", fix, g->bad_sentences);
    break;
  }
}

void cs_gps_close(cs_gps *g) {
  if (!g) return;
  g->stop = 1;
  if (g->running) pthread_join(g->thread, NULL);
  pthread_mutex_destroy(&g->lock);
  free(g);
}

void cs_gps_apply(const cs_gps_fix *f, cs_cell_record *r) {
  if (f->mode == 0) {
    r->has_fix = 0;
    r->fix_mode = 0;
    r->lat = r->lon = r->alt = r->eph_m = NAN;
    return;
  }
  r->has_fix = 1;
  r->fix_mode = f->mode;
  r->lat = f->lat;
  r->lon = f->lon;
  r->alt = f->alt;
  r->eph_m = f->eph_m;
}
