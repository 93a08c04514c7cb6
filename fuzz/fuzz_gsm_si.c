/* fuzz_gsm_si.c: the GSM System Information parsers (dsp/gsm/gsm_si.c, TS 44.018 9.1.31 on, with
 * the frequency list decoding of 10.5.2.13) on arbitrary 23-octet L2 blocks, as a fake base
 * station could broadcast them: the input is cut into blocks fed to one cell state. Checks that
 * what the state then claims is in range (digits, LAC/CI, neighbour ARFCNs sorted and valid). */
#include "fuzz_util.h"
#include "gsm/gsm_si.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gsm_si_cell c;
  gsm_si_init(&c);
  uint8_t block[23];
  for (size_t off = 0; off < size; off += 23) {
    size_t n = size - off < 23 ? size - off : 23;
    memset(block, 0x2b, sizeof block); /* L2 fill octets */
    memcpy(block, data + off, n);
    gsm_si_parse(&c, block, sizeof block);
  }
  FUZZ_ASSERT(c.lac >= -1 && c.lac <= 65535 && c.cell_id >= -1 && c.cell_id <= 65535, "lac %d ci %d", c.lac, c.cell_id);
  FUZZ_ASSERT(memchr(c.mcc, 0, sizeof c.mcc) && memchr(c.mnc, 0, sizeof c.mnc), "unterminated PLMN");
  for (const char *p = c.mcc; *p; p++) FUZZ_ASSERT(*p >= '0' && *p <= '9', "mcc '%s'", c.mcc);
  for (const char *p = c.mnc; *p; p++) FUZZ_ASSERT(*p >= '0' && *p <= '9', "mnc '%s'", c.mnc);
  int nb[1024];
  int n = gsm_si_neighbours(&c, nb, 1024);
  FUZZ_ASSERT(n >= 0 && n <= 1024, "%d neighbours", n);
  for (int i = 0; i < n; i++) {
    FUZZ_ASSERT(nb[i] >= 0 && nb[i] <= 1023, "neighbour ARFCN %d", nb[i]);
    FUZZ_ASSERT(i == 0 || nb[i] > nb[i - 1], "neighbours not increasing");
  }
  return 0;
}
