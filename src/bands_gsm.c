/* bands_gsm.c: GSM ARFCN <-> frequency, TS 45.005 clause 2 (channel numbering). */
#include "cellsurvey/bands.h"

#include <math.h>
#include <strings.h>

const char *cs_gsm_band_name(cs_gsm_band band) {
  switch (band) {
  case CS_GSM450: return "GSM450";
  case CS_GSM480: return "GSM480";
  case CS_GSM850: return "GSM850";
  case CS_PGSM900: case CS_EGSM900: case CS_RGSM900: return "GSM900";
  case CS_DCS1800: return "DCS1800";
  case CS_PCS1900: return "PCS1900";
  default: return "";
  }
}

cs_gsm_band cs_gsm_band_parse(const char *name) {
  static const struct { const char *name; cs_gsm_band band; } names[] = {
      {"gsm450", CS_GSM450},   {"gsm480", CS_GSM480},   {"gsm850", CS_GSM850},
      {"pgsm900", CS_PGSM900}, {"egsm900", CS_EGSM900}, {"rgsm900", CS_RGSM900},
      {"gsm900", CS_EGSM900},  {"dcs1800", CS_DCS1800}, {"pcs1900", CS_PCS1900},
  };
  for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcasecmp(name, names[i].name)) return names[i].band;
  return CS_GSM_NONE;
}

void cs_gsm_band_arfcns(cs_gsm_band band, int *first, int *last, int *first2, int *last2) {
  *first2 = *last2 = -1;
  switch (band) {
  case CS_GSM450: *first = 259; *last = 293; break;
  case CS_GSM480: *first = 306; *last = 340; break;
  case CS_GSM850: *first = 128; *last = 251; break;
  case CS_PGSM900: *first = 1; *last = 124; break;
  case CS_EGSM900: *first = 0; *last = 124; *first2 = 975; *last2 = 1023; break;
  case CS_RGSM900: *first = 0; *last = 124; *first2 = 955; *last2 = 1023; break;
  case CS_DCS1800: *first = 512; *last = 885; break;
  case CS_PCS1900: *first = 512; *last = 810; break;
  default: *first = *last = -1; break;
  }
}

static int in_band(cs_gsm_band band, int arfcn) {
  int a, b, c, d;
  cs_gsm_band_arfcns(band, &a, &b, &c, &d);
  return (arfcn >= a && arfcn <= b) || (c >= 0 && arfcn >= c && arfcn <= d);
}

/* TS 45.005 2: uplink Fl(n); the downlink is Fl(n) + duplex spacing. */
double cs_gsm_arfcn_to_ul_hz(cs_gsm_band band, int n) {
  if (!in_band(band, n)) return 0.0;
  switch (band) {
  case CS_GSM450: return 450.6e6 + 0.2e6 * (n - 259);
  case CS_GSM480: return 479.0e6 + 0.2e6 * (n - 306);
  case CS_GSM850: return 824.2e6 + 0.2e6 * (n - 128);
  case CS_PGSM900: case CS_EGSM900: case CS_RGSM900:
    return n <= 124 ? 890.0e6 + 0.2e6 * n : 890.0e6 + 0.2e6 * (n - 1024);
  case CS_DCS1800: return 1710.2e6 + 0.2e6 * (n - 512);
  case CS_PCS1900: return 1850.2e6 + 0.2e6 * (n - 512);
  default: return 0.0;
  }
}

static double duplex_hz(cs_gsm_band band) {
  switch (band) {
  case CS_GSM450: case CS_GSM480: return 10e6;
  case CS_GSM850: return 45e6;
  case CS_PGSM900: case CS_EGSM900: case CS_RGSM900: return 45e6;
  case CS_DCS1800: return 95e6;
  case CS_PCS1900: return 80e6;
  default: return 0.0;
  }
}

double cs_gsm_arfcn_to_dl_hz(cs_gsm_band band, int n) {
  double ul = cs_gsm_arfcn_to_ul_hz(band, n);
  return ul > 0 ? ul + duplex_hz(band) : 0.0;
}

int cs_gsm_dl_hz_to_arfcn(double f, cs_gsm_band band, cs_gsm_band *band_out) {
  static const cs_gsm_band order[] = {CS_RGSM900, CS_DCS1800, CS_GSM850, CS_PCS1900, CS_GSM450, CS_GSM480};
  for (unsigned k = 0; k < sizeof order / sizeof *order; k++) {
    cs_gsm_band b = band != CS_GSM_NONE ? band : order[k];
    int ranges[4];
    cs_gsm_band_arfcns(b, &ranges[0], &ranges[1], &ranges[2], &ranges[3]);
    for (int r = 0; r < 4; r += 2) {
      if (ranges[r] < 0) continue;
      double f0 = cs_gsm_arfcn_to_dl_hz(b, ranges[r]);
      int n = ranges[r] + (int)lround((f - f0) / 0.2e6);
      if (n < ranges[r] || n > ranges[r + 1]) continue;
      if (fabs(cs_gsm_arfcn_to_dl_hz(b, n) - f) <= 100e3) {
        if (band_out) *band_out = b;
        return n;
      }
    }
    if (band != CS_GSM_NONE) break;
  }
  if (band_out) *band_out = CS_GSM_NONE;
  return -1;
}
