/* gsm_rxlev.h: RXLEV from a calibrated received level, TS 45.008 8.1.4. */
#ifndef CS_DSP_GSM_RXLEV_H
#define CS_DSP_GSM_RXLEV_H

#include <math.h>

/* RXLEV 0: below -110 dBm; n: -111+n to -110+n dBm; 63: above -48 dBm. */
static inline int gsm_rxlev(double dbm) {
  double r = floor(dbm + 111.0);
  return r < 0 ? 0 : r > 63 ? 63 : (int)r;
}

#endif
