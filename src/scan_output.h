/* scan_output.h: how scan results are written: the JSON Lines form of a live record (the replay
 * record plus fix_time and an explicit no-fix), the terminal table and progress bar. Shared by
 * `cellsurvey scan` and the daemon's log. */
#ifndef CS_SCAN_OUTPUT_H
#define CS_SCAN_OUTPUT_H

#include <stdio.h>

#include "gpsfix.h"
#include "scan.h"

/* The record's JSON Lines object plus "fix_time" (RFC 3339 or null) and "fix_mode": 0 when there
 * is no fix. malloc'd; NULL on OOM. */
char *cs_scan_record_json(const cs_cell_record *r, const cs_gps_fix *fix);

void cs_scan_table_header(FILE *f);
void cs_scan_table_row(FILE *f, const cs_cell_record *r);
/* One line per step: the diagnostics. */
void cs_scan_step_header(FILE *f);
void cs_scan_step_row(FILE *f, const cs_scan_step *s);
/* "\r[#####.....] egsm900 step 2/3, 4 cells" on a terminal line. */
void cs_scan_progress(FILE *f, const char *band, int step, int n_steps, int cells);

#endif
