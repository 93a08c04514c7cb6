/* ra.h: downlink resource allocation type 2 and transport block size for the system information
 * DCIs (TS 36.213 7.1.6.3, 7.1.7; TS 36.211 6.2.3.1-2 virtual to physical resource blocks). */
#ifndef CS_DSP_LTE_RA_H
#define CS_DSP_LTE_RA_H

#include <stdint.h>

#include "lte/dci.h"
#include "lte/lte_grid.h"

/* TS 36.211 Table 6.2.3.2-1: N_gap,1 / N_gap,2 (0 when not defined, n_prb < 50). */
int lte_ngap(int n_prb, int gap2);
/* N_VRB^DL for distributed VRBs: 2*min(N_gap, N_RB - N_gap) for gap 1, floor(N_RB/(2 N_gap))*2 N_gap
 * for gap 2 (6.2.3.2). */
int lte_nvrb_dist(int n_prb, int gap2);
/* Resource block group size P (TS 36.213 Table 7.1.6.1-1). */
int lte_rbg_size(int n_prb);

/* PRB of distributed VRB n_vrb in the even (slot_odd = 0) or odd slot (TS 36.211 6.2.3.2). */
int lte_vrb_to_prb_dist(int n_vrb, int n_prb, int gap2, int slot_odd);

/* RIV -> (start, length) over n (7.1.6.3). Returns 0 if the RIV is out of range. */
int lte_riv_decode(unsigned riv, int n, int *start, int *len);
unsigned lte_riv_encode(int start, int len, int n);

typedef struct {
  uint8_t prb[2][LTE_MAX_PRB]; /* prb[slot][n] = 1 if PRB n carries the PDSCH in that slot */
  int n_prb;                   /* PRBs per slot */
  int tbs;                     /* transport block size in bits */
} lte_alloc;

/* Allocation and TBS of a DCI 1A/1C with SI-RNTI (TBS: 7.1.7 with I_TBS = I_MCS and
 * N_PRB = N_PRB^1A for 1A, Table 7.1.7.2.3-1 for 1C). Returns 0 for an invalid grant. */
int lte_ra_si(const lte_dci *d, int n_prb, lte_alloc *a);

/* Table 7.1.7.2.1-1 entry for I_TBS 0..26 and N_PRB 2 or 3 (the columns format 1A with SI-RNTI
 * uses), 0 otherwise. */
int lte_tbs_1a(int i_tbs, int n_prb_1a);
/* Table 7.1.7.2.3-1 entry for I_TBS 0..31, 0 otherwise. */
int lte_tbs_1c(int i_tbs);

#endif
