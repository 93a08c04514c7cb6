/* dci.c: DCI formats 1A and 1C for SI-RNTI (TS 36.212 5.3.3.1.3, 5.3.3.1.4). */
#include "lte/dci.h"

#include "lte/ra.h"

static unsigned ceil_log2(unsigned long x) {
  unsigned b = 0;
  while ((1ul << b) < x) b++;
  return b;
}

unsigned lte_dci_riv_bits(lte_dci_format f, int n) {
  if (n < 6 || n > 110) return 0;
  if (f == LTE_DCI_1A) return ceil_log2((unsigned long)n * (n + 1) / 2);
  int step = n < 50 ? 2 : 4; /* N_step^RB, TS 36.213 Table 7.1.6.3-1 */
  int nv = lte_nvrb_dist(n, 0) / step;
  return ceil_log2((unsigned long)nv * (nv + 1) / 2);
}

unsigned lte_dci_size(lte_dci_format f, int n, int tdd) {
  unsigned rb = lte_dci_riv_bits(f, n);
  if (!rb) return 0;
  if (f == LTE_DCI_1C) return (n >= 50 ? 1u : 0u) + rb + 5u;
  /* 1A: flag, loc/dist, RB assignment, MCS, HARQ (3 FDD, 4 TDD), NDI, RV, TPC, DAI (TDD) */
  unsigned a = 1 + 1 + rb + 5 + (tdd ? 4 : 3) + 1 + 2 + 2 + (tdd ? 2 : 0);
  /* format 0 (uplink bandwidth taken equal to the downlink): flag, hopping, RB assignment,
   * MCS/RV, NDI, TPC, DMRS cyclic shift, UL index/DAI (TDD), CSI request */
  unsigned f0 = 1 + 1 + rb + 5 + 1 + 2 + 3 + (tdd ? 2 : 0) + 1;
  if (a < f0) a = f0;
  /* Table 5.3.3.1.2-1 ambiguous sizes get one zero bit appended */
  static const unsigned amb[] = {12, 14, 16, 20, 24, 26, 32, 40, 44, 56};
  for (unsigned i = 0; i < sizeof amb / sizeof amb[0]; i++)
    if (a == amb[i]) return a + 1;
  return a;
}

static unsigned get(const uint8_t *b, unsigned *pos, unsigned n) {
  unsigned v = 0;
  for (unsigned i = 0; i < n; i++) v = (v << 1) | (b[(*pos)++] & 1);
  return v;
}

static void put(uint8_t *b, unsigned *pos, unsigned v, unsigned n) {
  for (unsigned i = 0; i < n; i++) b[(*pos)++] = (uint8_t)((v >> (n - 1 - i)) & 1);
}

int lte_dci_unpack(const uint8_t *bits, lte_dci_format f, int n, int tdd, lte_dci *d) {
  unsigned rb = lte_dci_riv_bits(f, n), p = 0;
  if (!rb) return 0;
  *d = (lte_dci){.format = f};
  if (f == LTE_DCI_1C) {
    d->distributed = 1;
    if (n >= 50) d->gap2 = (int)get(bits, &p, 1);
    d->riv = get(bits, &p, rb);
    d->mcs = (int)get(bits, &p, 5);
    return 1;
  }
  if (!get(bits, &p, 1)) return 0; /* flag 0 = format 0 */
  d->distributed = (int)get(bits, &p, 1);
  d->riv = get(bits, &p, rb);
  d->mcs = (int)get(bits, &p, 5);
  d->harq = (int)get(bits, &p, tdd ? 4 : 3);
  d->ndi = (int)get(bits, &p, 1);
  d->rv = (int)get(bits, &p, 2);
  d->tpc = (int)get(bits, &p, 2);
  if (tdd) d->dai = (int)get(bits, &p, 2);
  /* SI-RNTI: with N_RB >= 50 and distributed VRBs the NDI bit selects the gap */
  if (d->distributed && n >= 50) d->gap2 = d->ndi;
  return 1;
}

unsigned lte_dci_pack(const lte_dci *d, int n, int tdd, uint8_t *bits) {
  unsigned size = lte_dci_size(d->format, n, tdd), rb = lte_dci_riv_bits(d->format, n), p = 0;
  if (!size) return 0;
  if (d->format == LTE_DCI_1C) {
    if (n >= 50) put(bits, &p, (unsigned)d->gap2, 1);
    put(bits, &p, d->riv, rb);
    put(bits, &p, (unsigned)d->mcs, 5);
  } else {
    put(bits, &p, 1, 1);
    put(bits, &p, (unsigned)d->distributed, 1);
    put(bits, &p, d->riv, rb);
    put(bits, &p, (unsigned)d->mcs, 5);
    put(bits, &p, (unsigned)d->harq, tdd ? 4 : 3);
    put(bits, &p, (unsigned)((d->distributed && n >= 50) ? d->gap2 : d->ndi), 1);
    put(bits, &p, (unsigned)d->rv, 2);
    put(bits, &p, (unsigned)d->tpc, 2);
    if (tdd) put(bits, &p, (unsigned)d->dai, 2);
  }
  while (p < size) bits[p++] = 0;
  return size;
}
