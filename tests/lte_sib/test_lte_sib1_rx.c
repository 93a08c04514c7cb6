/* test_lte_sib1_rx.c: end to end through lte_sib1_rx on synthetic subframes built by the test
 * transmitter (lte_tx.c): SIB1 PDUs from the shared captures' eNBs, DCI 1A (localized and
 * distributed) and 1C, 1/2/4 ports, 6 to 100 PRB, AWGN; soft combining of the four redundancy
 * versions at low SNR; reuse of the grant when the PDCCH is lost; no false SIB1 from noise. */
#include "check.h"
#include "fec/crc.h"
#include "lte/ctrl_map.h"
#include "lte/pdcch.h"
#include "lte/ra.h"
#include "lte/sib1_rx.h"
#include "lte_sib/lte_tx.h"
#include "lte_sib/rng.h"

static size_t hex_to_bytes(const char *hex, uint8_t *out, size_t max) {
  size_t n = 0;
  for (; hex[0] && hex[1] && n < max; hex += 2) {
    unsigned v;
    if (sscanf(hex, "%2x", &v) != 1) break;
    out[n++] = (uint8_t)v;
  }
  return n;
}

typedef struct {
  int n_prb, ports, pci, cfi, ng, tdd; /* tdd: 1 + PHICH m_i of subframe 5 (1, 2, 3), 0 FDD */
  lte_dci_format fmt;
  int distributed, gap2;
  int cce_first, cce_l;
  const char *pdu_hex;
  const char *mcc, *mnc;
  unsigned tac;
  uint32_t ci;
  int cp_extended;
} scenario;

/* SIB1 PDUs as the captures' eNBs broadcast them (truth:cells[].sib1_pdu_hex of
 * ../shared/captures/lte/: pci0 6 PRB, pci257 15 PRB, pci101 and pci33 25 PRB, pci444 50 PRB,
 * pci503 100 PRB) and the real TDD SIB1 of lte_real/README.md. */
#define PDU_310_410 "404c4282130391a2b30f814b01082800"
#define PDU_234_15 "4048d02b1f400abcd2181420108280"
#define PDU_001_01_TAC7 "4040040300070019b0181460108280"
#define PDU_505_01 "405414030a0b123450781460108280"
#define PDU_262_01 "404988039c417a1200281420108280"
#define PDU_001_01_TAC1 "40400403000100e010381460108280"
#define PDU_460_00 "7051800111271486c0182359c242041127d9"
static const scenario scen[] = {
  {6, 1, 0, 3, LTE_PHICH_NG_1, 0, LTE_DCI_1A, 0, 0, 0, 4, PDU_310_410, "310", "410", 12345, 27439887, 0},
  {6, 2, 7, 2, LTE_PHICH_NG_1_6, 0, LTE_DCI_1C, 1, 0, 0, 4, PDU_310_410, "310", "410", 12345, 27439887, 0},
  {15, 4, 257, 2, LTE_PHICH_NG_2, 0, LTE_DCI_1A, 1, 0, 0, 4, PDU_234_15, "234", "15", 8000, 11259169, 0},
  {25, 1, 101, 2, LTE_PHICH_NG_1_6, 0, LTE_DCI_1A, 0, 0, 4, 4, PDU_001_01_TAC7, "001", "01", 7, 105217, 0},
  {25, 2, 33, 3, LTE_PHICH_NG_1_6, 0, LTE_DCI_1A, 1, 0, 8, 8, PDU_505_01, "505", "01", 2571, 19088647, 0},
  {50, 1, 444, 1, LTE_PHICH_NG_1, 0, LTE_DCI_1A, 1, 1, 0, 8, PDU_262_01, "262", "01", 40001, 128000002, 0},
  {50, 2, 301, 3, LTE_PHICH_NG_1_2, 0, LTE_DCI_1C, 1, 1, 4, 4, PDU_262_01, "262", "01", 40001, 128000002, 0},
  {100, 1, 503, 2, LTE_PHICH_NG_2, 0, LTE_DCI_1C, 1, 0, 8, 8, PDU_001_01_TAC1, "001", "01", 1, 917763, 0},
  {100, 2, 22, 1, LTE_PHICH_NG_1, 0, LTE_DCI_1A, 0, 0, 0, 4, PDU_001_01_TAC1, "001", "01", 1, 917763, 0},
  {25, 2, 30, 2, LTE_PHICH_NG_1_6, 1, LTE_DCI_1A, 0, 0, 0, 8, PDU_460_00, "460", "00", 4391, 21523457, 0},
  {50, 2, 30, 3, LTE_PHICH_NG_2, 3, LTE_DCI_1C, 1, 0, 0, 8, PDU_460_00, "460", "00", 4391, 21523457, 0},
  {100, 4, 77, 2, LTE_PHICH_NG_1, 2, LTE_DCI_1A, 1, 1, 4, 4, PDU_460_00, "460", "00", 4391, 21523457, 0},
  {25, 2, 150, 2, LTE_PHICH_NG_1, 0, LTE_DCI_1A, 0, 0, 0, 4, PDU_505_01, "505", "01", 2571, 19088647, 1},
  {6, 4, 11, 3, LTE_PHICH_NG_1_2, 0, LTE_DCI_1C, 1, 0, 0, 4, PDU_310_410, "310", "410", 12345, 27439887, 1},
};

