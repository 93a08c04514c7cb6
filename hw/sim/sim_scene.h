/* sim_scene.h: the captures a simulated device plays (every .sigmf-meta of a directory, loaded as
 * complex float at its own rate and centre frequency). */
#ifndef CS_SIM_SCENE_H
#define CS_SIM_SCENE_H

#include <complex.h>
#include <stddef.h>

#define SIM_SCENE_MAX 64

typedef struct {
  char name[4096];
  double center_hz, rate;
  float complex *x;
  size_t n;
} sim_capture;

typedef struct {
  sim_capture cap[SIM_SCENE_MAX];
  int n;
} sim_scene;

/* Load every capture of dir. NULL with a message naming the file on failure. */
sim_scene *sim_scene_load(const char *dir, char *err, size_t cap);
void sim_scene_free(sim_scene *s);

#endif
