/* hostile_gen.c: see hostile_gen.h. The GSM burst formats follow TS 45.002 5.2 (FCCH, SCH with
 * the 64-bit extended training sequence, normal burst with TSC 0) and the 51-multiframe of TS0
 * (TS 45.002 6.3, 7 table 3); modulation is GMSK with BT 0.3 on differentially encoded bits
 * (TS 45.004 2.3-2.6). LTE PSS/SSS follow TS 36.211 6.11.1.1 and 6.11.2.1, the OFDM symbol
 * timing 6.12 (normal CP, 1.92 Msps: CP 10 then 9 samples). */
#include "hostile_gen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double hg_uniform(hg_rng *r) {
  r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(r->s >> 11) / 9007199254740992.0;
}

float complex hg_gauss(hg_rng *r) {
  double u1 = hg_uniform(r) + 1e-12, u2 = hg_uniform(r);
  double m = sqrt(-log(u1));
  return (float)(m * cos(2 * M_PI * u2)) + I * (float)(m * sin(2 * M_PI * u2));
}

/* ---- GSM ---- */
static const uint8_t sch_tsc[64] = {1,0,1,1,1,0,0,1,0,1,1,0,0,0,1,0,0,0,0,0,0,1,0,0,0,0,0,0,1,1,1,1,
                                    0,0,1,0,1,1,0,1,0,1,0,0,0,1,0,1,0,1,1,1,0,1,1,0,0,0,0,1,1,0,1,1};
static const uint8_t tsc0[26] = {0,0,1,0,0,1,0,1,1,1,0,0,0,0,1,0,0,0,1,0,0,1,0,1,1,1};

/* bits of one burst (148 useful bits, tail bits 0) into b; kind 0 normal, 1 FCCH, 2 SCH */
static void gsm_burst_bits(uint8_t *b, int kind, hg_rng *r) {
  memset(b, 0, 148);
  if (kind == 1) return; /* FCCH: all zeros */
  for (int i = 3; i < 145; i++) b[i] = hg_uniform(r) < 0.5;
  if (kind == 2) memcpy(b + 42, sch_tsc, 64);
  else memcpy(b + 61, tsc0, 26);
}

void hg_gsm_garbage(float complex *x, size_t n, float amp, int truncate_bursts, hg_rng *r) {
  enum { SPS = 4, GL = 4 * SPS + 1 };
  /* Gaussian frequency pulse, BT 0.3, unit sum */
  float g[GL];
  double sum = 0, bt = 0.3, sigma = sqrt(log(2.0)) / (2 * M_PI * bt) * SPS;
  for (int i = 0; i < GL; i++) { double t = i - (GL - 1) / 2.0; g[i] = (float)exp(-t * t / (2 * sigma * sigma)); sum += g[i]; }
  for (int i = 0; i < GL; i++) g[i] /= (float)sum;
  float nrz[GL] = {0}; /* delay line of the upsampled symbols */
  double phase = 0;
  size_t k = 0;
  uint8_t bits[157], prev = 0;
  for (uint64_t fn = 0; k < n; fn++) {
    for (int tn = 0; tn < 8 && k < n; tn++) {
      int nbits = (tn == 0 || tn == 4) ? 157 : 156; /* 156.25 on average */
      int kind = 0, t51 = (int)(fn % 51);
      if (tn == 0 && t51 % 10 == 0 && t51 != 50) kind = 1;
      if (tn == 0 && t51 % 10 == 1) kind = 2;
      gsm_burst_bits(bits, kind, r);
      int cut = truncate_bursts ? 10 + (int)(hg_uniform(r) * 130) : 148;
      for (int i = 0; i < nbits && k < n; i++) {
        uint8_t b = i < 148 ? bits[i] : 1; /* guard period: dummy 1s */
        int a = 1 - 2 * (b ^ prev);          /* TS 45.004 2.4, 2.5 */
        prev = b;
        for (int s = 0; s < SPS && k < n; s++) {
          memmove(nrz + 1, nrz, sizeof(float) * (GL - 1));
          nrz[0] = (float)a;
          float f = 0;
          for (int j = 0; j < GL; j++) f += g[j] * nrz[j];
          phase += M_PI / 2 / SPS * f;
          float on = i < cut ? amp : 0.0f;
          x[k++] = on * (float)cos(phase) + I * on * (float)sin(phase);
        }
      }
    }
  }
}

/* ---- LTE ---- */
static void idft128(const float complex *in, float complex *out) {
  for (int t = 0; t < 128; t++) {
    float complex acc = 0;
    for (int f = 0; f < 128; f++) if (in[f] != 0) acc += in[f] * cexpf(I * 2.0f * (float)M_PI * (float)(f * t % 128) / 128.0f);
    out[t] = acc / sqrtf(128.0f);
  }
}

static void pss(int n_id2, float complex *d) {
  static const int root[3] = {25, 29, 34};
  int u = root[n_id2];
  for (int n = 0; n < 62; n++) {
    int m = n < 31 ? n * (n + 1) : (n + 1) * (n + 2);
    d[n] = cexpf(-I * (float)M_PI * (float)(u * m % 126) / 63.0f);
  }
}

