/* sib1.c: unaligned PER (X.691) decoder for BCCH-DL-SCH-Message carrying
 * SystemInformationBlockType1 (TS 36.331 6.2.1, 6.2.2, 6.3.4). Every read is bounds-checked;
 * running out of bits is an error, never a read past the buffer. */
#include "lte/sib1.h"

#include <string.h>

typedef struct {
  const uint8_t *p;
  size_t nbits, pos;
  int overrun;      /* ran out of bits */
  int invalid;      /* a constrained value above its upper bound */
} bitrd;

static uint32_t rd(bitrd *b, unsigned n) {
  uint32_t v = 0;
  for (unsigned i = 0; i < n; i++) {
    if (b->pos >= b->nbits) {
      b->overrun = 1;
      return 0;
    }
    v = (v << 1) | ((b->p[b->pos >> 3] >> (7 - (b->pos & 7))) & 1);
    b->pos++;
  }
  return v;
}

/* Constrained whole number or enumeration index lo..hi (X.691 10.5.7.1: ceil(log2(range)) bits,
 * offset from lo); an encoding above hi marks the reader invalid and gives hi. */
static int rd_int(bitrd *b, int lo, int hi) {
  unsigned range = (unsigned)(hi - lo) + 1, n = 0;
  while ((1u << n) < range) n++;
  int v = lo + (int)rd(b, n);
  if (v > hi) {
    b->invalid = 1;
    return hi;
  }
  return v;
}

/* Normally small non-negative whole number (X.691 10.6), for extension indices. */
static uint32_t rd_small(bitrd *b) {
  if (!rd(b, 1)) return rd(b, 6);
  uint32_t len = rd(b, 8); /* semi-constrained length, octets (length < 128 in practice) */
  if (len > 4) {
    b->overrun = 1;
    return 0;
  }
  return rd(b, 8 * len);
}

static cs_status bad(cs_err *err, const bitrd *b, const char *what) {
  if (b->overrun)
    return cs_fail(err, CS_ERR_INPUT, "SIB1: message ends (%zu bits) while reading %s", b->nbits, what);
  if (b->invalid)
    return cs_fail(err, CS_ERR_INPUT, "SIB1: value out of range in %s (before bit %zu)", what, b->pos);
  return cs_fail(err, CS_ERR_INPUT, "SIB1: invalid %s at bit %zu", what, b->pos);
}

static cs_status plmn_list(bitrd *b, lte_sib1 *s, cs_err *err) {
  /* PLMN-IdentityList ::= SEQUENCE (SIZE (1..maxPLMN-r11 = 6)) OF PLMN-IdentityInfo */
  s->n_plmn = rd_int(b, 1, 6);
  for (int i = 0; i < s->n_plmn; i++) {
    lte_plmn *p = &s->plmn[i];
    /* PLMN-Identity ::= SEQUENCE { mcc MCC OPTIONAL, mnc MNC } */
    int has_mcc = (int)rd(b, 1);
    if (has_mcc) {
      for (int j = 0; j < 3; j++) {
        p->mcc[j] = (char)('0' + rd_int(b, 0, 9)); /* MCC-MNC-Digit ::= INTEGER (0..9) */
      }
      p->mcc[3] = 0;
    } else if (i > 0) {
      memcpy(p->mcc, s->plmn[i - 1].mcc, sizeof p->mcc); /* Cond MCC: same as the previous */
    } else {
      return bad(err, b, "first PLMN without MCC");
    }
    int nd = rd_int(b, 2, 3); /* MNC ::= SEQUENCE (SIZE (2..3)) */
    for (int j = 0; j < nd; j++) {
      p->mnc[j] = (char)('0' + rd_int(b, 0, 9));
    }
    p->mnc[nd] = 0;
    p->reserved_for_operator_use = rd(b, 1) == 0; /* ENUMERATED {reserved, notReserved} */
    if (b->overrun || b->invalid) return bad(err, b, "plmn-IdentityList");
  }
  return CS_OK;
}

