/* sim_mix.h: the simulator's scene mixer: every scene capture overlapping the tuned band,
 * resampled to the tuned rate and placed at its frequency, summed (sim_mix.c). */
#ifndef CS_SIM_MIX_H
#define CS_SIM_MIX_H

#include <complex.h>
#include <stddef.h>

#include "sim_scene.h"

typedef struct sim_mix sim_mix;

/* A mixer for centre freq and rate; captures start where the device clock (stream_time, s) has
 * them. NULL when out of memory. */
sim_mix *sim_mix_create(const sim_scene *scene, double freq, double rate, double stream_time);
/* Add the next n samples of the scene to out. */
void sim_mix_add(sim_mix *m, float complex *out, size_t n);
void sim_mix_destroy(sim_mix *m);

#endif
