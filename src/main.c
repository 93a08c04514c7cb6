/* main.c: the cellsurvey command line: dispatch to one function per command (src/cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
    {"spectrum", cmd_spectrum, "channel power over a SigMF capture (GSM/LTE raster, CSV, JSON)"},
    {"replay", cmd_replay, "find, decode and measure every cell in SigMF captures"},
    {"devices", cmd_devices, "list attached SDRs with serials and capabilities (--json)"},
    {"record", cmd_record, "record IQ from a radio to SigMF (device, gain, position; --decode)"},
    {"calibrate", cmd_calibrate, "measure a radio's oscillator error (ppm) or power offset; store it"},
    {"import", cmd_import, "JSON Lines records (several kits) into a store"},
    {"grid", cmd_grid, "coverage grid per operator and RAT (GeoJSON) and the gap report"},
    {"cells", cmd_cells, "unique cells with estimated site positions"},
    {"export", cmd_export, "OpenCelliD, CellMapper, GeoJSON, KML, CSV or GeoTIFF"},
    {"report", cmd_report, "self-contained offline HTML report (maps, spectrum, cells, gaps)"},
    {"push", cmd_push, "merge a kit's store into a PostgreSQL fleet store"},
    {"scan", cmd_scan, "sweep bands with a live radio and decode every cell (--json, --db, --gps)"},
    {"daemon", cmd_daemon, "unattended station: scheduled scans, storage, GPS, status endpoint"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: cellsurvey COMMAND [OPTIONS] ...\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n'cellsurvey COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) { usage(stderr); return 2; }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) { usage(stdout); return 0; }
  if (!strcmp(argv[1], "--version")) { printf("cellsurvey %s\n", CS_VERSION); return 0; }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "cellsurvey: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
