/* gsm_eq.c: least-squares channel estimate from the training sequence and max-log-MAP
 * equalisation of one GSM burst (see gsm_eq.h). */
#include "gsm_eq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NSTATES 8 /* 2^(GSM_EQ_TAPS-1) */
#define NSTEPS GSM_BURST_SYMBOLS

struct gsm_eq_s {
  float alpha[NSTEPS + 1][NSTATES];
  float beta[NSTEPS + 1][NSTATES];
  signed char known[GSM_BURST_SYMBOLS + 1]; /* +1, -1 or 0 (unknown) */
};

gsm_eq gsm_eq_create(void) { return calloc(1, sizeof(struct gsm_eq_s)); }
void gsm_eq_destroy(gsm_eq q) { free(q); }

/* Solve the real 4x4 system R g = c (complex right-hand side) by Gaussian elimination with
 * partial pivoting. Returns 0 if R is singular. */
static int solve4(float R[4][4], float complex c[4], float complex g[4]) {
  for (int i = 0; i < 4; i++) {
    int p = i;
    for (int r = i + 1; r < 4; r++)
      if (fabsf(R[r][i]) > fabsf(R[p][i])) p = r;
    if (fabsf(R[p][i]) < 1e-6f) return 0;
    if (p != i) {
      for (int k = 0; k < 4; k++) { float t = R[i][k]; R[i][k] = R[p][k]; R[p][k] = t; }
      float complex t = c[i]; c[i] = c[p]; c[p] = t;
    }
    for (int r = i + 1; r < 4; r++) {
      float f = R[r][i] / R[i][i];
      for (int k = i; k < 4; k++) R[r][k] -= f * R[i][k];
      c[r] -= f * c[i];
    }
  }
  for (int i = 3; i >= 0; i--) {
    float complex s = c[i];
    for (int k = i + 1; k < 4; k++) s -= R[i][k] * g[k];
    g[i] = s / R[i][i];
  }
  return 1;
}

/* Model: sample for symbol n = sum_l g[l] a[n+1-l] (one precursor tap, main tap, two postcursor
 * taps). Least squares over the equations whose four symbols all lie in the training sequence. */
static float estimate(const float complex *z, int c0, const signed char *a, int tp, int tl,
                      float complex g[4], float *resid, int *neq) {
  float R[4][4] = {{0}};
  float complex c[4] = {0};
  float energy = 0.0f;
  int m = 0;
  for (int n = tp + 2; n <= tp + tl - 2; n++, m++) {
    float complex s = z[c0 + GSM_SPS * n];
    float r[4] = {a[n + 1], a[n], a[n - 1], a[n - 2]};
    for (int i = 0; i < 4; i++) {
      c[i] += r[i] * s;
      for (int k = 0; k < 4; k++) R[i][k] += r[i] * r[k];
    }
    energy += crealf(s) * crealf(s) + cimagf(s) * cimagf(s);
  }
  float complex cc[4] = {c[0], c[1], c[2], c[3]};
  if (!solve4(R, cc, g)) { memset(g, 0, sizeof(float complex) * 4); *resid = energy; *neq = m; return 0.0f; }
  float expl = 0.0f;
  for (int i = 0; i < 4; i++) expl += crealf(conjf(c[i]) * g[i]);
  *resid = fmaxf(energy - expl, 0.0f);
  *neq = m;
  return expl;
}

