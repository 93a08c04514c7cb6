/* replay_main.c: a stand-in for libFuzzer's main where there is no libFuzzer (gcc builds): runs
 * every file named on the command line, or found in a directory named there, once through
 * LLVMFuzzerTestOneInput. A crash, sanitizer report or assertion in the target fails the test;
 * an empty corpus fails too (a corpus that silently vanished would test nothing). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "replay: cannot open %s\n", path); return -1; }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      uint8_t *nb = realloc(buf, cap *= 2);
      if (!nb) { free(buf); buf = NULL; }
      buf = nb;
    }
  }
  fclose(f);
  if (!buf) { fprintf(stderr, "replay: out of memory on %s\n", path); return -1; }
  /* an exact-size copy, so that ASan sees reads past the end of the input */
  uint8_t *exact = malloc(len ? len : 1);
  memcpy(exact, buf, len);
  free(buf);
  LLVMFuzzerTestOneInput(exact, len);
  free(exact);
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  long runs = 0;
  for (int i = 1; i < argc; i++) {
    struct stat sb;
    if (stat(argv[i], &sb) != 0) { fprintf(stderr, "replay: %s: not found\n", argv[i]); return 1; }
    if (!S_ISDIR(sb.st_mode)) {
      if (run_file(argv[i])) return 1;
      runs++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    if (!d) { fprintf(stderr, "replay: cannot read %s\n", argv[i]); return 1; }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      names = realloc(names, (n + 1) * sizeof *names);
      size_t l = strlen(argv[i]) + strlen(e->d_name) + 2;
      names[n] = malloc(l);
      snprintf(names[n++], l, "%s/%s", argv[i], e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    for (size_t k = 0; k < n; k++) {
      if (run_file(names[k])) return 1;
      runs++;
      free(names[k]);
    }
    free(names);
  }
  printf("replayed %ld inputs\n", runs);
  if (runs == 0) { fprintf(stderr, "replay: empty corpus\n"); return 1; }
  return 0;
}
