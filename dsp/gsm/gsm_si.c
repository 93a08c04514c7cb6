/* gsm_si.c: System Information parsing, TS 44.018 9.1.31 to 9.1.43 (see gsm_si.h). */
#include "gsm_si.h"

#include <string.h>

void gsm_si_init(gsm_si_cell *c) {
  memset(c, 0, sizeof *c);
  c->lac = c->cell_id = -1;
  c->ccch_conf = c->bs_ag_blks_res = c->bs_pa_mfrms = c->att = c->t3212 = -1;
  c->cell_reselect_hysteresis = c->ms_txpwr_max_cch = c->rxlev_access_min = c->neci = c->acs = -1;
  c->cell_barred = c->max_retrans = c->tx_integer = c->re = -1;
  c->ncc_permitted = c->gprs = c->ba_format = -1;
}

/* 10.5.1.3 Location Area Identification: 0 or -1 when a digit is not BCD. */
static int parse_lai(gsm_si_cell *c, const uint8_t *v) {
  int d[6] = {v[0] & 15, v[0] >> 4, v[1] & 15, v[2] & 15, v[2] >> 4, v[1] >> 4};
  for (int i = 0; i < 5; i++)
    if (d[i] > 9) return -1;
  if (d[5] > 9 && d[5] != 15) return -1;
  char mcc[4] = {(char)('0' + d[0]), (char)('0' + d[1]), (char)('0' + d[2]), 0};
  char mnc[4] = {(char)('0' + d[3]), (char)('0' + d[4]), d[5] == 15 ? 0 : (char)('0' + d[5]), 0};
  memcpy(c->mcc, mcc, 4);
  memcpy(c->mnc, mnc, 4);
  c->lac = v[3] << 8 | v[4];
  return 0;
}

/* 10.5.2.29 RACH Control Parameters (octet 1; access classes follow) */
static void parse_rach(gsm_si_cell *c, const uint8_t *v) {
  c->max_retrans = v[0] >> 6;
  c->tx_integer = (v[0] >> 2) & 15;
  c->cell_barred = (v[0] >> 1) & 1;
  c->re = v[0] & 1;
}

/* 10.5.2.4 Cell Selection Parameters */
static void parse_cell_sel(gsm_si_cell *c, const uint8_t *v) {
  c->cell_reselect_hysteresis = v[0] >> 5;
  c->ms_txpwr_max_cch = v[0] & 31;
  c->acs = v[1] >> 7;
  c->neci = (v[1] >> 6) & 1;
  c->rxlev_access_min = v[1] & 63;
}

/* Neighbour list IE into c->ba; 0 or -1 if malformed. */
static int add_neighbours(gsm_si_cell *c, const uint8_t *v, int ext2, int set_format) {
  gsm_arfcn_set s;
  memset(&s, 0, sizeof s);
  int f = gsm_freqlist_decode(v, ext2, &s);
  if (f == GSM_FL_INVALID) return -1;
  for (int i = 0; i < 128; i++) c->ba.bits[i] |= s.bits[i];
  if (set_format) c->ba_format = f;
  return 0;
}

/* CSN.1 reader over rest octets (TS 44.018 10.5.2.34 ff.): L/H bits are relative to the 0x2B
 * padding pattern (L = the padding's bit at that position, H = its complement). */
typedef struct { const uint8_t *v; int n, pos; } csn;
static int csn_bit(csn *r) {
  if (r->pos >= 8 * r->n) return -1;
  int b = (r->v[r->pos >> 3] >> (7 - (r->pos & 7))) & 1;
  r->pos++;
  return b;
}
static int csn_h(csn *r) { /* 1 for H, 0 for L, -1 past the end */
  int p = r->pos, b = csn_bit(r);
  return b < 0 ? -1 : b != ((0x2b >> (7 - (p & 7))) & 1);
}
static int csn_skip(csn *r, int n) { r->pos += n; return r->pos <= 8 * r->n ? 0 : -1; }

/* 10.5.2.34 SI 3 Rest Octets up to the GPRS Indicator: 1 present, 0 absent, -1 unreadable. */
static int si3_gprs(const uint8_t *v, int n) {
  csn r = {v, n, 0};
  int h;
  if ((h = csn_h(&r)) < 0 || (h && csn_skip(&r, 1 + 6 + 3 + 5))) return -1; /* selection parameters */
  if ((h = csn_h(&r)) < 0 || (h && csn_skip(&r, 2))) return -1;             /* power offset */
  if (csn_h(&r) < 0 || csn_h(&r) < 0) return -1;                            /* SI2ter ind., early classmark */
  if ((h = csn_h(&r)) < 0 || (h && csn_skip(&r, 3))) return -1;             /* scheduling if and where */
  return csn_h(&r);                                                         /* GPRS indicator */
}

