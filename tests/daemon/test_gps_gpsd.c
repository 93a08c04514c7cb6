/* test_gps_gpsd.c: the gpsd source against a real gpsd fed by gpsfake playing
 * tests/daemon/track.nmea; then gpsd goes away and the source reports no fix without blocking.
 * Skips (77) when gpsfake (Debian package gpsd-clients, with gpsd) is not installed. */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "gpsfix.h"

static int have_gpsfake(void) {
  return system("command -v gpsfake >/dev/null 2>&1 && (command -v gpsd || test -x /usr/sbin/gpsd) >/dev/null 2>&1") == 0;
}

int main(void) {
  if (!have_gpsfake()) {
    printf("SKIP: gpsfake/gpsd not installed (apt-get install gpsd gpsd-clients)\n");
    return 77;
  }
  const char *dir = getenv("CS_DAEMON_TEST_DIR");
  char track[4096], port[16], spec[64];
  snprintf(track, sizeof track, "%s/track.nmea", dir ? dir : "tests/daemon");
  snprintf(port, sizeof port, "%d", 30000 + getpid() % 20000);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 0);
    execlp("gpsfake", "gpsfake", "-q", "-n", "-c", "0.5", "-P", port, track, (char *)NULL);
    _exit(127);
  }
  snprintf(spec, sizeof spec, "gpsd:127.0.0.1:%s", port);
  cs_gps *g;
  cs_err err;
  CHECK_INT(cs_gps_open(spec, &g, &err), CS_OK);
  cs_gps_fix f = {0};
  for (int i = 0; i < 300 && (f.mode < 2 || !isfinite(f.time_unix)); i++) { usleep(100000); cs_gps_get(g, &f); }
  CHECK_INT(f.mode, 3);
  CHECK(f.lat >= 2.3456 - 1e-6 && f.lat <= 2.3486 + 1e-6, "lat %f outside the track", f.lat);
  CHECK(f.lon >= 32.9012 - 1e-6 && f.lon <= 32.9070 + 1e-6, "lon %f outside the track", f.lon);
  CHECK(f.alt >= 1033.0 && f.alt <= 1048.0, "alt %f (ellipsoid: MSL - 17 m) outside the track", f.alt);
  CHECK(isfinite(f.eph_m) && f.eph_m > 0, "eph %f", f.eph_m);
  CHECK(f.time_unix >= 1795867200.0 && f.time_unix < 1795867230.0, "fix time %f", f.time_unix);
  char h[256];
  cs_gps_health(g, h, sizeof h);
  CHECK(strstr(h, "connected, 3D fix") != NULL, "health '%s'", h);

  /* gpsd disappears: within the staleness limit the fix turns into an explicit no-fix, and
   * cs_gps_get never blocks meanwhile */
  kill(-pid, SIGTERM);
  waitpid(pid, NULL, 0);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < 100 && f.mode != 0; i++) { usleep(100000); cs_gps_get(g, &f); }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK_INT(f.mode, 0);
  CHECK(t1.tv_sec - t0.tv_sec < 9, "no-fix took %ld s", (long)(t1.tv_sec - t0.tv_sec));
  cs_cell_record r;
  cs_record_init(&r);
  cs_gps_apply(&f, &r);
  CHECK_INT(r.has_fix, 0);
  cs_gps_close(g);
  return check_done();
}
