/* commands.h: one entry point per command; each returns the process exit code
 * (0 ok, 1 environment failure, 2 bad input or usage). argv[0] is the command name. */
#ifndef CS_COMMANDS_H
#define CS_COMMANDS_H

#define CS_VERSION "0.1.0"

int cmd_spectrum(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_grid(int argc, char **argv);
int cmd_cells(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_push(int argc, char **argv);

#endif
