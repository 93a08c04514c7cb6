/* record.h: the cell record, one observation of one cell (or one channel's power).
 *
 * The same struct comes out of replay, scan and import and goes into the store and the exports.
 * Unknown numbers are NAN (doubles) or -1 (integers); unknown strings are empty. Its JSON Lines
 * form (src/record.c, documented in docs/records.md) is a contract: field names never change. */
#ifndef CELLSURVEY_RECORD_H
#define CELLSURVEY_RECORD_H

#include <stdint.h>

#define CS_MAX_NEIGHBOURS 128
#define CS_MAX_PLMNS 6
#define CS_MAX_UTRAN 16       /* UTRAN FDD neighbour frequencies kept (GSM SI2quater) */
#define CS_MAX_UTRAN_SC 32    /* scrambling codes kept per UTRAN frequency */
#define CS_MAX_EUTRAN 16      /* E-UTRAN neighbour frequencies kept (GSM SI2quater) */

typedef enum { CS_RAT_NONE = 0, CS_RAT_GSM = 1, CS_RAT_LTE = 2 } cs_rat;

typedef struct {
  char mcc[4]; /* digits as broadcast: "001" */
  char mnc[4]; /* 2 or 3 digits as broadcast: "01" and "001" differ */
} cs_plmn;

/* A UTRAN FDD neighbour frequency from GSM SI2quater: UARFCN and primary scrambling codes. */
typedef struct {
  int uarfcn;
  int n_sc;
  int16_t sc[CS_MAX_UTRAN_SC]; /* ascending, 0..511 */
} cs_utran_neighbour;

/* An E-UTRAN neighbour frequency from GSM SI2quater (TS 44.018 10.5.2.33b). */
typedef struct {
  int earfcn;
  int meas_bw_prb;           /* Measurement Bandwidth in PRB (6 when not broadcast) */
  int priority;              /* E-UTRAN_PRIORITY 0..7; -1 not broadcast */
  int thresh_high;           /* THRESH_E-UTRAN_high 0..31 (2 dB steps) */
  int thresh_low;            /* THRESH_E-UTRAN_low 0..31; -1 not broadcast */
  int qrxlevmin;             /* E-UTRAN_QRXLEVMIN 0..31; -1 not broadcast */
} cs_eutran_neighbour;

typedef struct {
  /* when, where, with what */
  double time_unix;          /* UTC seconds since 1970; NAN if unknown */
  int has_fix;               /* 1: lat/lon valid */
  double lat, lon, alt;      /* degrees, metres */
  double eph_m;              /* horizontal error estimate (metres) or NAN */
  int fix_mode;              /* 0 none, 2 2D, 3 3D, -1 fixed (mast) position */
  char device[96];           /* device args or serial; "file" for replay */
  char source[256];          /* capture path or device description */
  int calibrated;            /* 1: *_dbm fields hold calibrated dBm */

  cs_rat rat;
  char band[16];             /* "GSM900", "DCS1800", ... for GSM; "1", "3", ... for LTE */
  int arfcn;                 /* GSM; -1 */
  int earfcn;                /* LTE (when on the 100 kHz raster); -1 */
  double freq_hz;            /* carrier centre frequency (nominal raster) */

  /* identities */
  cs_plmn plmn;              /* GSM: from SI3/SI4 LAI. LTE: first PLMN of SIB1 */
  int bsic;                  /* GSM 0..63; -1 */
  int lac;                   /* GSM location area code; -1 */
  int64_t cell_id;           /* GSM cell identity (16 bit); -1 */
  int neighbours[CS_MAX_NEIGHBOURS];
  int n_neighbours;          /* GSM SI2/2bis/2ter BCCH allocation; -1 unknown */
  uint32_t si_seen;          /* GSM: bit n set when SI type n was decoded (see cs_gsm_si_bit) */
  int cell_barred;           /* GSM (SI3 RACH control) or LTE (SIB1); -1 unknown */
  int gprs;                  /* GSM: SI13 / GPRS indicator seen; -1 unknown */
  int rac;                   /* GSM routing area code (SI13 rest octets); -1 */
  int nmo;                   /* GSM network mode of operation 1, 2, 3 (SI13 GPRS Cell Options); -1 */
  cs_utran_neighbour utran[CS_MAX_UTRAN];
  int n_utran;               /* GSM SI2quater 3G neighbours; -1 unknown (no SI2quater) */
  cs_eutran_neighbour eutran[CS_MAX_EUTRAN];
  int n_eutran;              /* GSM SI2quater E-UTRAN neighbours; -1 unknown (no SI2quater) */

  int pci;                   /* LTE physical cell id 0..503; -1 */
  char duplex[4];            /* "FDD" or "TDD" */
  int n_prb;                 /* LTE downlink bandwidth in PRB; -1 */
  int ports;                 /* LTE CRS antenna ports (1, 2, 4); -1 */
  char cp[9];                /* "normal" or "extended" */
  char phich_duration[9];    /* "normal" or "extended" */
  char phich_resource[4];    /* "1/6", "1/2", "1", "2" */
  int sfn;                   /* LTE system frame number seen; -1 */
  cs_plmn plmns[CS_MAX_PLMNS];
  int n_plmns;               /* LTE: PLMNs in SIB1; 0 when SIB1 is not decoded */
  int tac;                   /* LTE tracking area code; -1 */
  int64_t cell_identity;     /* LTE 28-bit cell identity; -1 */
  int q_rxlevmin_dbm;        /* LTE SIB1 q-RxLevMin in dBm; INT32_MIN when unknown */
  int freq_band_indicator;   /* LTE SIB1; -1 */
  char sib1_status[64];      /* "decoded", or why not: "not decoded", "outside captured bandwidth" */

  /* measurements */
  double power_dbfs;         /* GSM channel power (200 kHz) */
  double power_dbm;          /* calibrated power or NAN */
  int rxlev;                 /* GSM RXLEV 0..63 (TS 45.008 8.1.4) from calibrated power; -1 */
  double snr_db;             /* GSM SNR from the training-sequence residual */
  double rsrp_dbfs, rsrp_dbm;/* LTE RSRP per resource element (TS 36.214 5.1.1) */
  double rssi_dbfs, rssi_dbm;/* LTE E-UTRA carrier RSSI (TS 36.214 5.1.3) */
  double rsrq_db;            /* LTE RSRQ = N*RSRP/RSSI */
  double sinr_db;            /* LTE SINR from the CRS */
  double cfo_hz;             /* carrier frequency offset from nominal */
  double cfo_ppm;
  int decode_count;          /* how many independent decodes back this record (blocks, MIBs) */
} cs_cell_record;

/* A record with every field unknown. */
void cs_record_init(cs_cell_record *r);

/* The JSON Lines form: one object, no newline. Returns a malloc'd string (NULL on OOM). */
char *cs_record_to_json(const cs_cell_record *r);

/* Parse one JSON Lines object back into a record (import). CS_ERR_INPUT with a message on bad
 * input. */
#include "cellsurvey/error.h"
cs_status cs_record_from_json(const char *text, cs_cell_record *r, cs_err *err);

/* RFC 3339 UTC with milliseconds ("2026-11-28T19:15:07.123Z"). */
void cs_format_time(double t, char *buf, unsigned long cap);

/* Bit for GSM SI type names in si_seen. */
enum {
  CS_SI1 = 1u << 0, CS_SI2 = 1u << 1, CS_SI2BIS = 1u << 2, CS_SI2TER = 1u << 3,
  CS_SI2QUATER = 1u << 4, CS_SI3 = 1u << 5, CS_SI4 = 1u << 6, CS_SI13 = 1u << 7,
};

#endif
