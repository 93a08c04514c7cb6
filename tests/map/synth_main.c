/* synth_main.c: `map_synth OUT.jsonl TRUTH.json [SEED]`: the synthetic drive test (synth.c) as
 * JSON Lines for the command-line tests, with its true sites. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "synth.h"

/* `map_synth --spectrum DB`: channel power rows as a scan at the origin would store them: the
 * GSM900 downlink with the two synthetic BCCH carriers and the LTE band 3 carriers. */
static int spectrum(const char *db) {
  cs_store *s;
  cs_err err;
  if (cs_store_open(db, &s, &err) || cs_store_begin_session(s, "scan", 1795161600.0, "synth", "synthetic spectrum", NULL, &err)) {
    fprintf(stderr, "map_synth: %s\n", err.msg);
    return 1;
  }
  cs_cell_record w;
  cs_record_init(&w);
  w.time_unix = 1795161600.0;
  w.has_fix = 1;
  w.lat = SYNTH_ORIGIN_LAT;
  w.lon = SYNTH_ORIGIN_LON;
  w.alt = 1150;
  cs_channel rows[124];
  for (int a = 1; a <= 124; a++) {
    cs_channel *c = &rows[a - 1];
    memset(c, 0, sizeof *c);
    c->rat = CS_RAT_GSM;
    strcpy(c->band, "GSM900");
    c->channel = a;
    c->freq_hz = 935.0e6 + 0.2e6 * a;
    c->bandwidth_hz = 200e3;
    c->n_prb = -1;
    c->noise_dbfs = -78.0 + 0.3 * sin(a);
    c->occupied = a == 62 || a == 70 || a == 80;
    c->power_dbfs = c->occupied ? (a == 80 ? -61.0 : -32.0 - 0.2 * a) : c->noise_dbfs + 1.0 + 0.5 * cos(3.0 * a);
  }
  cs_channel lte[2];
  memset(lte, 0, sizeof lte);
  for (int i = 0; i < 2; i++) {
    lte[i].rat = CS_RAT_LTE;
    strcpy(lte[i].band, "3");
    lte[i].channel = i ? 1650 : 1500;
    lte[i].freq_hz = 1805e6 + 0.1e6 * (lte[i].channel - 1200);
    lte[i].bandwidth_hz = 10e6;
    lte[i].n_prb = 50;
    lte[i].power_dbfs = i ? -38.0 : -61.0;
    lte[i].noise_dbfs = -66.0;
    lte[i].occupied = 1;
  }
  if (cs_store_add_spectrum(s, &w, rows, 124, &err) || cs_store_add_spectrum(s, &w, lte, 2, &err) ||
      cs_store_end_session(s, 1795161660.0, &err) || cs_store_close(s, &err)) {
    fprintf(stderr, "map_synth: %s\n", err.msg);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--spectrum")) return spectrum(argv[2]);
  if (argc < 3) { fprintf(stderr, "usage: map_synth OUT.jsonl TRUTH.json [SEED]\n"); return 2; }
  FILE *f = fopen(argv[1], "w"), *t = fopen(argv[2], "w");
  if (!f || !t) { perror("map_synth"); return 1; }
  int lines = synth_write(f, argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 12345u);
  fprintf(t, "{\"sites\":[");
  for (int i = 0; i < synth_n_sites; i++) {
    const synth_site *s = &synth_sites[i];
    double lat, lon;
    synth_local_to_ll(s->x, s->y, &lat, &lon);
    fprintf(t, "%s{\"mcc\":\"%s\",\"mnc\":\"%s\",\"rat\":\"%s\",\"area\":%d,\"cid\":%lld,\"lat\":%.7f,\"lon\":%.7f}",
            i ? "," : "", s->mcc, s->mnc, s->lte ? "lte" : "gsm", s->area, s->cid, lat, lon);
  }
  double la0, lo0, la1, lo1;
  synth_local_to_ll(SYNTH_HOLE_X0, SYNTH_HOLE_Y0, &la0, &lo0);
  synth_local_to_ll(SYNTH_HOLE_X1, SYNTH_HOLE_Y1, &la1, &lo1);
  fprintf(t, "],\"hole\":{\"operator\":\"641-01\",\"rat\":\"lte\",\"lat0\":%.7f,\"lon0\":%.7f,\"lat1\":%.7f,\"lon1\":%.7f},"
             "\"lines\":%d}\n", la0, lo0, la1, lo1, lines);
  fclose(f);
  fclose(t);
  return 0;
}
