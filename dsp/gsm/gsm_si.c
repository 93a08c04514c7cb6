/* gsm_si.c: System Information parsing, TS 44.018 9.1.31 to 9.1.43 (see gsm_si.h). */
#include "gsm_si.h"

#include <stddef.h>
#include <string.h>

void gsm_si_init(gsm_si_cell *c) {
  memset(c, 0, sizeof *c);
  c->lac = c->cell_id = -1;
  c->ccch_conf = c->bs_ag_blks_res = c->bs_pa_mfrms = c->att = c->t3212 = -1;
  c->cell_reselect_hysteresis = c->ms_txpwr_max_cch = c->rxlev_access_min = c->neci = c->acs = -1;
  c->cell_barred = c->max_retrans = c->tx_integer = c->re = -1;
  c->ncc_permitted = c->gprs = c->ba_format = -1;
  c->ba_ind2 = c->ba_ind2bis = c->ba_ind2ter = c->ext_ind2 = -1;
  c->si2q_count = c->si2q_3g_ba_ind = -1;
  c->bcch_change_mark = c->si_change_field = c->rac = c->nmo = c->pbcch = -1;
  c->t3168 = c->t3192 = c->drx_timer_max = c->access_burst_type = c->control_ack_type = c->bs_cv_max = -1;
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

/* Neighbour Cell Description (10.5.2.22, SI2/SI2bis) or Neighbour Cell Description 2 (10.5.2.22a,
 * SI2ter) into *set, which it replaces; BA-IND (octet 2 bit 5) into *ba_ind. Returns the list
 * format, GSM_FL_INVALID when malformed (then nothing changes). */
static int read_ncd(const uint8_t *v, int ext2, gsm_arfcn_set *set, int *ba_ind) {
  gsm_arfcn_set s;
  memset(&s, 0, sizeof s);
  int f = gsm_freqlist_decode(v, ext2, &s);
  if (f == GSM_FL_INVALID) return f;
  *set = s;
  *ba_ind = (v[0] >> 4) & 1;
  return f;
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

/* The rest octet parsers below read through a reader that remembers running out: bits past the
 * end read as 0 and set err (a 0/1 field cannot be past the end of a well-formed message), while
 * an L/H past the end reads as L (the spare padding goes on: no further additions). */
typedef struct { csn r; int err; } csr;
static unsigned get(csr *b, int n) {
  unsigned x = 0;
  for (int i = 0; i < n; i++) {
    int bit = csn_bit(&b->r);
    if (bit < 0) { b->err = 1; bit = 0; }
    x = x << 1 | (unsigned)bit;
  }
  return x;
}
static void skip(csr *b, int n) { get(b, n); }
static int lh(csr *b) { return csn_h(&b->r) == 1; }
/* { 0 | 1 < x : bit (n) > } */
static void skip_opt(csr *b, int n) { if (get(b, 1)) skip(b, n); }
/* a { 1 < ... > } ** 0 or { 0 < ... > } ** 1 repetition: continue while the bit is `more` */
static int more(csr *b, unsigned m) { return !b->err && get(b, 1) == m; }

/* One SI2quater instance before it is merged into the cell. */
typedef struct {
  int n_utran, n_eutran;
  gsm_utran_fdd utran[GSM_SI2Q_MAX_UTRAN];
  gsm_eutran_nb eutran[GSM_SI2Q_MAX_EUTRAN];
} si2q_inst;

static int floor_log2i(int x) { int l = 0; while (x >>= 1) l++; return l; }

/* 3G Neighbour Cell Description (10.5.2.33b; fields as in 9.1.54 Measurement Information) */
static void utran_ncd(csr *b, si2q_inst *q) {
  skip_opt(b, 7); /* Index_Start_3G */
  skip_opt(b, 7); /* Absolute_Index_Start_EMR */
  if (get(b, 1)) { /* UTRAN FDD Description */
    skip_opt(b, 3); /* Bandwidth_FDD */
    while (more(b, 1)) { /* Repeated UTRAN FDD Neighbour Cells */
      if (get(b, 1)) { b->err = 1; return; } /* '1': FDD-ARFCN-INDEX of old releases, not allowed */
      int uarfcn = (int)get(b, 14), indic0 = (int)get(b, 1), nr = (int)get(b, 5);
      /* FDD_CELL_INFORMATION: p(n) bits (table 9.1.54.1a) = the 1024 range W(1..n) widths,
       * 10 - floor(log2 i); n = 0 or 17..31: no field */
      int n = nr <= 16 ? nr : 0, W[17] = {0};
      for (int i = 1; i <= n; i++) W[i] = (int)get(b, 10 - floor_log2i(i));
      gsm_arfcn_set cells;
      memset(&cells, 0, sizeof cells);
      if (b->err || gsm_range1024_w_decode(W, n, &cells)) { b->err = 1; return; }
      if (indic0) gsm_set_add(&cells, 0); /* FDD_Indic0: value 0000000000 is in the set */
      if (q->n_utran == GSM_SI2Q_MAX_UTRAN) continue;
      gsm_utran_fdd *u = &q->utran[q->n_utran++];
      memset(u, 0, sizeof *u);
      u->uarfcn = uarfcn;
      /* each 10-bit value: bits 1..9 primary scrambling code, bit 10 diversity */
      for (int x = 0; x < 1024; x++)
        if (gsm_set_has(&cells, x)) u->sc[(x & 511) >> 3] |= (uint8_t)(1u << (x & 7));
    }
  }
  if (get(b, 1)) { /* UTRAN TDD Description */
    skip_opt(b, 3); /* Bandwidth_TDD */
    static const uint8_t q_bits[21] = {0, 9, 17, 25, 32, 39, 46, 53, 59, 65, 71, 77, 83, 89, 95, 101, 106, 111, 116, 121, 126};
    while (more(b, 1)) { /* Repeated UTRAN TDD Neighbour Cells (table 9.1.54.1b) */
      if (get(b, 1)) { b->err = 1; return; }
      skip(b, 15); /* TDD-ARFCN, TDD_Indic0 */
      int nr = (int)get(b, 5);
      skip(b, nr <= 20 ? q_bits[nr] : 0);
    }
  }
}

/* E-UTRAN Measurement Parameters Description (10.5.2.33b) */
static void skip_eutran_meas(csr *b) {
  skip(b, 7); /* Qsearch_C_E-UTRAN, E-UTRAN_REP_QUANT, E-UTRAN_MULTIRAT_REPORTING */
  int offsets = (int)get(b, 1);
  for (int k = 0; k < 2; k++) /* FDD, TDD */
    if (get(b, 1)) {
      skip(b, offsets ? 6 : 3); /* MEASUREMENT_REPORT_OFFSET or REPORTING_THRESHOLD */
      skip_opt(b, 6);           /* REPORTING_THRESHOLD_2 */
      skip_opt(b, 3);           /* REPORTING_OFFSET */
    }
  if (offsets) skip(b, 1); /* REPORTING_GRANULARITY */
}

/* Priority and E-UTRAN Parameters Description (10.5.2.33b, Rel-8) up to the E-UTRAN neighbours */
static void prio_eutran(csr *b, si2q_inst *q) {
  skip_opt(b, 15); /* Serving Cell Priority Parameters: GERAN_PRIORITY .. T_Reselection */
  if (get(b, 1)) { /* 3G Priority Parameters Description */
    skip(b, 2);      /* UTRAN_Start, UTRAN_Stop */
    skip_opt(b, 13); /* DEFAULT_UTRAN_PRIORITY, DEFAULT_THRESH_UTRAN, DEFAULT_UTRAN_QRXLEVMIN */
    while (more(b, 1)) { /* Repeated UTRAN Priority Parameters */
      while (more(b, 1)) skip(b, 5); /* UTRAN_FREQUENCY_INDEX */
      skip_opt(b, 3);                /* UTRAN_PRIORITY */
      skip(b, 5);                    /* THRESH_UTRAN_high */
      skip_opt(b, 5);                /* THRESH_UTRAN_low */
      skip_opt(b, 5);                /* UTRAN_QRXLEVMIN */
    }
  }
  if (!get(b, 1)) return; /* E-UTRAN Parameters Description */
  skip(b, 3);             /* E-UTRAN_CCN_ACTIVE, E-UTRAN_Start, E-UTRAN_Stop */
  if (get(b, 1)) skip_eutran_meas(b);
  if (get(b, 1)) { /* GPRS E-UTRAN Measurement Parameters Description */
    skip(b, 7);
    for (int k = 0; k < 2; k++)
      if (get(b, 1)) { skip(b, 3); skip_opt(b, 6); skip_opt(b, 3); }
  }
  static const int prb[8] = {6, 15, 25, 50, 75, 100, 100, 100}; /* 9.1.54: reserved codes mean 101 */
  while (more(b, 1)) { /* Repeated E-UTRAN Neighbour Cells */
    int first = q->n_eutran;
    while (more(b, 1)) {
      int earfcn = (int)get(b, 16), bw = get(b, 1) ? prb[get(b, 3)] : 6; /* absent: NRB = 6 */
      if (q->n_eutran == GSM_SI2Q_MAX_EUTRAN) continue;
      q->eutran[q->n_eutran++] = (gsm_eutran_nb){earfcn, bw, -1, -1, -1, -1};
    }
    int prio = get(b, 1) ? (int)get(b, 3) : -1, hi = (int)get(b, 5);
    int lo = get(b, 1) ? (int)get(b, 5) : -1, qmin = get(b, 1) ? (int)get(b, 5) : -1;
    for (int i = first; i < q->n_eutran; i++) {
      q->eutran[i].priority = prio;
      q->eutran[i].thresh_high = hi;
      q->eutran[i].thresh_low = lo;
      q->eutran[i].qrxlevmin = qmin;
    }
  }
  /* Not Allowed Cells, PCID to TA mapping and the CSG descriptions that follow are not needed */
}

/* GPRS_Real Time Difference Description: twice (RTD6, RTD12)
 * { 0 | 1 { 0 | 1 < BA_Index_Start_RTD : bit (5) > } < RTDn Struct > { 0 < RTDn Struct > } ** 1 },
 * < RTDn Struct > ::= { 0 < RTD : bit (n) > } ** 1 */
static void skip_rtd(csr *b) {
  for (int w = 6; w <= 12; w += 6)
    if (get(b, 1)) {
      skip_opt(b, 5);
      do {
        while (more(b, 0)) skip(b, w);
      } while (more(b, 0));
    }
}

/* 10.5.2.33b SI 2quater Rest Octets, one instance: 0 parsed, -1 malformed or truncated. */
static int si2q_parse(csr *b, si2q_inst *q, int *index, int *count, int *ba3g) {
  skip(b, 1); /* BA_IND */
  *ba3g = (int)get(b, 1);
  skip(b, 1); /* MP_CHANGE_MARK */
  *index = (int)get(b, 4);
  *count = (int)get(b, 4);
  if (*index > *count) return -1;
  skip_opt(b, 3); /* Measurement_Parameters Description: REPORT_TYPE, SERVING_BAND_REPORTING */
  if (get(b, 1)) skip_rtd(b);
  if (get(b, 1)) { /* GPRS_BSIC Description */
    skip_opt(b, 5); /* BA_Index_Start_BSIC */
    skip(b, 6);     /* BSIC */
    int nr = (int)get(b, 7);
    for (int i = 0; i < nr && !b->err; i++) skip(b, 7); /* Frequency_Scrolling, BSIC */
  }
  if (get(b, 1)) skip(b, (int)get(b, 7)); /* GPRS_REPORT PRIORITY: Number_Cells, REP_PRIORITY bits */
  if (get(b, 1)) { /* GPRS_MEASUREMENT_Parameters Description */
    skip(b, 3);     /* REPORT_TYPE, REPORTING_RATE, INVALID_BSIC_REPORTING */
    skip_opt(b, 2); /* MULTIBAND_REPORTING */
    skip_opt(b, 2); /* SERVING_BAND_REPORTING */
    skip(b, 2);     /* SCALE_ORD */
    for (int k = 0; k < 5; k++) skip_opt(b, 6); /* 900/1800/400/1900/850 offset + threshold */
  }
  if (get(b, 1)) { skip(b, 2); skip_opt(b, 9); } /* NC Measurement Parameters */
  if (get(b, 1)) skip(b, (int)get(b, 8) + 1);    /* SI2q Extension Information: length + 1 bits */
  if (get(b, 1)) utran_ncd(b, q);
  if (get(b, 1)) { skip(b, 5); skip_opt(b, 10); skip_opt(b, 6); } /* 3G Measurement Parameters */
  if (get(b, 1)) { /* GPRS_3G_MEASUREMENT Parameters Description */
    skip(b, 5); /* Qsearch_P, 3G_SEARCH_PRIO */
    skip_opt(b, 3);
    skip_opt(b, 6);
    skip_opt(b, 2);
    skip_opt(b, 6);
  }
  if (!b->err && lh(b)) {   /* Additions in Rel-5 */
    skip_opt(b, 7);         /* 3G Additional Measurement Parameters: FDD_Qmin_Offset, FDD_RSCPmin */
    if (get(b, 1)) skip_opt(b, 6); /* ... Description 2: FDD_REPORTING_THRESHOLD_2 */
    if (!b->err && lh(b)) { /* Additions in Rel-6 */
      skip(b, 1);           /* 3G_CCN_ACTIVE */
      if (!b->err && lh(b)) { /* Additions in Rel-7 */
        skip_opt(b, 6);       /* 700_REPORTING_OFFSET, _THRESHOLD */
        skip_opt(b, 6);       /* 810_REPORTING_OFFSET, _THRESHOLD */
        if (!b->err && lh(b) && get(b, 1)) prio_eutran(b, q); /* Rel-8 */
      }
    }
  }
  return b->err ? -1 : 0;
}

/* Merge an instance into the cell (9.1.34a: the lists are spread over SI2quater_COUNT + 1
 * instances; a repeated instance adds nothing, a new 3G_BA_IND or COUNT starts a new set). */
static void si2q_merge(gsm_si_cell *c, const si2q_inst *q, int index, int count, int ba3g) {
  if (c->si2q_count != count || c->si2q_3g_ba_ind != ba3g) {
    c->si2q_mask = 0;
    c->n_utran = c->n_eutran = 0;
    c->si2q_count = count;
    c->si2q_3g_ba_ind = ba3g;
  }
  if (c->si2q_mask & (1u << index)) return;
  c->si2q_mask |= 1u << index;
  for (int i = 0; i < q->n_utran; i++) {
    int k = 0;
    while (k < c->n_utran && c->utran[k].uarfcn != q->utran[i].uarfcn) k++;
    if (k == GSM_SI2Q_MAX_UTRAN) continue;
    if (k == c->n_utran) { memset(&c->utran[k], 0, sizeof c->utran[k]); c->utran[k].uarfcn = q->utran[i].uarfcn; c->n_utran++; }
    gsm_utran_fdd *u = &c->utran[k];
    u->n_sc = 0;
    for (int x = 0; x < 512; x++) {
      u->sc[x >> 3] |= q->utran[i].sc[x >> 3] & (uint8_t)(1u << (x & 7));
      u->n_sc += (u->sc[x >> 3] >> (x & 7)) & 1;
    }
  }
  for (int i = 0; i < q->n_eutran; i++) {
    int k = 0;
    while (k < c->n_eutran && c->eutran[k].earfcn != q->eutran[i].earfcn) k++;
    if (k == c->n_eutran && k < GSM_SI2Q_MAX_EUTRAN) c->eutran[c->n_eutran++] = q->eutran[i];
  }
}

/* 10.5.2.37b SI 13 Rest Octets up to the GPRS Cell Options (44.060 12.24): 0, or -1 malformed. */
static int si13_parse(gsm_si_cell *c, csr *b) {
  if (!lh(b)) return 0; /* L: no rest octets content */
  int bcm = (int)get(b, 3), scf = (int)get(b, 4);
  if (get(b, 1)) { /* SI13_CHANGE_MARK + GPRS Mobile Allocation (44.060 12.10a) */
    skip(b, 2 + 6); /* SI13_CHANGE_MARK, HSN */
    if (get(b, 1)) do skip(b, 4); while (more(b, 1)); /* RFL number list */
    if (!get(b, 1)) skip(b, (int)get(b, 6) + 1);       /* MA_LENGTH, MA_BITMAP */
    else if (get(b, 1)) do skip(b, 6); while (more(b, 1)); /* ARFCN index list */
  }
  int pbcch = (int)get(b, 1), rac = -1, nmo = -1, opt[6] = {-1, -1, -1, -1, -1, -1};
  if (!pbcch) { /* PBCCH not present in cell */
    rac = (int)get(b, 8);
    skip(b, 1 + 3 + 2); /* SPGC_CCCH_SUP, PRIORITY_ACCESS_THR, NETWORK_CONTROL_ORDER */
    nmo = (int)get(b, 2); /* GPRS Cell Options: NMO 00/01/10 = mode I/II/III, 11 reserved */
    nmo = nmo < 3 ? nmo + 1 : -1;
    static const int w[6] = {3, 3, 3, 1, 1, 4}; /* T3168 T3192 DRX_TIMER_MAX ACCESS_BURST_TYPE CONTROL_ACK_TYPE BS_CV_MAX */
    for (int k = 0; k < 6; k++) opt[k] = (int)get(b, w[k]);
  }
  if (b->err) return -1;
  c->bcch_change_mark = bcm;
  c->si_change_field = scf;
  c->pbcch = pbcch;
  c->rac = rac;
  c->nmo = nmo;
  c->t3168 = opt[0]; c->t3192 = opt[1]; c->drx_timer_max = opt[2];
  c->access_burst_type = opt[3]; c->control_ack_type = opt[4]; c->bs_cv_max = opt[5];
  return 0;
}

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
  case GSM_MT_SI2: { /* 9.1.32 */
    int f = read_ncd(v, 0, &c->ba2, &c->ba_ind2);
    if (f == GSM_FL_INVALID) { c->malformed++; return -1; }
    c->ba_format = f;
    c->ext_ind2 = (v[0] >> 5) & 1; /* 10.5.2.22 EXT-IND, octet 2 bit 6 */
    c->ncc_permitted = v[16];
    parse_rach(c, v + 17);
    c->si_seen |= GSM_SEEN_SI2;
    break;
  }
  case GSM_MT_SI2BIS: /* 9.1.33 */
    if (read_ncd(v, 0, &c->ba2bis, &c->ba_ind2bis) == GSM_FL_INVALID) { c->malformed++; return -1; }
    c->si_seen |= GSM_SEEN_SI2BIS;
    break;
  case GSM_MT_SI2TER: /* 9.1.34 */
    if (read_ncd(v, 1, &c->ba2ter, &c->ba_ind2ter) == GSM_FL_INVALID) { c->malformed++; return -1; }
    c->si_seen |= GSM_SEEN_SI2TER;
    break;
  case GSM_MT_SI2QUATER: { /* 9.1.34a: everything is in the rest octets (10.5.2.33b) */
    si2q_inst inst;
    memset(&inst, 0, offsetof(si2q_inst, utran));
    csr b = {{v, (int)len - 3, 0}, 0};
    int index, count, ba3g;
    if (si2q_parse(&b, &inst, &index, &count, &ba3g)) { c->malformed++; return -1; }
    si2q_merge(c, &inst, index, count, ba3g);
    c->si_seen |= GSM_SEEN_SI2QUATER;
    break;
  }
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
  case GSM_MT_SI13: { /* 9.1.43a: GPRS is present in the cell */
    csr b = {{v, (int)len - 3, 0}, 0};
    if (si13_parse(c, &b)) { c->malformed++; return -1; }
    c->gprs = 1;
    c->si_seen |= GSM_SEEN_SI13;
    break;
  }
  }
  return mt;
}

int gsm_si_has_neighbours(const gsm_si_cell *c) {
  return (c->si_seen & (GSM_SEEN_SI2 | GSM_SEEN_SI2BIS | GSM_SEEN_SI2TER)) != 0;
}

int gsm_si_neighbours(const gsm_si_cell *c, int *out, int max) {
  /* the reference BA-IND: SI2's, else SI2bis's, else SI2ter's */
  int ref = c->ba_ind2 >= 0 ? c->ba_ind2 : c->ba_ind2bis >= 0 ? c->ba_ind2bis : c->ba_ind2ter;
  int use2bis = c->ba_ind2bis == ref && (c->ba_ind2 < 0 || c->ext_ind2 == 1);
  int use2ter = c->ba_ind2ter == ref;
  int n = 0;
  for (int a = 0; a < 1024; a++)
    if ((c->ba_ind2 >= 0 && gsm_set_has(&c->ba2, a)) || (use2bis && gsm_set_has(&c->ba2bis, a)) ||
        (use2ter && gsm_set_has(&c->ba2ter, a))) {
      if (n < max) out[n] = a;
      n++;
    }
  return n;
}
