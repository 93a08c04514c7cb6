/* bench/lte_sib1.c: cost of the SIB1 receiver's hot spots (run on demand): one turbo decode of
 * the largest SI code block (K = 2240, 8 iterations, no early stop) and one SIB1 subframe through
 * lte_sib1_rx with nothing to find (PCFICH, PDCCH search over every CFI) for 6..100 PRB.
 * Prints CPU microseconds per call. */
#include <complex.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fec/turbo.h"
#include "lte/sib1_rx.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); /* CPU time: the machine is shared */
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(void) {
  unsigned k = 2240;
  turbo t = turbo_create(k);
  float *d = malloc(3 * (k + 4) * sizeof *d);
  uint8_t *out = malloc(k);
  srand(1);
  for (unsigned i = 0; i < 3 * (k + 4); i++) d[i] = (float)(rand() % 200 - 100) / 25.0f;
  int reps = 20;
  double t0 = now();
  for (int r = 0; r < reps; r++) turbo_decode(t, d, d + k + 4, d + 2 * (k + 4), k, 8, NULL, NULL, out);
  printf("turbo K=%u, 8 iterations: %.0f us CPU\n", k, 1e6 * (now() - t0) / reps);
  turbo_destroy(t);
  free(d);
  free(out);

  static const int bws[] = {6, 25, 50, 100};
  for (int b = 0; b < 4; b++) {
    lte_cell c = {.pci = 1, .n_prb = bws[b], .ports = 2, .ng = LTE_PHICH_NG_1};
    lte_sib1_rx rx = lte_sib1_rx_create(&c);
    size_t n = 14 * 12 * (size_t)bws[b];
    lte_subframe_grid g = {.n_prb = bws[b], .n_symb = 14, .subframe = 5, .noise_var = 1};
    g.re = malloc(n * sizeof *g.re);
    g.h[0] = malloc(n * sizeof *g.re);
    g.h[1] = malloc(n * sizeof *g.re);
    for (size_t i = 0; i < n; i++) {
      g.re[i] = (float)(rand() % 200 - 100) / 100.0f + I * (float)(rand() % 200 - 100) / 100.0f;
      g.h[0][i] = 1;
      g.h[1][i] = I;
    }
    t0 = now();
    for (int r = 0; r < reps; r++) {
      g.sfn = 2 * r;
      lte_sib1_rx_execute(rx, &g);
    }
    printf("sib1_rx %3d PRB, empty SIB1 subframe: %.0f us CPU\n", bws[b], 1e6 * (now() - t0) / reps);
    free(g.re);
    free(g.h[0]);
    free(g.h[1]);
    lte_sib1_rx_destroy(rx);
  }
  return 0;
}