int gsm_si_parse(gsm_si_cell *c, const uint8_t *l2, size_t len) {
  c->messages++;
  if (len < 3) { c->malformed++; return -1; }
  /* 10.5.2.19 L2 pseudo length: bits 8..3 length, bits 2..1 = 01 */
  if ((l2[0] & 3) != 1) { c->unknown++; return -1; }
  int plen = l2[0] >> 2;
  /* pseudo length 0: an L2 fill frame, except SI13 which is sent with length 0 */
  if (plen == 0 && !(l2[1] == 0x06 && l2[2] == GSM_MT_SI13)) { c->fill++; return -1; }
  if ((l2[1] & 0x0f) != 0x06 || (l2[1] >> 4) != 0) { c->unknown++; return -1; } /* RR, skip 0 */
  int mt = l2[2];
  /* the octets the message needs (from octet 0); rest octets fill up to 23 */
  size_t need;
  switch (mt) {
  case GSM_MT_SI1: need = 22; break;    /* CCD 16 + RACH 3 */
  case GSM_MT_SI2: need = 23; break;    /* NCD 16 + NCC 1 + RACH 3 */
  case GSM_MT_SI2BIS: need = 22; break; /* NCD 16 + RACH 3 */
  case GSM_MT_SI2TER: need = 19; break; /* NCD2 16 */
  case GSM_MT_SI3: need = 19; break;    /* CI 2 + LAI 5 + CCD 3 + opt 1 + sel 2 + RACH 3 */
  case GSM_MT_SI4: need = 13; break;    /* LAI 5 + sel 2 + RACH 3 */
  case GSM_MT_SI2QUATER: case GSM_MT_SI13: need = 3; break;
  case GSM_MT_PAGING1: case GSM_MT_PAGING2: case GSM_MT_PAGING3: case GSM_MT_IMM_ASS:
  case GSM_MT_IMM_ASS_EXT: case GSM_MT_IMM_ASS_REJ:
    c->other++;
    return mt;
  default: c->unknown++; return -1;
  }
  if (len < need || (size_t)plen + 1 > len) { c->malformed++; return -1; }
  const uint8_t *v = l2 + 3;
  switch (mt) {
  case GSM_MT_SI1: { /* 9.1.31 */
    gsm_arfcn_set s;
    memset(&s, 0, sizeof s);
    if (gsm_freqlist_decode(v, 0, &s) == GSM_FL_INVALID) { c->malformed++; return -1; }
    c->ca = s;
    parse_rach(c, v + 16);
    c->si_seen |= GSM_SEEN_SI1;
    break;
  }
  case GSM_MT_SI2: /* 9.1.32 */
    if (add_neighbours(c, v, 0, 1)) { c->malformed++; return -1; }
    c->ncc_permitted = v[16];
    parse_rach(c, v + 17);
    c->si_seen |= GSM_SEEN_SI2;
    break;
  case GSM_MT_SI2BIS: /* 9.1.33 */
    if (add_neighbours(c, v, 0, 0)) { c->malformed++; return -1; }
    c->si_seen |= GSM_SEEN_SI2BIS;
    break;
  case GSM_MT_SI2TER: /* 9.1.34 */
    if (add_neighbours(c, v, 1, 0)) { c->malformed++; return -1; }
    c->si_seen |= GSM_SEEN_SI2TER;
    break;
  case GSM_MT_SI2QUATER: /* 9.1.34a: rest octets only (3G/E-UTRAN neighbours, CSN.1) */
    c->si_seen |= GSM_SEEN_SI2QUATER;
    break;
  case GSM_MT_SI3: { /* 9.1.35 */
    gsm_si_cell t = *c;
    if (parse_lai(&t, v + 2)) { c->malformed++; return -1; }
    *c = t;
    c->cell_id = v[0] << 8 | v[1];
    const uint8_t *ccd = v + 7; /* 10.5.2.11 */
    c->att = (ccd[0] >> 6) & 1;
    c->bs_ag_blks_res = (ccd[0] >> 3) & 7;
    c->ccch_conf = ccd[0] & 7;
    c->bs_pa_mfrms = ccd[1] & 7;
    c->t3212 = ccd[2];
    parse_cell_sel(c, v + 11);
    parse_rach(c, v + 13);
    int g = si3_gprs(v + 16, (int)len - 19);
    if (g >= 0 && c->gprs != 1) c->gprs = g;
    c->si_seen |= GSM_SEEN_SI3;
    break;
  }
  case GSM_MT_SI4: { /* 9.1.36 */
    gsm_si_cell t = *c;
    if (parse_lai(&t, v)) { c->malformed++; return -1; }
    *c = t;
    parse_cell_sel(c, v + 5);
    parse_rach(c, v + 7);
    c->si_seen |= GSM_SEEN_SI4;
    break;
  }
  case GSM_MT_SI13: /* 9.1.43a: GPRS is present in the cell */
    c->gprs = 1;
    c->si_seen |= GSM_SEEN_SI13;
    break;
  }
  return mt;
}

int gsm_si_neighbours(const gsm_si_cell *c, int *out, int max) {
  int n = 0;
  for (int a = 0; a < 1024; a++)
    if (gsm_set_has(&c->ba, a)) {
      if (n < max) out[n] = a;
      n++;
    }
  return n;
}