void gsm_eq_burst(gsm_eq q, const float complex *z, int center, int range, const uint8_t *train,
                  int tp, int tl, float *llr, gsm_eq_result *res) {
  signed char *a = q->known;
  memset(a, 0, sizeof q->known);
  for (int k = 0; k < 3; k++) a[k] = a[GSM_BURST_SYMBOLS - 1 - k] = 1; /* tail bits 0 */
  for (int k = 0; k < tl; k++) a[tp + k] = train[k] ? -1 : 1;

  /* timing: the offset whose channel estimate explains most of the received energy */
  float complex g[4], best_g[4] = {0};
  float best = -1.0f, best_resid = 0.0f;
  int best_off = 0, neq = 1;
  for (int off = -range; off <= range; off++) {
    float resid;
    float e = estimate(z, center + off, a, tp, tl, g, &resid, &neq);
    if (e > best) { best = e; best_off = off; best_resid = resid; memcpy(best_g, g, sizeof g); }
  }
  float sig = 0.0f;
  for (int i = 0; i < 4; i++) sig += crealf(best_g[i] * conjf(best_g[i]));
  float noise = best_resid / (float)(neq > 4 ? neq - 4 : 1);
  if (noise < sig * 1e-4f) noise = sig * 1e-4f;
  if (noise <= 0.0f) noise = 1e-20f;
  res->offset = best_off;
  res->sig = sig;
  res->noise = noise;
  res->snr_db = 10.0f * log10f(sig / noise + 1e-20f);

  /* expected sample for (previous state p, new symbol bit b); state bit k = a[newest-k] == -1 */
  float complex yhat[NSTATES][2];
  for (int p = 0; p < NSTATES; p++)
    for (int b = 0; b < 2; b++) {
      float s0 = b ? -1.f : 1.f, s1 = (p & 1) ? -1.f : 1.f, s2 = (p & 2) ? -1.f : 1.f, s3 = (p & 4) ? -1.f : 1.f;
      yhat[p][b] = best_g[0] * s0 + best_g[1] * s1 + best_g[2] * s2 + best_g[3] * s3;
    }
  const float inv = 1.0f / noise, NEG = -1e30f;
  const float complex *y = z + center + best_off;

  /* initial state (a[0], a[-1], a[-2]): a[0] is a tail bit (+1), the others free */
  for (int s = 0; s < NSTATES; s++) q->alpha[0][s] = (s & 1) ? NEG : 0.0f;
  /* step n observes y[n] and adds symbol a[n+1] */
  for (int n = 0; n < NSTEPS; n++) {
    float complex yn = y[GSM_SPS * n];
    int kn = n + 1 < GSM_BURST_SYMBOLS ? a[n + 1] : 0;
    for (int s = 0; s < NSTATES; s++) {
      int b = s & 1;
      if ((kn == 1 && b) || (kn == -1 && !b)) { q->alpha[n + 1][s] = NEG; continue; }
      int p0 = s >> 1, p1 = p0 | 4;
      float complex e0 = yn - yhat[p0][b], e1 = yn - yhat[p1][b];
      float m0 = q->alpha[n][p0] - (crealf(e0) * crealf(e0) + cimagf(e0) * cimagf(e0)) * inv;
      float m1 = q->alpha[n][p1] - (crealf(e1) * crealf(e1) + cimagf(e1) * cimagf(e1)) * inv;
      q->alpha[n + 1][s] = m0 > m1 ? m0 : m1;
    }
  }
  for (int s = 0; s < NSTATES; s++) q->beta[NSTEPS][s] = 0.0f;
  for (int n = NSTEPS - 1; n >= 0; n--) {
    float complex yn = y[GSM_SPS * n];
    int kn = n + 1 < GSM_BURST_SYMBOLS ? a[n + 1] : 0;
    for (int p = 0; p < NSTATES; p++) {
      float m = NEG;
      for (int b = 0; b < 2; b++) {
        if ((kn == 1 && b) || (kn == -1 && !b)) continue;
        int s = ((p << 1) | b) & (NSTATES - 1);
        float complex e = yn - yhat[p][b];
        float v = q->beta[n + 1][s] - (crealf(e) * crealf(e) + cimagf(e) * cimagf(e)) * inv;
        if (v > m) m = v;
      }
      q->beta[n][p] = m;
    }
  }
  /* a[m] is the newest symbol of the state after step m-1 (index m) */
  for (int m = 0; m < GSM_BURST_SYMBOLS; m++) {
    float p0 = NEG, p1 = NEG;
    for (int s = 0; s < NSTATES; s++) {
      float v = q->alpha[m][s] + q->beta[m][s];
      if (s & 1) { if (v > p1) p1 = v; }
      else if (v > p0) p0 = v;
    }
    float l = p0 - p1;
    if (l > 1e4f) l = 1e4f;
    if (l < -1e4f) l = -1e4f;
    llr[m] = l;
  }
}
