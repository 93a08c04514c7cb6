/* lte_seq.h: the LTE downlink sequences from TS 36.211: PSS (6.11.1.1), SSS (6.11.2.1) and the
 * cell-specific reference signal (6.10.1.1; its Gold sequence is in pseudo_random.h),
 * plus the mapping of a centred sequence onto FFT bins. */
#ifndef CS_DSP_LTE_SEQ_H
#define CS_DSP_LTE_SEQ_H

#include <complex.h>
#include <stdint.h>

/* PSS d_u(n), n = 0..61, for N_ID(2) = 0, 1, 2 (roots 25, 29, 34). */
void lte_pss(int nid2, float complex d[62]);

/* SSS d(n), n = 0..61, as +-1, for N_ID(1) 0..167, N_ID(2) 0..2, in subframe 0 (sf5 = 0) or 5. */
void lte_sss(int nid1, int nid2, int sf5, float d[62]);

/* The SSS's parts (6.11.2.1): the +-1 m-sequences s~, c~, z~ (index n, no shift) and the shifts
 * m0, m1 of N_ID(1). d(2n) = s~((n+m0) mod 31) c~((n+N_ID2) mod 31) in subframe 0, etc. */
void lte_sss_mseqs(int s[31], int c[31], int z[31]);
void lte_sss_indices(int nid1, int *m0, int *m1);

/* CRS r_{l,ns}(m') for m' = 0..2*110-1 (TS 36.211 6.10.1.1; N_RB^max,DL = 110). ncp: 1 normal
 * CP, 0 extended. */
void lte_crs_seq(int pci, int ns, int l, int ncp, float complex r[220]);

/* FFT bin of downlink subcarrier offset d from the carrier centre (d = k - 12*n_prb/2:
 * -K/2..-1 below DC, 0..K/2-1 above; the DC bin is unused) for an n-point FFT. */
static inline unsigned lte_bin(int d, unsigned n) { return d < 0 ? (unsigned)((int)n + d) : (unsigned)d + 1; }

#endif
