/* rng.h: deterministic random bits and Gaussian noise for the LTE tests. */
#ifndef CS_TEST_LTE_RNG_H
#define CS_TEST_LTE_RNG_H

#include <math.h>
#include <stdint.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static inline uint32_t rng_u32(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

static inline float rng_gauss(void) {
  float u1 = ((float)(rng_u32() >> 8) + 1.0f) / 16777217.0f;
  float u2 = (float)(rng_u32() >> 8) / 16777216.0f;
  return sqrtf(-2.0f * logf(u1)) * cosf(2.0f * (float)M_PI * u2);
}

#endif
