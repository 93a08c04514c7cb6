/* cmd_devices.c: `cellsurvey devices`: list attached SDRs with serials and capabilities. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cellsurvey/hotplug.h"
#include "cellsurvey/soapy.h"
#include "commands.h"

static const char usage[] =
    "usage: cellsurvey devices [--device FILTER] [--json] [--no-probe]\n"
    "       cellsurvey devices --watch SECONDS [--json] [--poll]\n"
    "\n"
    "Lists the SDRs SoapySDR can see (HackRF, LimeSDR, RTL-SDR, bladeRF, ...) with their serials\n"
    "and capabilities: frequency range, sample rates, analog bandwidths, gains and antennas.\n"
    "\n"
    "  --device FILTER  SoapySDR args to match (driver=hackrf, serial=...); default: all.\n"
    "                   The simulated device needs its scene: driver=cellsurvey-sim,scene=DIR\n"
    "                   (or CELLSURVEY_SIM_SCENE=DIR in the environment)\n"
    "  --json           one JSON object {\"devices\": [...]} on stdout\n"
    "  --no-probe       do not open the devices (serials only; for devices in use)\n"
    "  --watch SECONDS  report known SDRs (HackRF, LimeSDR, RTL-SDR, bladeRF) arriving on and\n"
    "                   leaving USB for that long, one line (or JSON object) per event\n"
    "  --poll           with --watch: scan the bus every second instead of libusb hotplug\n"
    "  --verbose        let the SoapySDR driver modules print their own chatter on stderr\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 done (also when none is attached), 1 environment failure, 2 bad usage.\n";

static cJSON *ranges_json(const cs_soapy_range *r, int n) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "min", r[i].min);
    cJSON_AddNumberToObject(o, "max", r[i].max);
    if (r[i].step > 0) cJSON_AddNumberToObject(o, "step", r[i].step);
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *names_json(const char (*names)[32], int n) {
  cJSON *a = cJSON_CreateArray();
  for (int i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
  return a;
}

static cJSON *device_json(const cs_soapy_device *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "driver", d->driver);
  cJSON_AddStringToObject(o, "label", d->label);
  cJSON_AddStringToObject(o, "serial", d->serial);
  cJSON_AddStringToObject(o, "model", d->model);
  cJSON_AddStringToObject(o, "args", d->args);
  cJSON_AddBoolToObject(o, "opened", d->opened);
  if (!d->opened && d->open_error[0]) cJSON_AddStringToObject(o, "error", d->open_error);
  cJSON_AddNumberToObject(o, "max_rate", d->max_rate);
  if (d->opened) {
    cJSON_AddItemToObject(o, "frequency_ranges", ranges_json(d->freq, d->n_freq));
    cJSON_AddItemToObject(o, "sample_rates", ranges_json(d->rates, d->n_rates));
    cJSON_AddItemToObject(o, "bandwidths", ranges_json(d->bandwidths, d->n_bandwidths));
    cJSON *g = cJSON_CreateObject();
    cJSON_AddNumberToObject(g, "min", d->gain.min);
    cJSON_AddNumberToObject(g, "max", d->gain.max);
    cJSON_AddNumberToObject(g, "step", d->gain.step);
    cJSON_AddItemToObject(g, "elements", names_json(d->gain_names, d->n_gain_names));
    cJSON_AddItemToObject(o, "gain", g);
    cJSON_AddItemToObject(o, "antennas", names_json(d->antennas, d->n_antennas));
  }
  return o;
}

static void print_ranges(const char *what, const cs_soapy_range *r, int n, double unit, const char *u) {
  printf("    %-11s", what);
  if (n == 0) printf(" (not reported)");
  for (int i = 0; i < n; i++) {
    if (r[i].min == r[i].max) printf("%s %g", i ? "," : "", r[i].min / unit);
    else printf("%s %g-%g", i ? "," : "", r[i].min / unit, r[i].max / unit);
    if (i == 7 && n > 9) {
      printf(", ... (%d ranges)", n);
      break;
    }
  }
  printf(" %s\n", u);
}

static void print_device(size_t i, const cs_soapy_device *d) {
  printf("%zu: %s  serial %s  (model %s)\n", i, d->label[0] ? d->label : d->driver,
         d->serial[0] ? d->serial : "(none)", d->model);
  printf("    args        %s\n", d->args);
  if (!d->opened) {
    if (d->open_error[0]) printf("    not opened: %s\n", d->open_error);
    return;
  }
  print_ranges("frequency", d->freq, d->n_freq, 1e6, "MHz");
  print_ranges("rates", d->rates, d->n_rates, 1e6, "Msps");
  printf("    max rate    %g Msps used by cellsurvey\n", d->max_rate / 1e6);
  print_ranges("bandwidths", d->bandwidths, d->n_bandwidths, 1e6, "MHz");
  printf("    gain        %g-%g dB (", d->gain.min, d->gain.max);
  for (int k = 0; k < d->n_gain_names; k++) printf("%s%s", k ? ", " : "", d->gain_names[k]);
  printf(")\n    antennas    ");
  for (int k = 0; k < d->n_antennas; k++) printf("%s%s", k ? ", " : "", d->antennas[k]);
  printf("\n");
}

static void on_usb(void *ctx, const cs_hotplug_event *ev) {
  int json = *(int *)ctx;
  const char *what = ev->kind == CS_HOTPLUG_ARRIVED ? "arrived" : "left";
  if (json)
    printf("{\"event\":\"%s\",\"model\":\"%s\",\"driver\":\"%s\",\"vid\":\"%04x\",\"pid\":\"%04x\","
           "\"bus\":%u,\"address\":%u,\"time\":%.3f}\n",
           what, ev->model, ev->driver, ev->id.vid, ev->id.pid, ev->id.bus, ev->id.address, ev->time_unix);
  else
    printf("%s %s (%04x:%04x, bus %u address %u): open with --device driver=%s\n", ev->model, what,
           ev->id.vid, ev->id.pid, ev->id.bus, ev->id.address, ev->driver);
  fflush(stdout);
}

static int watch(double seconds, int json, int poll) {
  cs_hotplug *h;
  cs_err err;
  if (cs_hotplug_create(on_usb, &json, 1.0, poll, &h, &err) != CS_OK) {
    fprintf(stderr, "cellsurvey devices: %s\n", err.msg);
    return 1;
  }
  for (double t = 0; t < seconds; t += 0.2) {
    if (cs_hotplug_poll(h, 0.2, &err) != CS_OK) {
      fprintf(stderr, "cellsurvey devices: %s\n", err.msg);
      cs_hotplug_destroy(h);
      return 1;
    }
  }
  cs_hotplug_destroy(h);
  return 0;
}

int cmd_devices(int argc, char **argv) {
  static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"no-probe", no_argument, NULL, 'n'},
                                       {"watch", required_argument, NULL, 'w'},
                                       {"poll", no_argument, NULL, 'p'},
                                       {"verbose", no_argument, NULL, 'v'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *filter = "";
  int json = 0, probe = 1, poll = 0, verbose = 0, c;
  double watch_s = -1;
  char *end;
  optind = 1;
  while ((c = getopt_long(argc, argv, "d:jnw:pvh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': filter = optarg; break;
    case 'j': json = 1; break;
    case 'n': probe = 0; break;
    case 'p': poll = 1; break;
    case 'v': verbose = 1; break;
    case 'w':
      watch_s = strtod(optarg, &end);
      if (end == optarg || *end || !(watch_s >= 0)) {
        fprintf(stderr, "cellsurvey devices: --watch wants seconds, not '%s'\n", optarg);
        return 2;
      }
      break;
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind != argc) {
    fprintf(stderr, "cellsurvey devices: unexpected argument '%s'\n", argv[optind]);
    return 2;
  }
  if (watch_s >= 0) return watch(watch_s, json, poll);
  cs_soapy_device *devs;
  size_t n;
  cs_err err;
  /* some driver modules (audio, UHD) print straight to stderr while probing: keep the listing
   * clean; our own errors come back through err */
  int saved = -1, devnull = verbose ? -1 : open("/dev/null", O_WRONLY);
  if (devnull >= 0) {
    fflush(stderr);
    saved = dup(2);
    dup2(devnull, 2);
    close(devnull);
  }
  cs_status st = cs_soapy_enumerate(filter, probe, &devs, &n, &err);
  if (saved >= 0) {
    dup2(saved, 2);
    close(saved);
  }
  if (st != CS_OK) {
    fprintf(stderr, "cellsurvey devices: %s\n", err.msg);
    return 1;
  }
  if (json) {
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "devices");
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, device_json(&devs[i]));
    char *s = cJSON_PrintUnformatted(root);
    if (s) puts(s);
    free(s);
    cJSON_Delete(root);
  } else if (n == 0) {
    printf("no SDR found%s%s\n", filter[0] ? " matching " : "", filter);
  } else {
    for (size_t i = 0; i < n; i++) print_device(i, &devs[i]);
  }
  free(devs);
  return 0;
}
