/* fuzz_config.c: the daemon's config file reader (src/daemon_config.c, libconfig syntax) on
 * arbitrary text. Rejection needs a message naming the file; an accepted config must satisfy the
 * daemon's own rules (bands parsed, a non-loopback status endpoint has a token of 16+ chars). */
#define _GNU_SOURCE /* memmem */
#include <math.h>

#include "daemon_config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (memmem(data, size, "@include", 8)) return 0; /* includes read other files: not this target's input */
  const char *path = fuzz_path("cellsurvey.conf");
  fuzz_write(path, data, size);
  cs_daemon_config cfg;
  cs_err err = {{0}};
  if (cs_daemon_config_load(path, &cfg, &err) != CS_OK) {
    FUZZ_ASSERT(strstr(err.msg, "cellsurvey.conf"), "message does not name the file: %s", err.msg);
    return 0;
  }
  FUZZ_ASSERT(cfg.device[0], "accepted without a device");
  FUZZ_ASSERT(cfg.n_bands > 0 && cfg.n_bands <= CS_SCAN_MAX_BANDS, "n_bands %d", cfg.n_bands);
  FUZZ_ASSERT(cfg.status_port >= 1 && cfg.status_port <= 65535, "port %d", cfg.status_port);
  FUZZ_ASSERT(!cfg.status_enabled || cs_daemon_is_loopback(cfg.status_listen) || strlen(cfg.status_token) >= 16,
              "status on %s without a token", cfg.status_listen);
  FUZZ_ASSERT(isfinite(cfg.interval_s) && cfg.interval_s >= 0, "interval %g", cfg.interval_s);
  return 0;
}
