/* hotplug_tracker.c: the set of known SDRs present on USB and the arrive/leave event queue
 * (pure logic, see cellsurvey/hotplug.h). Known VID:PIDs come from the vendors' udev rules:
 * HackRF One 1d50:6089 (Jawbreaker 1d50:604b, rad1o 1d50:cc15); LimeSDR USB 1d50:6108 and
 * 04b4:00f1 (Cypress FX3); LimeSDR Mini 0403:601f (FTDI FT601); RTL-SDR 0bda:2838 and 0bda:2832;
 * bladeRF 2cf0:5246 (x40/x115), 2cf0:5250 (2.0 micro), 1d50:6066 (legacy). */
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/hotplug.h"

#define MAX_PRESENT 64
#define MAX_QUEUE 256

static const struct {
  uint16_t vid, pid;
  const char *model, *driver;
} known[] = {
    {0x1d50, 0x6089, "HackRF One", "hackrf"},
    {0x1d50, 0x604b, "HackRF Jawbreaker", "hackrf"},
    {0x1d50, 0xcc15, "rad1o", "hackrf"},
    {0x1d50, 0x6108, "LimeSDR USB", "lime"},
    {0x04b4, 0x00f1, "LimeSDR USB (FX3)", "lime"},
    {0x0403, 0x601f, "LimeSDR Mini", "lime"},
    {0x0bda, 0x2838, "RTL-SDR (RTL2838)", "rtlsdr"},
    {0x0bda, 0x2832, "RTL-SDR (RTL2832)", "rtlsdr"},
    {0x2cf0, 0x5246, "bladeRF", "bladerf"},
    {0x2cf0, 0x5250, "bladeRF 2.0 micro", "bladerf"},
    {0x1d50, 0x6066, "bladeRF (legacy ID)", "bladerf"},
};

const char *cs_hotplug_known(uint16_t vid, uint16_t pid, const char **driver) {
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (known[i].vid == vid && known[i].pid == pid) {
      if (driver) *driver = known[i].driver;
      return known[i].model;
    }
  return NULL;
}

struct cs_hotplug_tracker {
  cs_usb_id present[MAX_PRESENT];
  size_t n_present;
  cs_hotplug_event queue[MAX_QUEUE];
  size_t head, count; /* ring buffer; when full the oldest event is dropped */
};

cs_hotplug_tracker *cs_hotplug_tracker_create(void) { return calloc(1, sizeof(cs_hotplug_tracker)); }

void cs_hotplug_tracker_destroy(cs_hotplug_tracker *t) { free(t); }

static int same(cs_usb_id a, cs_usb_id b) {
  return a.vid == b.vid && a.pid == b.pid && a.bus == b.bus && a.address == b.address;
}

static long find(const cs_hotplug_tracker *t, cs_usb_id id) {
  for (size_t i = 0; i < t->n_present; i++)
    if (same(t->present[i], id)) return (long)i;
  return -1;
}

static void push(cs_hotplug_tracker *t, cs_hotplug_kind kind, cs_usb_id id, double time_unix) {
  cs_hotplug_event *e;
  if (t->count == MAX_QUEUE) { /* drop the oldest */
    t->head = (t->head + 1) % MAX_QUEUE;
    t->count--;
  }
  e = &t->queue[(t->head + t->count) % MAX_QUEUE];
  t->count++;
  e->kind = kind;
  e->id = id;
  e->model = cs_hotplug_known(id.vid, id.pid, &e->driver);
  e->time_unix = time_unix;
}

void cs_hotplug_tracker_arrive(cs_hotplug_tracker *t, cs_usb_id id, double time_unix) {
  if (!cs_hotplug_known(id.vid, id.pid, NULL) || find(t, id) >= 0) return;
  if (t->n_present == MAX_PRESENT) return;
  t->present[t->n_present++] = id;
  push(t, CS_HOTPLUG_ARRIVED, id, time_unix);
}

void cs_hotplug_tracker_leave(cs_hotplug_tracker *t, cs_usb_id id, double time_unix) {
  long i = find(t, id);
  if (i < 0) return;
  t->present[i] = t->present[--t->n_present];
  push(t, CS_HOTPLUG_LEFT, id, time_unix);
}

void cs_hotplug_tracker_snapshot(cs_hotplug_tracker *t, const cs_usb_id *ids, size_t n,
                                 double time_unix) {
  /* gone: present before, not in the snapshot */
  for (size_t i = 0; i < t->n_present;) {
    int still = 0;
    for (size_t j = 0; j < n && !still; j++) still = same(t->present[i], ids[j]);
    if (still) i++;
    else cs_hotplug_tracker_leave(t, t->present[i], time_unix); /* swaps in the last: recheck i */
  }
  for (size_t j = 0; j < n; j++) cs_hotplug_tracker_arrive(t, ids[j], time_unix);
}

int cs_hotplug_tracker_next(cs_hotplug_tracker *t, cs_hotplug_event *ev) {
  if (t->count == 0) return 0;
  *ev = t->queue[t->head];
  t->head = (t->head + 1) % MAX_QUEUE;
  t->count--;
  return 1;
}

size_t cs_hotplug_tracker_count(const cs_hotplug_tracker *t, const char *driver) {
  size_t n = 0;
  for (size_t i = 0; i < t->n_present; i++) {
    const char *d = "";
    cs_hotplug_known(t->present[i].vid, t->present[i].pid, &d);
    if (!driver || !strcmp(driver, d)) n++;
  }
  return n;
}
