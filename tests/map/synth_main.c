/* synth_main.c: `map_synth OUT.jsonl TRUTH.json [SEED]`: the synthetic drive test (synth.c) as
 * JSON Lines for the command-line tests, with its true sites. */
#include <stdio.h>
#include <stdlib.h>

#include "synth.h"

int main(int argc, char **argv) {
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
