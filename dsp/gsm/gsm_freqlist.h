/* gsm_freqlist.h: the frequency lists of TS 44.018 10.5.2.13 as they appear in the Cell Channel
 * Description (10.5.2.1b, SI1), Neighbour Cell Description (10.5.2.22, SI2/SI2bis) and Neighbour
 * Cell Description 2 (10.5.2.22a, SI2ter): bit map 0, 1024/512/256/128 range, variable bit map. */
#ifndef CS_DSP_GSM_FREQLIST_H
#define CS_DSP_GSM_FREQLIST_H

#include <stdint.h>

enum { GSM_FL_BITMAP0, GSM_FL_RANGE1024, GSM_FL_RANGE512, GSM_FL_RANGE256, GSM_FL_RANGE128,
       GSM_FL_VARIABLE, GSM_FL_INVALID };

/* A set of ARFCNs 0..1023 as a bit map. */
typedef struct { uint8_t bits[128]; } gsm_arfcn_set;

static inline void gsm_set_add(gsm_arfcn_set *s, int a) { s->bits[(a & 1023) >> 3] |= (uint8_t)(1u << (a & 7)); }
static inline int gsm_set_has(const gsm_arfcn_set *s, int a) { return (s->bits[(a & 1023) >> 3] >> (a & 7)) & 1; }

/* Decode the 16-octet value part v (octets 2..17 of the IE). ext2: the IE is a Neighbour Cell
 * Description 2 (format identified by bit 8 and bits 4..2 of octet 2 only; bit map 0 not
 * allowed). ARFCNs are added to out. Returns the format (GSM_FL_*), GSM_FL_INVALID on a
 * malformed list (out may then hold part of it). */
int gsm_freqlist_decode(const uint8_t v[16], int ext2, gsm_arfcn_set *out);

/* The 1024 range W tree (10.5.2.13.3) for W[1..n] (W[0] unused, n <= 31): the values 1..1023 it
 * codes are added to out. Also the coding of the FDD_CELL_INFORMATION field of SI2quater
 * (TS 44.018 9.1.54: Range 1024 algorithm, value 0 signalled apart by FDD_Indic0). Returns 0, or
 * -1 when a W is set without its parent. */
int gsm_range1024_w_decode(const int *W, int n, gsm_arfcn_set *out);

#endif
