/* layer_map.c: QPSK and single-port / transmit-diversity precoding (TS 36.211 7.1.2, 6.3.3,
 * 6.3.4). */
#include "lte/layer_map.h"

#include <math.h>

void lte_qpsk_mod(const uint8_t *bits, unsigned n, float complex *d) {
  const float a = (float)M_SQRT1_2;
  for (unsigned i = 0; i < n; i++) d[i] = (bits[2 * i] ? -a : a) + I * (bits[2 * i + 1] ? -a : a);
}

void lte_layer_map_precode(const float complex *d, unsigned n, int ports, float complex *const *y) {
  if (ports <= 1) {
    for (unsigned i = 0; i < n; i++) y[0][i] = d[i];
    return;
  }
  const float s = (float)M_SQRT1_2;
  for (int p = 0; p < ports; p++)
    for (unsigned i = 0; i < n; i++) y[p][i] = 0;
  /* 6.3.4.3: y_a(2m) = x0, y_b(2m) = -x1*, y_a(2m+1) = x1, y_b(2m+1) = x0*, all / sqrt 2 */
  for (unsigned m = 0; 2 * m + 1 < n; m++) {
    int pa = 0, pb = 1;
    if (ports == 4) {
      pa = (m & 1) ? 1 : 0;
      pb = (m & 1) ? 3 : 2;
    }
    float complex x0 = d[2 * m], x1 = d[2 * m + 1];
    y[pa][2 * m] = s * x0;
    y[pb][2 * m] = -s * conjf(x1);
    y[pa][2 * m + 1] = s * x1;
    y[pb][2 * m + 1] = s * conjf(x0);
  }
}
