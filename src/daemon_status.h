/* daemon_status.h: the daemon's state board (what the status endpoint serves), its JSON and
 * Prometheus renderings, and the HTTP server (libmicrohttpd) that serves them.
 *
 * The board holds only kit state and broadcast data: state, band and step, the last cells decoded
 * (public broadcast identities and powers), device, GPS and storage health, counters. The scan
 * thread writes it; the HTTP thread reads it; a mutex guards it. */
#ifndef CS_DAEMON_STATUS_H
#define CS_DAEMON_STATUS_H

#include <pthread.h>
#include <stdint.h>

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"
#include "gpsfix.h"
#include "scan.h"

#define CS_STATUS_LAST_CELLS 32

typedef struct {
  pthread_mutex_t lock;
  double started_unix;
  char state[32];           /* starting, scanning, idle, waiting_for_device, stopping */
  char device[512];
  int device_up;
  char band[16];
  int step, n_steps;
  double next_sweep_unix;
  uint64_t sweeps, cells_total, cells_gsm, cells_lte, gaps, overflows, timeouts;
  cs_scan_step last_step;   /* verdict points to a static string */
  int have_step;
  char last_gap[512];
  cs_gps_fix fix;
  char gps_health[512];
  int gps_configured;
  int storage_ok, disk_full;
  char storage_error[512];
  uint64_t stored, store_errors, pending;
  char *last_cells[CS_STATUS_LAST_CELLS]; /* JSON objects, newest last */
  int n_last;
  double last_sweep_seconds;
  int last_sweep_cells;
} cs_status_board;

void cs_status_board_init(cs_status_board *b);
void cs_status_board_free(cs_status_board *b);
/* Add a decoded cell (copied as JSON) to the board's ring of recent cells. */
void cs_status_board_cell(cs_status_board *b, const cs_cell_record *r);

/* Renderings (malloc'd strings). */
char *cs_status_json(cs_status_board *b);
char *cs_status_metrics(cs_status_board *b);

/* ---- HTTP ---- */
typedef struct cs_status_http cs_status_http;

/* Serve GET /status and GET /metrics on listen:port (IPv4). token: required as
 * "Authorization: Bearer TOKEN" when non-empty. Requests are bounded (16 KiB of headers, no
 * body, 5 s per connection, 32 connections, 4 per client address). */
cs_status cs_status_http_start(cs_status_board *b, const char *listen, int port, const char *token,
                               cs_status_http **h, cs_err *err);
void cs_status_http_stop(cs_status_http *h);

#endif
