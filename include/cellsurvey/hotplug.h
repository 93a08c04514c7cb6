/* hotplug.h: watch known SDRs (by USB VID:PID) arriving and leaving.
 *
 * Two layers. The tracker (hw/hotplug_tracker.c) is pure logic: it keeps the set of SDRs present,
 * turns raw arrive/leave notifications or whole-bus snapshots (poll mode) into de-duplicated
 * events, and queues them; unit tests drive it directly. The watcher (hw/hotplug.c) feeds a
 * tracker from libusb: hotplug callbacks where libusb supports them, else a bus scan every
 * poll interval. Callbacks run from cs_hotplug_poll() in the caller's thread, never from inside
 * libusb, so they may open and close devices. */
#ifndef CELLSURVEY_HOTPLUG_H
#define CELLSURVEY_HOTPLUG_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

typedef struct {
  uint16_t vid, pid;
  uint8_t bus, address; /* USB location: tells two identical SDRs apart */
} cs_usb_id;

typedef enum { CS_HOTPLUG_ARRIVED = 1, CS_HOTPLUG_LEFT = 2 } cs_hotplug_kind;

typedef struct {
  cs_hotplug_kind kind;
  cs_usb_id id;
  const char *model;   /* "HackRF One", "LimeSDR USB", ... (static string) */
  const char *driver;  /* SoapySDR driver key to open it: "hackrf", "lime", "rtlsdr", "bladerf" */
  double time_unix;    /* when it was seen */
} cs_hotplug_event;

/* Known SDR by VID:PID, or NULL. *driver (may be NULL) gets the SoapySDR driver key. */
const char *cs_hotplug_known(uint16_t vid, uint16_t pid, const char **driver);

/* ---- tracker: pure state machine ---- */
typedef struct cs_hotplug_tracker cs_hotplug_tracker;

cs_hotplug_tracker *cs_hotplug_tracker_create(void);
void cs_hotplug_tracker_destroy(cs_hotplug_tracker *t);
/* A device arrived / left (from a hotplug callback). Unknown VID:PIDs and repeats are ignored. */
void cs_hotplug_tracker_arrive(cs_hotplug_tracker *t, cs_usb_id id, double time_unix);
void cs_hotplug_tracker_leave(cs_hotplug_tracker *t, cs_usb_id id, double time_unix);
/* Poll mode: the complete list of USB devices now on the bus; differences become events. */
void cs_hotplug_tracker_snapshot(cs_hotplug_tracker *t, const cs_usb_id *ids, size_t n,
                                 double time_unix);
/* Take the oldest queued event; 0 when none. */
int cs_hotplug_tracker_next(cs_hotplug_tracker *t, cs_hotplug_event *ev);
/* Known SDRs present now (driver NULL: any). */
size_t cs_hotplug_tracker_count(const cs_hotplug_tracker *t, const char *driver);

/* ---- watcher: libusb ---- */
typedef struct cs_hotplug cs_hotplug;
typedef void (*cs_hotplug_cb)(void *ctx, const cs_hotplug_event *ev);

/* Start watching. poll_interval_s: bus scan interval when libusb has no hotplug support (or when
 * force_poll); the devices already attached are reported as ARRIVED on the first poll. */
cs_status cs_hotplug_create(cs_hotplug_cb cb, void *ctx, double poll_interval_s, int force_poll,
                            cs_hotplug **h, cs_err *err);
/* Handle USB events for up to timeout_s and deliver queued events to the callback. */
cs_status cs_hotplug_poll(cs_hotplug *h, double timeout_s, cs_err *err);
/* 1 if libusb hotplug callbacks are used, 0 in poll mode. */
int cs_hotplug_native(const cs_hotplug *h);
size_t cs_hotplug_count(const cs_hotplug *h, const char *driver);
void cs_hotplug_destroy(cs_hotplug *h);

#endif