static void setup(const scenario *s, lte_tx_cfg *c, const uint8_t *pdu, size_t len) {
  memset(c, 0, sizeof *c);
  c->cell = (lte_cell){.pci = s->pci, .n_prb = s->n_prb, .ports = s->ports, .ng = (lte_phich_ng)s->ng, .tdd = s->tdd > 0,
                       .cp_extended = s->cp_extended};
  c->phich_mi = s->tdd ? s->tdd - 1 : 1;
  c->subframe = 5;
  c->cfi = s->cfi;
  c->cce_first = s->cce_first;
  c->cce_l = s->cce_l;
  c->pdu = pdu;
  c->pdu_len = (unsigned)len;
  c->fill_other_cces = 1;
  c->hport[0] = 0.8f + 0.3f * I;
  c->hport[1] = -0.5f + 0.7f * I;
  c->hport[2] = 0.2f - 0.9f * I;
  c->hport[3] = -0.6f - 0.4f * I;
  lte_dci *d = &c->dci;
  d->format = s->fmt;
  d->distributed = s->distributed;
  d->gap2 = s->gap2;
  int n = s->n_prb;
  if (s->fmt == LTE_DCI_1A) {
    /* I_MCS 4, N_PRB^1A = 3 -> TBS 208; 3 (localized) or 4 (distributed) VRBs from VRB 1 */
    d->mcs = 4;
    d->tpc = 1;
    d->riv = lte_riv_encode(1, s->distributed ? 4 : 3, n);
    d->ndi = d->gap2;
  } else {
    /* 1C: I_TBS 7 -> 208 bits; L' = 1 step (2 or 4 VRBs) ... 2 steps on 6 PRB */
    int step = n < 50 ? 2 : 4, nvp = lte_nvrb_dist(n, 0) / step;
    d->mcs = 7;
    d->riv = lte_riv_encode(0, n < 50 ? 2 : 1, nvp);
  }
}

static int set_sfn(lte_tx_cfg *c, int sfn) {
  /* RV of SIB1 (TS 36.321 5.3.1): k = (SFN/2) mod 4, RV = ceil(3k/2) mod 4 */
  int k = (sfn / 2) % 4;
  c->sfn = sfn;
  c->rv = ((3 * k + 1) / 2) % 4;
  c->dci.rv = c->rv;
  return c->rv;
}

static void check_sib1(const scenario *s, const lte_sib1 *r) {
  CHECK(r != NULL, "no result");
  if (!r) return;
  CHECK_STR(r->plmn[0].mcc, s->mcc);
  CHECK_STR(r->plmn[0].mnc, s->mnc);
  CHECK_INT(r->tac, s->tac);
  CHECK_INT(r->cell_identity, s->ci);
}

