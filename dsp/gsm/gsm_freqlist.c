/* gsm_freqlist.c: frequency list decoding, TS 44.018 10.5.2.13 (see gsm_freqlist.h). */
#include "gsm_freqlist.h"

/* Bits MSB first from v starting at bit offset pos (bit 8 of octet 0 is offset 0). */
static unsigned get_bits(const uint8_t *v, int pos, int n) {
  unsigned x = 0;
  for (int i = 0; i < n; i++, pos++) x = x << 1 | ((v[pos >> 3] >> (7 - (pos & 7))) & 1);
  return x;
}

static int floor_log2(int x) { int l = 0; while (x >>= 1) l++; return l; }

/* TS 44.018 10.5.2.13.3 to .6: F(K) from the W tree. range: 1024, 512, 256 or 128. W[1..n]
 * holds the values (W(i) = 0 ends the list). Returns 0, or -1 on a value out of range. */
static int range_decode(const int *W, int n, int range, int orig, gsm_arfcn_set *out) {
  for (int k = 1; k <= n; k++) {
    if (W[k] == 0) break;
    int index = k, j = 1 << floor_log2(index), N = W[index];
    while (index > 1) {
      int m = 2 * range / j - 1;
      if (2 * index < 3 * j) { /* left child */
        index -= j / 2;
        N = ((N + W[index] - range / j - 1) % m + m) % m + 1;
      } else { /* right child */
        index -= j;
        N = ((N + W[index] - 1) % m + m) % m + 1;
      }
      j /= 2;
    }
    gsm_set_add(out, range == 1024 ? N : (orig + N) % 1024);
  }
  return 0;
}

/* A child can only exist when its parent does; then decode. 0, or -1 when malformed. */
static int w_tree_decode(const int *W, int n, int range, int orig, gsm_arfcn_set *out) {
  for (int i = 2; i <= n; i++)
    if (W[i]) {
      int j = 1 << floor_log2(i), parent = 2 * i < 3 * j ? i - j / 2 : i - j;
      if (!W[parent]) return -1;
    }
  return range_decode(W, n, range, orig, out);
}

int gsm_freqlist_decode(const uint8_t v[16], int ext2, gsm_arfcn_set *out) {
  int b8 = v[0] >> 7 & 1, b7 = v[0] >> 6 & 1, fmt;
  if (ext2) b7 = 0;
  if (!b8 && !b7 && !ext2) fmt = GSM_FL_BITMAP0;
  else if (!b8 || b7) return GSM_FL_INVALID;
  else if (!(v[0] & 0x08)) fmt = GSM_FL_RANGE1024;
  else {
    static const int f[4] = {GSM_FL_RANGE512, GSM_FL_RANGE256, GSM_FL_RANGE128, GSM_FL_VARIABLE};
    fmt = f[(v[0] >> 1) & 3];
  }
  if (fmt == GSM_FL_BITMAP0) { /* 10.5.2.1b.2: octet 2 bits 4..1 = ARFCN 124..121, ..., last bit ARFCN 1 */
    for (int a = 1; a <= 124; a++) {
      int bit = 124 - a; /* offset from octet 2 bit 4 */
      int pos = 4 + bit;
      if ((v[pos >> 3] >> (7 - (pos & 7))) & 1) gsm_set_add(out, a);
    }
    return fmt;
  }
  if (fmt == GSM_FL_VARIABLE) { /* 10.5.2.13.7: ORIG-ARFCN, then RRFCN 1..111 */
    int orig = (int)get_bits(v, 7, 10);
    gsm_set_add(out, orig);
    for (int k = 1; k <= 111; k++)
      if (get_bits(v, 16 + k, 1)) gsm_set_add(out, (orig + k) % 1024);
    return fmt;
  }
  int W[32] = {0}, n = 0, pos, range, orig = 0, top;
  if (fmt == GSM_FL_RANGE1024) { /* 10.5.2.13.3: F0 at bit 3, W(1) from bit 2 */
    if (v[0] & 0x04) gsm_set_add(out, 0);
    range = 1024; top = 10; pos = 6;
  } else {
    range = fmt == GSM_FL_RANGE512 ? 512 : fmt == GSM_FL_RANGE256 ? 256 : 128;
    top = floor_log2(range); /* W(1) has log2(range) bits: 9, 8, 7 */
    orig = (int)get_bits(v, 7, 10);
    gsm_set_add(out, orig); /* ORIG-ARFCN is the first frequency of the list */
    pos = 17;
  }
  for (int i = 1; i < 32; i++) {
    int width = top - floor_log2(i);
    if (width < 1 || pos + width > 128) break;
    W[i] = (int)get_bits(v, pos, width);
    pos += width;
    n = i;
  }
  return w_tree_decode(W, n, range, orig, out) ? GSM_FL_INVALID : fmt;
}

int gsm_range1024_w_decode(const int *W, int n, gsm_arfcn_set *out) {
  return w_tree_decode(W, n, 1024, 0, out);
}
