/* test_utm.c: the UTM transform (src/utm.c) against PROJ (reference values computed with GDAL's
 * gdaltransform, EPSG:4326 -> EPSG:326zz/327zz) in both hemispheres and several zones, and the
 * inverse round trip. */
#include "check.h"
#include "utm.h"

int main(void) {
  static const struct { double lat, lon; int epsg; double e, n; } ref[] = {
      {3.02, 31.79, 32636, 365533.029621577, 333878.655296968},
      {-1.2833, 36.8167, 32737, 257054.762561307, 9858052.84894126},
      {52.5, 13.4, 32633, 391390.731339952, 5817855.24081733},
      {-33.9, 18.4, 32734, 259583.221660431, 6245888.04544077},
      {64.1, -21.9, 32627, 456137.554111779, 7108467.41701682},
      {0.0001, 33.0, 32636, 499999.999999999, 11.0530046111267},
      {45.0, -74.9, 32618, 507881.529642734, 4982955.26366148},
  };
  for (unsigned i = 0; i < sizeof ref / sizeof *ref; i++) {
    cs_utm_zone z = cs_utm_zone_for(ref[i].lat, ref[i].lon);
    CHECK_INT(cs_utm_epsg(z), ref[i].epsg);
    double e, n, lat, lon;
    cs_utm_forward(z, ref[i].lat, ref[i].lon, &e, &n);
    CHECK_NEAR(e, ref[i].e, 1e-3);
    CHECK_NEAR(n, ref[i].n, 1e-3);
    cs_utm_inverse(z, e, n, &lat, &lon);
    CHECK_NEAR(lat, ref[i].lat, 1e-8); /* 1e-8 degree = 1.1 mm */
    CHECK_NEAR(lon, ref[i].lon, 1e-8);
  }
  /* round trips over a zone, 3 degrees either side of the central meridian, 80S..84N */
  cs_utm_zone z = {36, 0};
  double worst = 0;
  for (double lat = -80; lat <= 84; lat += 4)
    for (double dl = -3; dl <= 3; dl += 0.5) {
      z.south = lat < 0;
      double e, n, la, lo;
      cs_utm_forward(z, lat, 33 + dl, &e, &n);
      cs_utm_inverse(z, e, n, &la, &lo);
      double err = fmax(fabs(la - lat), fabs(lo - 33 - dl));
      if (err > worst) worst = err;
    }
  CHECK(worst < 1e-8, "round trip error %.3g degrees", worst);
  /* zone edges */
  CHECK_INT(cs_utm_zone_for(0, -180).zone, 1);
  CHECK_INT(cs_utm_zone_for(0, 179.999).zone, 60);
  CHECK_INT(cs_utm_zone_for(0, 180).zone, 1);
  CHECK_INT(cs_utm_zone_for(-0.1, 6.0).zone, 32);
  CHECK_INT(cs_utm_zone_for(-0.1, 6.0).south, 1);
  return check_done();
}
