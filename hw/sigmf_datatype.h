/* sigmf_datatype.h: SigMF complex sample datatypes (cf32_le, ci16_le, ci8, cu8, ... and the _be
 * forms): parsing the name, full scale, and converting one component from and to bytes. Shared by
 * the reader (sigmf.c) and the writer (sigmf_write.c); inline because it runs per sample. */
#ifndef CS_HW_SIGMF_DATATYPE_H
#define CS_HW_SIGMF_DATATYPE_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum { DT_FLOAT, DT_SIGNED, DT_UNSIGNED } dt_kind;

typedef struct {
  dt_kind kind;
  int bits;
  int big_endian;
} dt_info;

static inline int parse_datatype(const char *s, dt_info *dt) {
  if (s[0] != 'c') return 0; /* real-valued ('r') recordings are not I/Q */
  switch (s[1]) {
  case 'f': dt->kind = DT_FLOAT; break;
  case 'i': dt->kind = DT_SIGNED; break;
  case 'u': dt->kind = DT_UNSIGNED; break;
  default: return 0;
  }
  char *end;
  long bits = strtol(s + 2, &end, 10);
  dt->big_endian = 0;
  if (dt->kind == DT_FLOAT && bits != 32 && bits != 64) return 0;
  if (dt->kind != DT_FLOAT && bits != 8 && bits != 16 && bits != 32) return 0;
  dt->bits = (int)bits;
  if (bits == 8) return *end == '\0';
  if (strcmp(end, "_le") == 0) return 1;
  if (strcmp(end, "_be") == 0) { dt->big_endian = 1; return 1; }
  return 0;
}

/* Full-scale amplitude of one component and the zero level of unsigned types. */
static inline void dt_scale(const dt_info *dt, double *full_scale, double *zero) {
  *zero = 0.0;
  if (dt->kind == DT_FLOAT) { *full_scale = 1.0; return; }
  double half = ldexp(1.0, dt->bits - 1);
  if (dt->kind == DT_SIGNED) { *full_scale = half - 1.0; return; }
  *zero = half - 0.5; /* cu8: 127.5, as rtl_sdr's offset binary */
  *full_scale = half - 0.5;
}

static inline uint64_t load_uint(const uint8_t *p, int bytes, int big_endian) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; i++) {
    int k = big_endian ? i : bytes - 1 - i;
    v = (v << 8) | p[k];
  }
  return v;
}

static inline double load_component(const uint8_t *p, const dt_info *dt) {
  int bytes = dt->bits / 8;
  uint64_t v = load_uint(p, bytes, dt->big_endian);
  if (dt->kind == DT_FLOAT) {
    if (bytes == 4) { uint32_t u = (uint32_t)v; float f; memcpy(&f, &u, 4); return f; }
    double d; memcpy(&d, &v, 8); return d;
  }
  if (dt->kind == DT_UNSIGNED) return (double)v;
  switch (bytes) {
  case 1: return (int8_t)v;
  case 2: return (int16_t)v;
  default: return (int32_t)v;
  }
}

/* The inverse of load_component: write one component (already scaled and offset to the
 * datatype's integer range, or a float), in the datatype's byte order. */
static inline void store_component(uint8_t *p, const dt_info *dt, double x) {
  int bytes = dt->bits / 8;
  uint64_t v;
  if (dt->kind == DT_FLOAT) {
    if (bytes == 4) { float f = (float)x; uint32_t u; memcpy(&u, &f, 4); v = u; }
    else memcpy(&v, &x, 8);
  } else {
    double lo = dt->kind == DT_SIGNED ? -ldexp(1.0, dt->bits - 1) : 0.0;
    double hi = dt->kind == DT_SIGNED ? ldexp(1.0, dt->bits - 1) - 1 : ldexp(1.0, dt->bits) - 1;
    double r = nearbyint(x);
    if (r < lo) r = lo;
    if (r > hi) r = hi;
    v = dt->kind == DT_SIGNED ? (uint64_t)(int64_t)r : (uint64_t)r;
  }
  for (int i = 0; i < bytes; i++) {
    int k = dt->big_endian ? bytes - 1 - i : i;
    p[k] = (uint8_t)(v >> (8 * i));
  }
}

#endif
