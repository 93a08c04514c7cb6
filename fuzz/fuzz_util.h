/* fuzz_util.h: helpers shared by the fuzz targets: a private scratch directory (on tmpfs when
 * there is one) removed at exit, whole-file writes, and a check that aborts (a fuzz finding) with a
 * message. */
#ifndef CS_FUZZ_UTIL_H
#define CS_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_ASSERT(cond, ...)                                                   \
  do {                                                                           \
    if (!(cond)) {                                                               \
      fprintf(stderr, "%s:%d: fuzz assertion %s failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                              \
      fputc('\n', stderr);                                                       \
      abort();                                                                   \
    }                                                                            \
  } while (0)

static char fuzz_dir[256];
static char fuzz_files[4][320];
static int fuzz_n_files;

static inline void fuzz_cleanup(void) {
  for (int i = 0; i < fuzz_n_files; i++) unlink(fuzz_files[i]);
  if (fuzz_dir[0]) rmdir(fuzz_dir);
}

/* Path of scratch file `name` in this process's directory (created on first use). */
static inline const char *fuzz_path(const char *name) {
  if (!fuzz_dir[0]) {
    const char *root = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/csfuzz.XXXXXX", root);
    if (!mkdtemp(fuzz_dir)) { perror("mkdtemp"); exit(1); }
    atexit(fuzz_cleanup);
  }
  for (int i = 0; i < fuzz_n_files; i++)
    if (!strcmp(strrchr(fuzz_files[i], '/') + 1, name)) return fuzz_files[i];
  if (fuzz_n_files == 4) { fprintf(stderr, "fuzz_path: too many files\n"); exit(1); }
  snprintf(fuzz_files[fuzz_n_files], sizeof fuzz_files[0], "%s/%s", fuzz_dir, name);
  return fuzz_files[fuzz_n_files++];
}

static inline void fuzz_write(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) { perror(path); exit(1); }
}

#endif
