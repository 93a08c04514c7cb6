/* hotplug.c: feed a hotplug tracker from libusb (see cellsurvey/hotplug.h). Native hotplug
 * callbacks where libusb has them (Linux with udev or netlink), else a bus scan every poll
 * interval. libusb's callback only records into the tracker; events reach the caller from
 * cs_hotplug_poll(), outside libusb. */
#include <libusb.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "cellsurvey/hotplug.h"
#include "cellsurvey/clock.h"

struct cs_hotplug {
  libusb_context *ctx;
  libusb_hotplug_callback_handle handle;
  int native;
  double poll_interval, next_scan;
  cs_hotplug_tracker *t;
  cs_hotplug_cb cb;
  void *cb_ctx;
};

static cs_usb_id id_of(libusb_device *dev, const struct libusb_device_descriptor *d) {
  cs_usb_id id = {d->idVendor, d->idProduct, libusb_get_bus_number(dev), libusb_get_device_address(dev)};
  return id;
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user) {
  (void)ctx;
  cs_hotplug *h = user;
  struct libusb_device_descriptor d;
  if (libusb_get_device_descriptor(dev, &d) != 0) return 0;
  if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) cs_hotplug_tracker_arrive(h->t, id_of(dev, &d), cs_clock_s(CLOCK_REALTIME));
  else cs_hotplug_tracker_leave(h->t, id_of(dev, &d), cs_clock_s(CLOCK_REALTIME));
  return 0; /* stay registered */
}

static cs_status scan_bus(cs_hotplug *h, cs_err *err) {
  libusb_device **list;
  ssize_t n = libusb_get_device_list(h->ctx, &list);
  if (n < 0) return cs_fail(err, CS_ERR_ENV, "USB bus scan failed: %s", libusb_strerror((int)n));
  cs_usb_id *ids = calloc((size_t)n + 1, sizeof *ids);
  if (!ids) {
    libusb_free_device_list(list, 1);
    return cs_fail(err, CS_ERR_ENV, "out of memory scanning USB");
  }
  size_t k = 0;
  for (ssize_t i = 0; i < n; i++) {
    struct libusb_device_descriptor d;
    if (libusb_get_device_descriptor(list[i], &d) == 0) ids[k++] = id_of(list[i], &d);
  }
  cs_hotplug_tracker_snapshot(h->t, ids, k, cs_clock_s(CLOCK_REALTIME));
  free(ids);
  libusb_free_device_list(list, 1);
  return CS_OK;
}

cs_status cs_hotplug_create(cs_hotplug_cb cb, void *ctx, double poll_interval_s, int force_poll,
                            cs_hotplug **out, cs_err *err) {
  *out = NULL;
  cs_hotplug *h = calloc(1, sizeof *h);
  if (!h || !(h->t = cs_hotplug_tracker_create())) {
    free(h);
    return cs_fail(err, CS_ERR_ENV, "out of memory for the USB watcher");
  }
  h->cb = cb;
  h->cb_ctx = ctx;
  h->poll_interval = poll_interval_s > 0 ? poll_interval_s : 1.0;
  int rc = libusb_init(&h->ctx);
  if (rc != 0) {
    cs_hotplug_tracker_destroy(h->t);
    free(h);
    return cs_fail(err, CS_ERR_ENV, "cannot start libusb: %s", libusb_strerror(rc));
  }
  if (!force_poll && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
    rc = libusb_hotplug_register_callback(
        h->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, h, &h->handle);
    h->native = rc == LIBUSB_SUCCESS; /* else fall back to polling */
  }
  *out = h;
  return CS_OK;
}

cs_status cs_hotplug_poll(cs_hotplug *h, double timeout_s, cs_err *err) {
  if (h->native) {
    struct timeval tv = {(time_t)timeout_s, (suseconds_t)((timeout_s - floor(timeout_s)) * 1e6)};
    int rc = libusb_handle_events_timeout_completed(h->ctx, &tv, NULL);
    if (rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED)
      return cs_fail(err, CS_ERR_ENV, "USB event handling failed: %s", libusb_strerror(rc));
  } else {
    double now = cs_clock_s(CLOCK_REALTIME);
    if (now >= h->next_scan) {
      cs_status st = scan_bus(h, err);
      if (st != CS_OK) return st;
      h->next_scan = now + h->poll_interval;
    }
    double wait = fmin(timeout_s, h->next_scan - cs_clock_s(CLOCK_REALTIME));
    if (wait > 0) {
      struct timespec ts = {(time_t)wait, (long)((wait - floor(wait)) * 1e9)};
      nanosleep(&ts, NULL);
    }
  }
  cs_hotplug_event ev;
  while (cs_hotplug_tracker_next(h->t, &ev))
    if (h->cb) h->cb(h->cb_ctx, &ev);
  return CS_OK;
}

int cs_hotplug_native(const cs_hotplug *h) { return h->native; }

size_t cs_hotplug_count(const cs_hotplug *h, const char *driver) {
  return cs_hotplug_tracker_count(h->t, driver);
}

void cs_hotplug_destroy(cs_hotplug *h) {
  if (!h) return;
  if (h->native) libusb_hotplug_deregister_callback(h->ctx, h->handle);
  libusb_exit(h->ctx);
  cs_hotplug_tracker_destroy(h->t);
  free(h);
}
