/* test_decim.c: dsp/decim against liquid-dsp's firdecim_crcf with the same Kaiser taps, for the
 * decimation factors the LTE decoder uses, the input pushed in uneven pieces: the same outputs
 * (to float rounding), the same count, and reset starting over. Bad arguments give NULL. */
#include <complex.h>
#include <liquid/liquid.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "decim.h"

#define N 20011

int main(void) {
  static float complex x[N], ref[N], y[N + 1];
  srand(7);
  for (int i = 0; i < N; i++)
    x[i] = (rand() / (float)RAND_MAX - 0.5f) + I * (rand() / (float)RAND_MAX - 0.5f);
  static const unsigned Ds[] = {2, 3, 4, 5, 6, 8, 10, 12, 16};
  for (size_t t = 0; t < sizeof Ds / sizeof *Ds; t++) {
    unsigned D = Ds[t], h_len = 2 * D * 8 + 1;
    float h[2 * 16 * 8 + 1];
    liquid_firdes_kaiser(h_len, 0.5f / D, 60.0f, 0.0f, h);
    firdecim_crcf lq = firdecim_crcf_create(D, h, h_len);
    unsigned groups = N / D;
    firdecim_crcf_execute_block(lq, x, groups, ref);
    firdecim_crcf_destroy(lq);
    decim q = decim_create(D, h, h_len);
    CHECK(q != NULL, "create D=%u", D);
    for (int pass = 0; pass < 2 && q; pass++) { /* the second after a reset */
      size_t got = 0, at = 0, piece = 1;
      while (at < N) {
        size_t m = piece < N - at ? piece : N - at;
        got += decim_execute(q, x + at, m, y + got);
        at += m;
        piece = piece * 7 % 5003 + 1; /* 1, 8, 57, ...: uneven pieces, some below D */
      }
      CHECK_INT((int)got, (int)((N + D - 1) / D));
      double maxerr = 0, maxref = 0;
      for (unsigned i = 0; i < groups; i++) {
        maxerr = fmax(maxerr, cabsf(y[i] - ref[i]));
        maxref = fmax(maxref, cabsf(ref[i]));
      }
      CHECK(maxerr <= 1e-5 * maxref, "D=%u pass %d: max error %.3g of %.3g", D, pass, maxerr, maxref);
      decim_reset(q);
    }
    decim_destroy(q);
  }
  float h1 = 1.0f;
  CHECK(decim_create(0, &h1, 1) == NULL, "D = 0 refused");
  CHECK(decim_create(2, &h1, 0) == NULL, "no taps refused");
  decim q = decim_create(1, &h1, 1); /* D = 1, one tap: the input itself */
  size_t got = q ? decim_execute(q, x, 100, y) : 0;
  CHECK_INT((int)got, 100);
  CHECK(q && y[99] == x[99], "identity");
  decim_destroy(q);
  return check_done();
}