static void mseq(int taps, int *out) { /* TS 36.211 6.11.2.1: x(i+5) by taps bitmask over x(i..i+4) */
  int x[31] = {0, 0, 0, 0, 1};
  for (int i = 0; i < 26; i++) {
    int v = 0;
    for (int j = 0; j < 5; j++) if (taps & (1 << j)) v ^= x[i + j];
    x[i + 5] = v;
  }
  for (int i = 0; i < 31; i++) out[i] = 1 - 2 * x[i];
}

static void sss(int n_id1, int n_id2, int subframe5, float complex *d) {
  int s[31], c[31], z[31];
  mseq((1 << 2) | 1, s);                              /* x(i+2)+x(i) */
  mseq((1 << 3) | 1, c);                              /* x(i+3)+x(i) */
  mseq((1 << 4) | (1 << 2) | (1 << 1) | 1, z);        /* x(i+4)+x(i+2)+x(i+1)+x(i) */
  int qp = n_id1 / 30, q = (n_id1 + qp * (qp + 1) / 2) / 30, mp = n_id1 + q * (q + 1) / 2;
  int m0 = mp % 31, m1 = (m0 + mp / 31 + 1) % 31;
  for (int n = 0; n < 31; n++) {
    int s0 = s[(n + m0) % 31], s1 = s[(n + m1) % 31];
    int c0 = c[(n + n_id2) % 31], c1 = c[(n + n_id2 + 3) % 31];
    int z0 = z[(n + m0 % 8) % 31], z1 = z[(n + m1 % 8) % 31];
    d[2 * n] = subframe5 ? s1 * c0 : s0 * c0;
    d[2 * n + 1] = subframe5 ? s0 * c1 * z1 : s1 * c1 * z0;
  }
}

void hg_lte_garbage(float complex *x, size_t n, float amp, int pci, hg_rng *r) {
  float complex grid[128], sym[128], dp[62], ds0[62], ds5[62];
  pss(pci % 3, dp);
  sss(pci / 3, pci % 3, 0, ds0);
  sss(pci / 3, pci % 3, 1, ds5);
  float scale = amp * sqrtf(128.0f / 72.0f);
  size_t k = 0;
  for (int slot = 0; k < n; slot = (slot + 1) % 20) {
    for (int l = 0; l < 7 && k < n; l++) {
      memset(grid, 0, sizeof grid);
      for (int sc = -36; sc < 36; sc++) { /* 72 subcarriers around DC (DC unused) */
        int f = sc < 0 ? 128 + sc : sc + 1;
        float complex q = ((hg_uniform(r) < 0.5 ? 1 : -1) + I * (hg_uniform(r) < 0.5 ? 1 : -1)) / sqrtf(2.0f);
        grid[f] = q;
      }
      if (slot == 0 || slot == 10) {
        const float complex *d = l == 6 ? dp : l == 5 ? (slot == 0 ? ds0 : ds5) : NULL;
        if (d) {
          for (int sc = -36; sc < 36; sc++) grid[sc < 0 ? 128 + sc : sc + 1] = 0;
          for (int m = 0; m < 62; m++) { int sc = m - 31; grid[sc < 0 ? 128 + sc : sc + 1] = d[m]; }
        }
      }
      idft128(grid, sym);
      int cp = l == 0 ? 10 : 9;
      for (int t = 0; t < cp + 128 && k < n; t++) x[k++] = scale * sym[(t - cp + 128) % 128];
    }
  }
}

int hg_write_sigmf(const char *base, const float complex *x, size_t n, double rate,
                   double centre_hz, int ci8) {
  char path[4096];
  snprintf(path, sizeof path, "%s.sigmf-data", base);
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  for (size_t i = 0; i < n; i++) {
    if (ci8) {
      float v[2] = {crealf(x[i]) * 127.0f, cimagf(x[i]) * 127.0f};
      int8_t b[2];
      for (int j = 0; j < 2; j++) b[j] = (int8_t)(isnan(v[j]) ? 0 : v[j] > 127 ? 127 : v[j] < -128 ? -128 : lrintf(v[j]));
      fwrite(b, 1, 2, f);
    } else {
      float v[2] = {crealf(x[i]), cimagf(x[i])};
      fwrite(v, sizeof(float), 2, f);
    }
  }
  if (fclose(f) != 0) return -1;
  snprintf(path, sizeof path, "%s.sigmf-meta", base);
  f = fopen(path, "w");
  if (!f) return -1;
  fprintf(f, "{\"global\":{\"core:datatype\":\"%s\",\"core:sample_rate\":%.6f,\"core:version\":\"1.0.0\"},"
             "\"captures\":[{\"core:sample_start\":0,\"core:frequency\":%.1f}],\"annotations\":[]}\n",
          ci8 ? "ci8" : "cf32_le", rate, centre_hz);
  return fclose(f) == 0 ? 0 : -1;
}
