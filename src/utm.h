/* utm.h: WGS 84 <-> Universal Transverse Mercator, the metric frame of the coverage grid.
 *
 * Krüger's series in the third flattening to order n^3 (within 1 mm of PROJ in a zone), written
 * from the standard formulas (Karney 2011, "Transverse Mercator with an accuracy of a few
 * nanometers", eqs. 7-11, 35-36). Zones are the plain 6-degree zones; the Norway/Svalbard
 * exceptions are not applied (a survey only needs one consistent local frame). */
#ifndef CS_UTM_H
#define CS_UTM_H

typedef struct {
  int zone;   /* 1..60 */
  int south;  /* 1: false northing 10 000 km */
} cs_utm_zone;

/* The zone holding (lat, lon). */
cs_utm_zone cs_utm_zone_for(double lat_deg, double lon_deg);
/* EPSG code of the WGS 84 / UTM zone (326zz north, 327zz south). */
int cs_utm_epsg(cs_utm_zone z);
void cs_utm_forward(cs_utm_zone z, double lat_deg, double lon_deg, double *easting, double *northing);
void cs_utm_inverse(cs_utm_zone z, double easting, double northing, double *lat_deg, double *lon_deg);

#endif