static cs_status sched_list(bitrd *b, lte_sib1 *s, cs_err *err) {
  static const int period[7] = {8, 16, 32, 64, 128, 256, 512};
  s->n_sched = rd_int(b, 1, LTE_SIB1_MAX_SI); /* SIZE (1..maxSI-Message) */
  for (int i = 0; i < s->n_sched; i++) {
    lte_sched_info *si = &s->sched[i];
    si->periodicity_rf = period[rd_int(b, 0, 6)]; /* ENUMERATED {rf8 .. rf512} */
    si->n_sib = rd_int(b, 0, LTE_SIB1_MAX_SIB); /* SIB-MappingInfo SIZE (0..maxSIB-1) */
    for (int j = 0; j < si->n_sib; j++) {
      /* SIB-Type ::= ENUMERATED {sibType3 .. sibType11, sibType12-v920 .. sibType18-v1250
       * (16 root values, 4 bits), ..., sibType19-v1250, sibType20-v1310, sibType21-v1430,
       * sibType24-v1530, sibType25-v1530, sibType26-v1530}: extension bit first */
      static const uint8_t ext_sib[6] = {19, 20, 21, 24, 25, 26};
      if (rd(b, 1)) {
        uint32_t ext = rd_small(b);
        si->sib_type[j] = ext < 6 ? ext_sib[ext] : 0; /* 0: a later type unknown here */
      } else {
        si->sib_type[j] = (uint8_t)(3 + rd(b, 4));
      }
    }
    if (b->overrun || b->invalid) return bad(err, b, "schedulingInfoList");
  }
  return CS_OK;
}

/* SystemInformationBlockType1-v890-IEs: lateNonCriticalExtension OCTET STRING (CONTAINING
 * SystemInformationBlockType1-v8h0-IEs { multiBandInfoList (SIZE (1..8)) OF INTEGER (1..64)
 * OPTIONAL, nonCriticalExtension v9e0-IEs { freqBandIndicator-v9e0 INTEGER (1..256) OPTIONAL,
 * ... } OPTIONAL }), nonCriticalExtension OPTIONAL. Only the band information is taken; these
 * fields are optional, so a malformed extension leaves the base SIB1 as decoded. */
static void extensions(bitrd *b, lte_sib1 *s) {
  int has_late = (int)rd(b, 1);
  rd(b, 1); /* nonCriticalExtension (v920): not needed */
  if (!has_late || b->overrun) return;
  /* X.691 10.9.3.6-7 unconstrained length (unaligned): 0 + 7 bits, or 10 + 14 bits */
  size_t len;
  if (!rd(b, 1)) len = rd(b, 7);
  else if (!rd(b, 1)) len = rd(b, 14);
  else return; /* fragmented: not in a SIB1 */
  if (b->overrun || len == 0 || b->pos + 8 * len > b->nbits) return;
  bitrd c = {b->p, b->pos + 8 * len, b->pos, 0, 0}; /* the contained v8h0-IEs */
  int has_mb = (int)rd(&c, 1), has_v9e0 = (int)rd(&c, 1);
  int n = 0, bands[8];
  if (has_mb) {
    n = rd_int(&c, 1, 8);
    for (int i = 0; i < n; i++) bands[i] = rd_int(&c, 1, 64);
  }
  int fbi = 0;
  if (has_v9e0) {
    int has_fbi = (int)rd(&c, 1);
    rd(&c, 2); /* multiBandInfoList-v9e0, nonCriticalExtension */
    if (has_fbi) fbi = rd_int(&c, 1, 256);
  }
  if (c.overrun || c.invalid) return;
  s->n_multi_band = n;
  for (int i = 0; i < n; i++) s->multi_band[i] = bands[i];
  if (fbi) s->freq_band_indicator = fbi; /* the band when freqBandIndicator is 64 or above */
}

