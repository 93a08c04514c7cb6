/* test_hotplug.c: the hotplug tracker's state machine (known VID:PIDs, de-duplication, poll
 * snapshots turned into arrive/leave events, replug at a new address, queue order) and the libusb
 * watcher starting and polling on this machine (native and forced poll mode). */
#include <string.h>

#include "cellsurvey/hotplug.h"
#include "check.h"

static int n_cb;
static void on_event(void *ctx, const cs_hotplug_event *ev) {
  (void)ctx;
  (void)ev;
  n_cb++;
}

int main(void) {
  const char *drv = NULL;
  CHECK_STR(cs_hotplug_known(0x1d50, 0x6089, &drv), "HackRF One");
  CHECK_STR(drv, "hackrf");
  CHECK_STR(cs_hotplug_known(0x0403, 0x601f, &drv), "LimeSDR Mini");
  CHECK_STR(drv, "lime");
  CHECK_STR(cs_hotplug_known(0x1d50, 0x6108, &drv), "LimeSDR USB");
  CHECK_STR(cs_hotplug_known(0x0bda, 0x2838, &drv), "RTL-SDR (RTL2838)");
  CHECK_STR(drv, "rtlsdr");
  CHECK_STR(cs_hotplug_known(0x2cf0, 0x5250, &drv), "bladeRF 2.0 micro");
  CHECK(cs_hotplug_known(0x046d, 0xc52b, NULL) == NULL, "a mouse is not an SDR");

  cs_hotplug_tracker *t = cs_hotplug_tracker_create();
  cs_hotplug_event ev;
  cs_usb_id hackrf = {0x1d50, 0x6089, 1, 5}, lime = {0x0403, 0x601f, 2, 3}, mouse = {0x046d, 0xc52b, 1, 2};

  /* callbacks: arrive, repeat ignored, unknown ignored */
  cs_hotplug_tracker_arrive(t, hackrf, 100);
  cs_hotplug_tracker_arrive(t, hackrf, 101);
  cs_hotplug_tracker_arrive(t, mouse, 102);
  CHECK_INT(cs_hotplug_tracker_count(t, NULL), 1);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK_INT(ev.kind, CS_HOTPLUG_ARRIVED);
  CHECK_STR(ev.model, "HackRF One");
  CHECK_STR(ev.driver, "hackrf");
  CHECK_NEAR(ev.time_unix, 100, 0);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 0);

  /* leave of something never seen: nothing; leave of the HackRF: one event */
  cs_hotplug_tracker_leave(t, lime, 103);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 0);
  cs_hotplug_tracker_leave(t, hackrf, 104);
  cs_hotplug_tracker_leave(t, hackrf, 105);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK_INT(ev.kind, CS_HOTPLUG_LEFT);
  CHECK_INT(ev.id.address, 5);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 0);
  CHECK_INT(cs_hotplug_tracker_count(t, NULL), 0);

  /* poll mode: snapshots become events, in order */
  cs_usb_id snap1[] = {mouse, hackrf, lime};
  cs_hotplug_tracker_snapshot(t, snap1, 3, 200);
  CHECK_INT(cs_hotplug_tracker_count(t, NULL), 2);
  CHECK_INT(cs_hotplug_tracker_count(t, "lime"), 1);
  CHECK_INT(cs_hotplug_tracker_count(t, "rtlsdr"), 0);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK(ev.kind == CS_HOTPLUG_ARRIVED && ev.id.vid == 0x1d50, "HackRF first");
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK(ev.kind == CS_HOTPLUG_ARRIVED && ev.id.vid == 0x0403, "then the Lime");
  cs_hotplug_tracker_snapshot(t, snap1, 3, 201); /* unchanged: no events */
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 0);

  /* replug: the HackRF re-enumerates at a new address -> left (old), arrived (new) */
  cs_usb_id hackrf2 = hackrf;
  hackrf2.address = 9;
  cs_usb_id snap2[] = {lime, hackrf2};
  cs_hotplug_tracker_snapshot(t, snap2, 2, 202);
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK(ev.kind == CS_HOTPLUG_LEFT && ev.id.address == 5, "old address left");
  CHECK_INT(cs_hotplug_tracker_next(t, &ev), 1);
  CHECK(ev.kind == CS_HOTPLUG_ARRIVED && ev.id.address == 9, "new address arrived");
  CHECK_INT(cs_hotplug_tracker_count(t, "hackrf"), 1);

  /* everything unplugged */
  cs_hotplug_tracker_snapshot(t, NULL, 0, 203);
  int left = 0;
  while (cs_hotplug_tracker_next(t, &ev)) left += ev.kind == CS_HOTPLUG_LEFT;
  CHECK_INT(left, 2);
  CHECK_INT(cs_hotplug_tracker_count(t, NULL), 0);

  /* a flood of events keeps the newest 256 */
  for (int i = 0; i < 300; i++) {
    cs_usb_id r = {0x0bda, 0x2838, 3, (uint8_t)(i % 2)};
    if (i % 2 == 0) cs_hotplug_tracker_arrive(t, r, 300 + i);
    else cs_hotplug_tracker_leave(t, (cs_usb_id){0x0bda, 0x2838, 3, 0}, 300 + i);
  }
  int q = 0;
  double last = 0;
  while (cs_hotplug_tracker_next(t, &ev)) { q++; last = ev.time_unix; }
  CHECK_INT(q, 256);
  CHECK_NEAR(last, 599, 0);
  cs_hotplug_tracker_destroy(t);

  /* the libusb watcher starts and polls here (no SDR attached: no events expected, but the
   * count must agree with the events delivered) */
  for (int force = 0; force <= 1; force++) {
    cs_hotplug *h;
    cs_err err;
    cs_status st = cs_hotplug_create(on_event, NULL, 0.05, force, &h, &err);
    if (st != CS_OK) { /* containers without USB: say so, do not pretend */
      printf("libusb unavailable here: %s\n", err.msg);
      break;
    }
    if (force) CHECK_INT(cs_hotplug_native(h), 0);
    n_cb = 0;
    CHECK_INT(cs_hotplug_poll(h, 0.1, &err), CS_OK);
    CHECK_INT(cs_hotplug_poll(h, 0.1, &err), CS_OK);
    CHECK_INT((size_t)n_cb, cs_hotplug_count(h, NULL));
    cs_hotplug_destroy(h);
  }
  return check_done();
}
