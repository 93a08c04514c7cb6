/* utm.c: WGS 84 transverse Mercator (UTM) forward and inverse by Krüger's n-series (utm.h). */
#include "utm.h"

#include <math.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define UTM_K0 0.9996
#define UTM_E0 500000.0
#define UTM_N0_SOUTH 10000000.0
#define DEG (M_PI / 180.0)

typedef struct {
  double A;                          /* rectifying radius */
  double alpha[3], beta[3], delta[3];
  double e;                          /* first eccentricity */
} tm_coef;

static const tm_coef *coef(void) {
  static tm_coef c;
  static int done;
  if (!done) {
    double n = WGS84_F / (2 - WGS84_F), n2 = n * n, n3 = n2 * n;
    c.A = WGS84_A / (1 + n) * (1 + n2 / 4 + n2 * n2 / 64);
    c.alpha[0] = n / 2 - 2 * n2 / 3 + 5 * n3 / 16;
    c.alpha[1] = 13 * n2 / 48 - 3 * n3 / 5;
    c.alpha[2] = 61 * n3 / 240;
    c.beta[0] = n / 2 - 2 * n2 / 3 + 37 * n3 / 96;
    c.beta[1] = n2 / 48 + n3 / 15;
    c.beta[2] = 17 * n3 / 480;
    c.delta[0] = 2 * n - 2 * n2 / 3 - 2 * n3;
    c.delta[1] = 7 * n2 / 3 - 8 * n3 / 5;
    c.delta[2] = 56 * n3 / 15;
    c.e = sqrt(WGS84_F * (2 - WGS84_F));
    done = 1;
  }
  return &c;
}

cs_utm_zone cs_utm_zone_for(double lat_deg, double lon_deg) {
  cs_utm_zone z;
  double l = fmod(lon_deg + 180.0, 360.0);
  if (l < 0) l += 360.0;
  z.zone = (int)floor(l / 6.0) + 1;
  if (z.zone > 60) z.zone = 60;
  z.south = lat_deg < 0;
  return z;
}

int cs_utm_epsg(cs_utm_zone z) { return (z.south ? 32700 : 32600) + z.zone; }

static double central_meridian(cs_utm_zone z) { return (z.zone * 6.0 - 183.0) * DEG; }

void cs_utm_forward(cs_utm_zone z, double lat_deg, double lon_deg, double *easting, double *northing) {
  const tm_coef *c = coef();
  double phi = lat_deg * DEG, dl = lon_deg * DEG - central_meridian(z);
  if (dl > M_PI) dl -= 2 * M_PI;
  if (dl < -M_PI) dl += 2 * M_PI;
  /* conformal latitude: tan(chi) = sinh(atanh(sin phi) - e atanh(e sin phi)) */
  double s = sin(phi);
  double t = sinh(atanh(s) - c->e * atanh(c->e * s));
  double xi_p = atan2(t, cos(dl)), eta_p = atanh(sin(dl) / sqrt(1 + t * t));
  double xi = xi_p, eta = eta_p;
  for (int j = 1; j <= 3; j++) {
    xi += c->alpha[j - 1] * sin(2 * j * xi_p) * cosh(2 * j * eta_p);
    eta += c->alpha[j - 1] * cos(2 * j * xi_p) * sinh(2 * j * eta_p);
  }
  *easting = UTM_E0 + UTM_K0 * c->A * eta;
  *northing = (z.south ? UTM_N0_SOUTH : 0.0) + UTM_K0 * c->A * xi;
}

void cs_utm_inverse(cs_utm_zone z, double easting, double northing, double *lat_deg, double *lon_deg) {
  const tm_coef *c = coef();
  double xi = (northing - (z.south ? UTM_N0_SOUTH : 0.0)) / (UTM_K0 * c->A);
  double eta = (easting - UTM_E0) / (UTM_K0 * c->A);
  double xi_p = xi, eta_p = eta;
  for (int j = 1; j <= 3; j++) {
    xi_p -= c->beta[j - 1] * sin(2 * j * xi) * cosh(2 * j * eta);
    eta_p -= c->beta[j - 1] * cos(2 * j * xi) * sinh(2 * j * eta);
  }
  double chi = asin(sin(xi_p) / cosh(eta_p));
  double phi = chi;
  for (int j = 1; j <= 3; j++) phi += c->delta[j - 1] * sin(2 * j * chi);
  *lat_deg = phi / DEG;
  *lon_deg = (central_meridian(z) + atan2(sinh(eta_p), cos(xi_p))) / DEG;
}
