/* check.h: the tests' assertions. A failed CHECK prints where and what, counts, and the test
 * carries on; check_done() prints "N passed, N failed" and gives the exit code. */
#ifndef CS_TEST_CHECK_H
#define CS_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                    \
  do {                                                                      \
    if (cond) check_passed++;                                               \
    else {                                                                  \
      check_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                         \
      fputc('\n', stderr);                                                  \
    }                                                                       \
  } while (0)

#define CHECK_INT(a, b) CHECK((long long)(a) == (long long)(b), "%s = %lld, want %lld", #a, (long long)(a), (long long)(b))
#define CHECK_NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) <= (tol), "%s = %.6g, want %.6g +- %.3g", #a, (double)(a), (double)(b), (double)(tol))
#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0, "%s = \"%s\", want \"%s\"", #a, (a), (b))

static inline int check_done(void) {
  printf("%d passed, %d failed\n", check_passed, check_failed);
  return check_failed ? 1 : 0;
}

/* Directory of the shared captures, or exit 77 (skip) saying why. sub: "gsm", "lte", ... */
static inline const char *check_shared_dir(const char *sub) {
  static char path[4096];
  const char *root = getenv("CS_SHARED_CAPTURES");
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", root ? root : "../shared/captures", sub);
  if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    printf("SKIP: shared captures not found at %s (a fresh clone has no ../shared; CI has it)\n", path);
    exit(77);
  }
  return path;
}

/* A scratch directory for this test (created). */
static inline const char *check_tmp_dir(void) {
  const char *t = getenv("CS_TEST_TMP");
  if (!t) t = "/tmp";
  mkdir(t, 0755);
  return t;
}

#endif
