/* fuzz_gsm_si.c: libFuzzer target for the GSM L2/L3 parsers: System Information messages
 * (gsm_si_parse) and the frequency lists (gsm_freqlist_decode) in every format. Self-contained;
 * links cs_dsp. Seed corpus: fuzz/corpus/gsm_si/ (real and generated BCCH blocks). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gsm/gsm_freqlist.h"
#include "gsm/gsm_si.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gsm_si_cell c;
  gsm_si_init(&c);
  /* the input as one block, then as a stream of 23-octet blocks into one cell */
  gsm_si_parse(&c, data, size);
  for (size_t off = 0; off + 23 <= size; off += 23) gsm_si_parse(&c, data + off, 23);
  int nb[1024];
  gsm_si_neighbours(&c, nb, 1024);
  if (size >= 16) {
    gsm_arfcn_set s;
    memset(&s, 0, sizeof s);
    gsm_freqlist_decode(data, 0, &s);
    gsm_freqlist_decode(data, 1, &s);
  }
  return 0;
}
