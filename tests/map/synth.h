/* synth.h: a synthetic drive test for the map tests: known sites, a log-distance path-loss model
 * with shadowing, two operators (GSM + LTE), a planted coverage hole, a lawnmower drive with
 * track points, emitted as the JSON Lines records replay/scan produce. */
#ifndef CS_TEST_SYNTH_H
#define CS_TEST_SYNTH_H

#include <stdio.h>

typedef struct {
  const char *mcc, *mnc;
  int lte;             /* 1 LTE, 0 GSM */
  double x, y;         /* local metres east/north of the origin */
  int area, code, channel;
  long long cid;
} synth_site;

#define SYNTH_ORIGIN_LAT 3.02
#define SYNTH_ORIGIN_LON 31.79
#define SYNTH_W 4000.0
#define SYNTH_H 3000.0
/* the planted hole: operator 641-01 LTE is never decoded here (terrain shadow) */
#define SYNTH_HOLE_X0 3200.0
#define SYNTH_HOLE_X1 3900.0
#define SYNTH_HOLE_Y0 2200.0
#define SYNTH_HOLE_Y1 2900.0

extern const synth_site synth_sites[];
extern const int synth_n_sites;

/* local metres -> degrees (UTM round trip around the origin) */
void synth_local_to_ll(double x, double y, double *lat, double *lon);
/* Write the drive test to f; returns the number of lines written. */
int synth_write(FILE *f, unsigned seed);

#endif
