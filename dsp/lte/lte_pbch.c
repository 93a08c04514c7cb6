/* lte_pbch.c: PBCH receive chain (see lte_pbch.h). */
#include "lte/lte_pbch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fec/crc.h"
#include "fec/viterbi.h"
#include "lte/pseudo_random.h"

#define MIB_BITS 24
#define A_BITS 40   /* MIB + CRC16 */
#define D_BITS 120  /* rate 1/3 */
#define E_MAX (4 * LTE_PBCH_MAX_BITS)

struct lte_pbch_s {
  viterbi vit;
  uint16_t map[2][E_MAX]; /* [cp_extended][e] -> coded bit index 3k+i */
  uint8_t c[E_MAX];
  int c_pci, c_ext;
  float soft[D_BITS];
};

int lte_pbch_bits(int cp_extended) { return cp_extended ? 432 : 480; }

unsigned lte_pbch_crc_mask(int ports) {
  return ports == 2 ? 0xffffu : ports == 4 ? 0x5555u : 0u; /* TS 36.212 Table 5.3.1.1-1 */
}

/* TS 36.212 5.1.4.2: sub-block interleaver (32 columns, inter-column permutation of Table
 * 5.1.4-2), bit collection w = v0 v1 v2, then circular selection of E bits skipping <NULL>s. */
static void build_map(uint16_t *map, int E) {
  static const int perm[32] = {1, 17, 9,  25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                               0, 16, 8,  24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};
  const int D = A_BITS, C = 32, R = (D + C - 1) / C, ND = R * C - D, KPI = R * C;
  int w[3 * 64];
  for (int i = 0; i < 3; i++) {
    int n = 0;
    for (int c = 0; c < C; c++)
      for (int r = 0; r < R; r++) {
        int j = r * C + perm[c];
        w[i * KPI + n++] = j < ND ? -1 : 3 * (j - ND) + i;
      }
  }
  for (int k = 0, j = 0; k < E; j++)
    if (w[j % (3 * KPI)] >= 0) map[k++] = (uint16_t)w[j % (3 * KPI)];
}

lte_pbch lte_pbch_create(void) {
  lte_pbch q = calloc(1, sizeof *q);
  if (!q) return NULL;
  static const unsigned polys[3] = {0133, 0171, 0165}; /* TS 36.212 5.1.3.1 */
  q->vit = viterbi_create(7, 3, polys, A_BITS);
  if (!q->vit) { free(q); return NULL; }
  build_map(q->map[0], 4 * 480);
  build_map(q->map[1], 4 * 432);
  q->c_pci = -1;
  return q;
}

void lte_pbch_destroy(lte_pbch q) {
  if (!q) return;
  viterbi_destroy(q->vit);
  free(q);
}

/* TS 36.211 6.6.1: scrambling sequence over the 40 ms TTI, c_init = N_ID^cell */
static void scrambling(lte_pbch q, int pci, int ext) {
  if (q->c_pci == pci && q->c_ext == ext) return;
  lte_pseudo_random((uint32_t)pci, (unsigned)(4 * lte_pbch_bits(ext)), q->c);
  q->c_pci = pci;
  q->c_ext = ext;
}

/* TS 36.211 6.6.4: slot 1 symbols 0..3, the 72 central subcarriers, skipping REs reserved for the
 * CRS of ports 0..3 whatever the actual port count. Pairs of REs follow in mapping order. */
void lte_pbch_llr(const float complex *re, float complex *const *h, int n_prb, int cp_extended,
                  int pci, int ports, float noise_var, float *llr) {
  const int K = 12 * n_prb, n_symb = cp_extended ? 12 : 14, k0 = 6 * n_prb - 36;
  const float nv = noise_var > 1e-20f ? noise_var : 1e-20f;
  int pos[2];
  int np = 0, n = 0, idx = 0;
  for (int lp = 0; lp < 4; lp++) {
    int l = n_symb / 2 + lp;
    int has_crs = lp < 2 || (cp_extended && lp == 3);
    for (int kp = 0; kp < 72; kp++) {
      if (has_crs && kp % 3 == pci % 3) continue;
      int k = k0 + kp;
      size_t o = (size_t)l * K + k;
      if (ports == 1) {
        float complex z = re[o] * conjf(h[0][o]);
        float s = 2.0f * (float)M_SQRT2 / nv;
        llr[n++] = s * crealf(z);
        llr[n++] = s * cimagf(z);
        continue;
      }
      pos[np++] = (int)o;
      if (np < 2) continue;
      np = 0;
      /* TS 36.211 6.3.4.3: ports (0,1), or (0,2) on the first and (1,3) on the second pair of
       * each group of four with 4 ports */
      int pa = 0, pb = 1;
      if (ports == 4 && (idx % 2) == 1) { pa = 1; pb = 3; }
      else if (ports == 4) { pa = 0; pb = 2; }
      idx++;
      float complex r0 = re[pos[0]], r1 = re[pos[1]];
      float complex h0 = 0.5f * (h[pa][pos[0]] + h[pa][pos[1]]);
      float complex h1 = 0.5f * (h[pb][pos[0]] + h[pb][pos[1]]);
      float complex x0 = conjf(h0) * r0 + h1 * conjf(r1);
      float complex x1 = conjf(h0) * r1 - h1 * conjf(r0);
      float s = 2.0f / nv;
      llr[n++] = s * crealf(x0);
      llr[n++] = s * cimagf(x0);
      llr[n++] = s * crealf(x1);
      llr[n++] = s * cimagf(x1);
    }
  }
}

int lte_pbch_decode(lte_pbch q, int pci, int cp_extended, int ports, const float *const frame[4],
                    uint8_t mib[24]) {
  const int M = lte_pbch_bits(cp_extended);
  scrambling(q, pci, cp_extended);
  memset(q->soft, 0, sizeof q->soft);
  const uint16_t *map = q->map[cp_extended ? 1 : 0];
  int any = 0;
  for (int s = 0; s < 4; s++) {
    if (!frame[s]) continue;
    any = 1;
    for (int i = 0; i < M; i++) {
      int e = s * M + i;
      q->soft[map[e]] += q->c[e] ? -frame[s][i] : frame[s][i];
    }
  }
  if (!any) return 0;
  uint8_t a[A_BITS];
  viterbi_decode(q->vit, q->soft, A_BITS, 1, a);
  /* TS 36.212 5.3.1.1: CRC16 over the MIB, scrambled with the port mask */
  uint64_t rem = crc_remainder(a, MIB_BITS, CRC_POLY_LTE16, 16);
  uint64_t got = crc_pack(a + MIB_BITS, 16);
  if ((rem ^ got) != lte_pbch_crc_mask(ports)) return 0;
  memcpy(mib, a, MIB_BITS);
  return 1;
}

void lte_pbch_encode(lte_pbch q, int pci, int cp_extended, int ports, const uint8_t mib[24],
                     uint8_t *bits) {
  const int M = lte_pbch_bits(cp_extended);
  uint8_t a[A_BITS], d[D_BITS];
  memcpy(a, mib, MIB_BITS);
  crc_unpack(crc_remainder(mib, MIB_BITS, CRC_POLY_LTE16, 16) ^ lte_pbch_crc_mask(ports), 16,
             a + MIB_BITS);
  viterbi_encode(q->vit, a, A_BITS, 1, d);
  scrambling(q, pci, cp_extended);
  const uint16_t *map = q->map[cp_extended ? 1 : 0];
  for (int e = 0; e < 4 * M; e++) bits[e] = d[map[e]] ^ q->c[e];
}
