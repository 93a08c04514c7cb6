/* synth.c: the synthetic drive test (synth.h). */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "utm.h"

const synth_site synth_sites[] = {
    /* operator A: LTE 641-01, three sites; the hole lies at the north-east corner */
    {"641", "01", 1, 800, 700, 1201, 101, 1650, 0x1A2B01},
    {"641", "01", 1, 3000, 800, 1201, 102, 1650, 0x1A2C01},
    {"641", "01", 1, 1700, 2400, 1202, 103, 1650, 0x1A2D01},
    /* operator B: GSM 641-10 on two sites, LTE 641-10 on two */
    {"641", "10", 0, 2000, 1300, 3301, 21, 62, 10101},
    {"641", "10", 0, 3300, 2300, 3301, 34, 70, 10202},
    {"641", "10", 1, 2000, 1300, 3302, 201, 3350, 0x2B0011},
    {"641", "10", 1, 600, 2500, 3302, 202, 3350, 0x2B0021},
};
const int synth_n_sites = sizeof synth_sites / sizeof *synth_sites;

static double urand(unsigned *s) { *s = *s * 1103515245u + 12345u; return ((*s >> 8) & 0xffffff) / 16777216.0; }
static double nrand(unsigned *s) {
  double u = urand(s) + 1e-12, v = urand(s);
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

void synth_local_to_ll(double x, double y, double *lat, double *lon) {
  cs_utm_zone z = cs_utm_zone_for(SYNTH_ORIGIN_LAT, SYNTH_ORIGIN_LON);
  double e0, n0;
  cs_utm_forward(z, SYNTH_ORIGIN_LAT, SYNTH_ORIGIN_LON, &e0, &n0);
  cs_utm_inverse(z, e0 + x, n0 + y, lat, lon);
}

/* spatially correlated shadowing (3 dB rms): a few plane waves of 300-700 m wavelength per site */
static double shadow(int site, double x, double y) {
  double v = 0;
  for (int k = 0; k < 6; k++) {
    double a = 1.7 * k + 0.9 * site, lam = 300 + 80 * ((k * 7 + site * 3) % 6);
    v += sin(2 * M_PI * (x * cos(a) + y * sin(a)) / lam + site * 1.3 + k);
  }
  return 3.0 * v / sqrt(3.0);
}

static void time_str(double t, char *buf, size_t cap) {
  int s = (int)t % 86400;
  snprintf(buf, cap, "2026-11-20T%02d:%02d:%02dZ", (8 + s / 3600) % 24, (s / 60) % 60, s % 60);
}

static int emit(FILE *f, double t, double x, double y, unsigned *seed) {
  double lat, lon;
  char ts[32];
  int lines = 0;
  synth_local_to_ll(x, y, &lat, &lon);
  time_str(t, ts, sizeof ts);
  fprintf(f, "{\"time\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,\"alt\":1150.0}\n", ts, lat, lon);
  lines++;
  double lv[16];
  for (int i = 0; i < synth_n_sites; i++) {
    const synth_site *s = &synth_sites[i];
    double d = hypot(hypot(x - s->x, y - s->y), 30.0);
    double p0 = s->lte ? 15.0 : 30.0, n = 3.5;
    lv[i] = p0 - 10 * n * log10(d) + shadow(i, x, y) + 5.0 * nrand(seed);
    int in_hole = x >= SYNTH_HOLE_X0 && x <= SYNTH_HOLE_X1 && y >= SYNTH_HOLE_Y0 && y <= SYNTH_HOLE_Y1;
    if (in_hole && s->lte && !strcmp(s->mnc, "01")) lv[i] -= 45.0;
  }
  for (int i = 0; i < synth_n_sites; i++) {
    const synth_site *s = &synth_sites[i];
    /* a scanner decodes the strongest cell of an operator+RAT nearly always, others now and then */
    int strongest = 1;
    for (int j = 0; j < synth_n_sites; j++)
      if (j != i && synth_sites[j].lte == s->lte && !strcmp(synth_sites[j].mnc, s->mnc) && lv[j] > lv[i]) strongest = 0;
    if (urand(seed) > (strongest ? 0.9 : 0.15)) continue;
    double level = lv[i];
    if (level < (s->lte ? -124.0 : -106.0)) continue; /* below decoder sensitivity */
    if (s->lte)
      fprintf(f, "{\"time\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,\"alt\":1150.0,\"rat\":\"lte\",\"band\":\"3\","
                 "\"earfcn\":%d,\"mcc\":\"%s\",\"mnc\":\"%s\",\"pci\":%d,\"n_prb\":50,\"tac\":%d,"
                 "\"cell_identity\":%lld,\"plmns\":[\"%s-%s\"],\"rsrp_dbm\":%.2f,\"rsrq_db\":%.2f,"
                 "\"sinr_db\":%.2f,\"calibrated\":true,\"device\":\"synth\",\"source\":\"synth\"}\n",
              ts, lat, lon, s->channel, s->mcc, s->mnc, s->code, s->area, s->cid, s->mcc, s->mnc, level,
              -10.5 + 0.5 * nrand(seed), 12.0 + 3 * nrand(seed));
    else
      fprintf(f, "{\"time\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,\"alt\":1150.0,\"rat\":\"gsm\",\"band\":\"GSM900\","
                 "\"arfcn\":%d,\"mcc\":\"%s\",\"mnc\":\"%s\",\"bsic\":%d,\"lac\":%d,\"cell_id\":%lld,"
                 "\"power_dbm\":%.2f,\"calibrated\":true,\"device\":\"synth\",\"source\":\"synth\"}\n",
              ts, lat, lon, s->channel, s->mcc, s->mnc, s->code, s->area, s->cid, level);
    lines++;
  }
  return lines;
}

int synth_write(FILE *f, unsigned seed) {
  int lines = 0;
  double t = 0;
  /* east-west passes every 150 m, then north-south passes every 400 m; a position every 25 m */
  for (int r = 0; r * 150.0 <= SYNTH_H; r++)
    for (int k = 0; k * 25.0 <= SYNTH_W; k++, t += 2) {
      double x = (r % 2) ? SYNTH_W - k * 25.0 : k * 25.0;
      lines += emit(f, t, x, r * 150.0, &seed);
    }
  for (int c = 0; c * 400.0 <= SYNTH_W; c++)
    for (int k = 0; k * 25.0 <= SYNTH_H; k++, t += 2) lines += emit(f, t, c * 400.0, k * 25.0, &seed);
  /* a far cell heard at three spots only: too few places for a site estimate */
  for (int k = 0; k < 3; k++, t += 2) {
    double lat, lon;
    char ts[32];
    synth_local_to_ll(100 + k * 5.0, 100, &lat, &lon);
    time_str(t, ts, sizeof ts);
    fprintf(f, "{\"time\":\"%s\",\"lat\":%.7f,\"lon\":%.7f,\"rat\":\"gsm\",\"band\":\"GSM900\",\"arfcn\":80,"
               "\"mcc\":\"641\",\"mnc\":\"10\",\"bsic\":7,\"lac\":3399,\"cell_id\":999,\"power_dbm\":-103.5,"
               "\"calibrated\":true}\n", ts, lat, lon);
    lines++;
  }
  return lines;
}