cs_status lte_sib1_decode(const uint8_t *pdu, size_t len, lte_sib1 *s, cs_err *err) {
  bitrd b = {pdu, pdu ? len * 8 : 0, 0, 0, 0};
  memset(s, 0, sizeof *s);
  /* BCCH-DL-SCH-MessageType ::= CHOICE { c1 CHOICE { systemInformation,
   * systemInformationBlockType1 }, messageClassExtension } */
  if (rd(&b, 1)) return b.overrun ? bad(err, &b, "message type") : cs_fail(err, CS_ERR_INPUT, "SIB1: messageClassExtension, not SIB1");
  if (!rd(&b, 1)) return b.overrun ? bad(err, &b, "message type") : cs_fail(err, CS_ERR_INPUT, "SIB1: the message is SystemInformation, not SIB1");
  /* SystemInformationBlockType1: optional bitmap p-Max, tdd-Config, nonCriticalExtension */
  int has_pmax = (int)rd(&b, 1), has_tdd = (int)rd(&b, 1), has_nce = (int)rd(&b, 1);
  /* cellAccessRelatedInfo: optional csg-Identity */
  int has_csg = (int)rd(&b, 1);
  if (b.overrun) return bad(err, &b, "SIB1 header");
  cs_status st = plmn_list(&b, s, err);
  if (st) return st;
  s->tac = rd(&b, 16);                 /* TrackingAreaCode ::= BIT STRING (SIZE (16)) */
  s->cell_identity = rd(&b, 28);       /* CellIdentity ::= BIT STRING (SIZE (28)) */
  s->enb_id = s->cell_identity >> 8;
  s->local_cell_id = s->cell_identity & 0xff;
  s->cell_barred = rd(&b, 1) == 0;     /* ENUMERATED {barred, notBarred} */
  s->intra_freq_reselection = rd(&b, 1) == 0; /* {allowed, notAllowed} */
  s->csg_indication = (int)rd(&b, 1);  /* BOOLEAN */
  if (has_csg) {
    s->csg_identity_present = 1;
    s->csg_identity = rd(&b, 27);      /* CSG-Identity ::= BIT STRING (SIZE (27)) */
  }
  /* cellSelectionInfo ::= SEQUENCE { q-RxLevMin, q-RxLevMinOffset INTEGER (1..8) OPTIONAL } */
  int has_off = (int)rd(&b, 1);
  s->q_rxlevmin_dbm = 2 * rd_int(&b, -70, -22); /* Q-RxLevMin, actual value x 2 dBm */
  if (has_off) s->q_rxlevmin_offset_db = 2 * rd_int(&b, 1, 8);
  if (has_pmax) {
    s->p_max_present = 1;
    s->p_max_dbm = rd_int(&b, -30, 33); /* P-Max */
  }
  s->freq_band_indicator = rd_int(&b, 1, 64);
  if (b.overrun || b.invalid) return bad(err, &b, "cellAccessRelatedInfo/cellSelectionInfo");
  st = sched_list(&b, s, err);
  if (st) return st;
  if (has_tdd) {
    /* TDD-Config ::= SEQUENCE { subframeAssignment ENUMERATED {sa0..sa6},
     * specialSubframePatterns ENUMERATED {ssp0..ssp8} } */
    s->tdd_present = 1;
    s->tdd_subframe_assignment = rd_int(&b, 0, 6);
    s->tdd_special_subframe_patterns = rd_int(&b, 0, 8);
    if (b.overrun || b.invalid) return bad(err, &b, "tdd-Config");
  }
  static const int win[7] = {1, 2, 5, 10, 15, 20, 40};
  s->si_window_ms = win[rd_int(&b, 0, 6)]; /* si-WindowLength ENUMERATED {ms1 .. ms40} */
  s->system_info_value_tag = rd_int(&b, 0, 31);
  if (b.overrun || b.invalid) return bad(err, &b, "si-WindowLength/systemInfoValueTag");
  if (has_nce) extensions(&b, s);
  return CS_OK;
}
