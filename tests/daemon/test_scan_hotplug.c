/* test_scan_hotplug.c: the scan planner wired to USB hotplug events (scan.h "Faults"). A fake
 * radio opened as driver=hackrf; a hotplug tracker fed synthetic arrive/leave events passes them
 * to cs_scan_usb_event, as the libusb watcher does. Checks: another SDR leaving changes nothing;
 * the radio's departure pauses the scan before a read fails; an arrival of another kind of SDR
 * does not reopen; the radio's arrival reopens it at once (well before the hotplug-mode poll),
 * the cut step is taken again and the gap is recorded. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fake_radio.h"
#include "scan.h"

static const cs_usb_id HACKRF = {0x1d50, 0x6089, 1, 5}, HACKRF_BACK = {0x1d50, 0x6089, 1, 7},
                       RTLSDR = {0x0bda, 0x2838, 1, 6};

typedef struct {
  fake_radio f;
  cs_hotplug_tracker *t;
  cs_scan *s;
  int n_steps, n_gaps, refused_before_arrival;
  cs_scan_gap gap;
  pthread_t back;
  int started;
} bench;

static void deliver(bench *b) {
  cs_hotplug_event ev;
  while (cs_hotplug_tracker_next(b->t, &ev)) cs_scan_usb_event(b->s, &ev);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The radio comes back on USB (new address) 0.6 s after leaving; an RTL-SDR arrives before it. */
static void *plug_back(void *ctx) {
  bench *b = ctx;
  usleep(300000);
  cs_hotplug_tracker_arrive(b->t, RTLSDR, now());
  deliver(b);
  usleep(300000);
  b->refused_before_arrival = 1000 - b->f.refuse_reopens;
  b->f.refuse_reopens = 0;
  cs_hotplug_tracker_arrive(b->t, HACKRF_BACK, now());
  deliver(b);
  return NULL;
}

static void on_progress(void *ctx, const char *band, int step, int n_steps, int cells) {
  bench *b = ctx;
  if (step == 0 && !b->started) { /* another SDR leaves: not ours */
    cs_hotplug_tracker_leave(b->t, RTLSDR, now());
    deliver(b);
  }
  if (step == 1 && !b->started) { /* ours leaves: reads would fail from now on */
    b->started = 1;
    b->f.gone = 1;
    b->f.refuse_reopens = 1000;
    cs_hotplug_tracker_leave(b->t, HACKRF, now());
    deliver(b);
    CHECK_INT(pthread_create(&b->back, NULL, plug_back, b), 0);
  }
}
static void on_step(void *ctx, const cs_scan_step *s) { ((bench *)ctx)->n_steps++; }
static void on_gap(void *ctx, const cs_scan_gap *g) {
  bench *b = ctx;
  b->n_gaps++;
  b->gap = *g;
}

int main(void) {
  static bench b;
  fake_init(&b.f);
  b.t = cs_hotplug_tracker_create();
  cs_scan_band bands[2];
  int nb;
  cs_err err;
  CHECK_INT(cs_scan_parse_bands("egsm900", bands, 2, &nb, &err), CS_OK);
  cs_scan_opts so;
  memset(&so, 0, sizeof so);
  so.device = "driver=hackrf,serial=FAKE0001";
  so.open = fake_open;
  so.counters = fake_counters;
  so.open_ctx = &b.f;
  so.bands = bands;
  so.n_bands = nb;
  so.gain_db = NAN;
  so.detect_dwell_s = 0.005;
  so.gsm_dwell_s = 0.01;
  so.lte_dwell_s = 0.01;
  so.usb_events = 1;
  so.ctx = &b;
  so.on_progress = on_progress;
  so.on_step = on_step;
  so.on_gap = on_gap;
  CHECK_INT(cs_scan_create(&so, &b.s, &err), CS_OK);
  cs_hotplug_tracker_arrive(b.t, HACKRF, now()); /* attached at start (libusb enumerates them) */
  cs_hotplug_tracker_arrive(b.t, RTLSDR, now());
  deliver(&b);
  CHECK_INT(cs_scan_sweep(b.s, &err), CS_OK);
  CHECK(b.started, "the departure was never injected");
  pthread_join(b.back, NULL);
  CHECK_INT(b.n_steps, 3);                   /* every step of egsm900, the cut one taken again */
  CHECK_INT(b.n_gaps, 1);                    /* the RTL-SDR leaving did not pause the scan */
  CHECK_INT(cs_scan_gaps(b.s), 1);
  CHECK(strstr(b.gap.reason, "USB") != NULL, "paused by '%s', not by the USB departure", b.gap.reason);
  CHECK_INT(b.refused_before_arrival, 1);    /* one try at the gap's start; the RTL-SDR: none */
  CHECK_INT(b.f.opens, 2);
  CHECK_INT(b.f.closes, 1);
  double len = b.gap.end_unix - b.gap.start_unix;
  CHECK(len > 0.5 && len < CS_SCAN_HOTPLUG_POLL_S - 1, "gap %.2f s: reopen not triggered by the arrival", len);
  cs_scan_destroy(b.s);

  /* the scan's own libusb watcher (no SDR on this bus): a read failure still pauses and reopens */
  fake_init(&b.f);
  b.f.fail_after_reads = 3;
  so.usb_events = 0;
  so.on_progress = NULL;
  b.n_steps = b.n_gaps = 0;
  CHECK_INT(cs_scan_create(&so, &b.s, &err), CS_OK);
  CHECK_INT(cs_scan_sweep(b.s, &err), CS_OK);
  CHECK_INT(b.n_steps, 3);
  CHECK_INT(b.n_gaps, 1);
  CHECK(strstr(b.gap.reason, "unplugged") != NULL, "gap '%s'", b.gap.reason);
  CHECK_INT(b.f.opens, 2);
  cs_scan_destroy(b.s);
  cs_hotplug_tracker_destroy(b.t);
  return check_done();
}