int main(void) {
  lte_subframe_grid *g;
  uint8_t pdu[64];

  /* RV sequence of 36.321 5.3.1 over one 80 ms period: 0, 2, 3, 1 */
  lte_tx_cfg c;
  memset(&c, 0, sizeof c);
  CHECK(set_sfn(&c, 0) == 0 && set_sfn(&c, 2) == 2 && set_sfn(&c, 4) == 3 && set_sfn(&c, 6) == 1, "RV sequence");

  /* 1. every scenario at 10 dB decodes from one SIB1 subframe; other subframes are ignored */
  for (size_t i = 0; i < sizeof scen / sizeof scen[0]; i++) {
    const scenario *s = &scen[i];
    size_t len = hex_to_bytes(s->pdu_hex, pdu, sizeof pdu);
    setup(s, &c, pdu, len);
    set_sfn(&c, 2 * (int)i);
    g = lte_tx_grid_create(&c.cell);
    lte_sib1_rx rx = lte_sib1_rx_create(&c.cell);
    CHECK(rx != NULL, "create");
    c.snr_db = 10;
    int tbs = lte_tx_subframe(&c, g);
    CHECK(tbs == 208, "scenario %zu: tx tbs %d", i, tbs);
    /* subframe 4 and an odd SFN are not SIB1 subframes */
    g->subframe = 4;
    CHECK_INT(lte_sib1_rx_execute(rx, g), 0);
    g->subframe = 5;
    g->sfn = 2 * (int)i + 1;
    CHECK_INT(lte_sib1_rx_execute(rx, g), 0);
    g->sfn = 2 * (int)i;
    int r = lte_sib1_rx_execute(rx, g);
    lte_sib1_rx_stats st;
    lte_sib1_rx_get_stats(rx, &st);
    CHECK(r == 1, "scenario %zu (%d PRB, %d ports, fmt %d dist %d, tdd %d, ext CP %d): r=%d dci %d crc fail %d cfi %d", i, s->n_prb,
          s->ports, s->fmt, s->distributed, s->tdd, s->cp_extended, r, st.dci_found, st.tb_crc_fail, st.last_cfi);
    if (r == 1) {
      check_sib1(s, lte_sib1_rx_result(rx));
      size_t plen;
      const uint8_t *raw = lte_sib1_rx_pdu(rx, &plen);
      uint8_t padded[26] = {0};
      memcpy(padded, pdu, len);
      CHECK(plen == 26 && memcmp(raw, padded, 26) == 0, "raw PDU (%zu bytes)", plen);
      CHECK_INT(st.last_cfi, s->cfi);
      /* the re-created PCFICH, DCI and PDSCH equal the noiseless transmission at their REs */
      lte_subframe_grid *clean = lte_tx_grid_create(&c.cell);
      c.snr_db = 300;
      lte_tx_subframe(&c, clean);
      size_t nre = (size_t)g->n_symb * 12 * (size_t)s->n_prb;
      float complex *rec = calloc(nre, sizeof *rec);
      int nrec = lte_sib1_rx_reconstruct(rx, g, rec);
      int off = 0, written = 0;
      for (size_t j = 0; j < nre; j++) {
        if (rec[j] == 0) continue;
        written++;
        off += cabsf(rec[j] - clean->re[j]) > 1e-3f;
      }
      CHECK(nrec > 16 + 36 * s->cce_l && written == nrec && off == 0, "scenario %zu: reconstruct %d REs, %d written, %d differ", i, nrec, written, off);
      free(rec);
      lte_tx_grid_destroy(clean);
    }
    lte_sib1_rx_destroy(rx);
    lte_tx_grid_destroy(g);
  }

  /* 2. Soft combining (RV 0, 2, 3, 1 over SFN 0..6) at an SNR where one transmission rarely
   * decodes: 25 PRB, 1 port, 3 PRBs for 208 bits */
  const scenario *s = &scen[3];
  size_t len = hex_to_bytes(s->pdu_hex, pdu, sizeof pdu);
  setup(s, &c, pdu, len);
  c.cce_l = 8;
  c.cce_first = 0;
  g = lte_tx_grid_create(&c.cell);
  float snr = getenv("LTE_SIB_SNR") ? (float)atof(getenv("LTE_SIB_SNR")) : -4.0f;
  int first = 0, by4 = 0, trials = 12;
  for (int t = 0; t < trials; t++) {
    lte_sib1_rx rx = lte_sib1_rx_create(&c.cell);
    for (int n = 0; n < 4; n++) {
      set_sfn(&c, 8 * t + 2 * n);
      c.snr_db = snr;
      lte_tx_subframe(&c, g);
      if (lte_sib1_rx_execute(rx, g) == 1) {
        first += n == 0;
        by4++;
        check_sib1(s, lte_sib1_rx_result(rx));
        break;
      }
    }
    lte_sib1_rx_destroy(rx);
  }
  printf("combining at %.1f dB: %d/%d decoded from one transmission, %d/%d within four\n", snr, first, trials, by4, trials);
  CHECK(first <= trials / 3, "one transmission decoded %d of %d times: SNR too high for the test", first, trials);
  CHECK(by4 >= trials - 1, "soft combining decoded only %d of %d", by4, trials);

  /* 3. The PDCCH of a later SIB1 subframe is lost: the receiver reuses the last grant */
  {
    lte_sib1_rx rx = lte_sib1_rx_create(&c.cell);
    set_sfn(&c, 16);
    c.snr_db = 10;
    lte_tx_subframe(&c, g);
    CHECK_INT(lte_sib1_rx_execute(rx, g), 1);
    set_sfn(&c, 18);
    c.no_pdcch = 1;
    lte_tx_subframe(&c, g);
    CHECK_INT(lte_sib1_rx_execute(rx, g), 1);
    lte_sib1_rx_stats st;
    lte_sib1_rx_get_stats(rx, &st);
    CHECK(st.dci_found == 1 && st.tb_crc_ok == 2, "dci %d ok %d", st.dci_found, st.tb_crc_ok);
    c.no_pdcch = 0;
    lte_sib1_rx_destroy(rx);
  }

  /* 3b. The PCFICH is wiped out (e.g. interference): the CFIs are all tried */
  {
    lte_sib1_rx rx = lte_sib1_rx_create(&c.cell);
    static lte_ctrl_map m;
    lte_ctrl_map_build(&c.cell, 1, 1, &m);
    set_sfn(&c, 20);
    c.snr_db = 10;
    lte_tx_subframe(&c, g);
    for (int i = 0; i < 16; i++) g->re[m.pcfich_re[i]] = 0;
    CHECK_INT(lte_sib1_rx_execute(rx, g), 1);
    lte_sib1_rx_stats st;
    lte_sib1_rx_get_stats(rx, &st);
    CHECK_INT(st.last_cfi, c.cfi);
    lte_sib1_rx_destroy(rx);
  }

  /* 4. Noise only (and random control channel content): never a SIB1 */
  {
    lte_sib1_rx rx = lte_sib1_rx_create(&c.cell);
    int hits = 0;
    size_t nre = (size_t)g->n_symb * 12 * c.cell.n_prb;
    for (int t = 0; t < 60; t++) {
      g->subframe = 5;
      g->sfn = 2 * t;
      for (size_t i = 0; i < nre; i++) g->re[i] = 0.7f * (rng_gauss() + I * rng_gauss());
      g->noise_var = 1.0f;
      hits += lte_sib1_rx_execute(rx, g) == 1;
    }
    CHECK_INT(hits, 0);
    CHECK(lte_sib1_rx_result(rx) == NULL, "result without SIB1");
    lte_sib1_rx_destroy(rx);
  }
  /* a grid of another bandwidth is refused */
  {
    lte_cell other = c.cell;
    other.n_prb = 50;
    lte_sib1_rx rx = lte_sib1_rx_create(&other);
    CHECK_INT(lte_sib1_rx_execute(rx, g), -1);
    lte_sib1_rx_destroy(rx);
    rx = lte_sib1_rx_create(&c.cell);
    g->noise_var = NAN;
    CHECK_INT(lte_sib1_rx_execute(rx, g), -1);
    lte_sib1_rx_destroy(rx);
    other.n_prb = 5;
    CHECK(lte_sib1_rx_create(&other) == NULL, "5 PRB accepted");
  }
  lte_tx_grid_destroy(g);
  return check_done();
}
