/* test_gsm_phy.c: GSM physical layer blocks against the specs: training sequences (TS 45.002
 * 5.2.3/5.2.5), SCH coding and frame number (TS 45.003 4.7, TS 45.002 3.3.2), xCCH coding,
 * interleaving and Fire code (TS 45.003 4.1), burst equalisation, and the whole receiver (FCCH
 * with +-25 kHz offset, SCH sync, block decoding) on a generated TS0 stream. */
#include <complex.h>

#include "check.h"
#include "fec/crc.h"
#include "gmsk_mod.h"
#include "gsm/gsm_coding.h"
#include "gsm/gsm_const.h"
#include "gsm/gsm_ddc.h"
#include "gsm/gsm_eq.h"
#include "gsm/gsm_rx.h"

static const uint8_t SI3[23] = {0x49, 0x06, 0x1b, 0x56, 0x78, 0x00, 0xf1, 0x10, 0x12, 0x34, 0xc8, 0x02,
                                0x0a, 0x2f, 0x45, 0x40, 0xf9, 0x00, 0x00, 0x2b, 0x2b, 0x2b, 0x2b};

static void test_tsc(void) {
  for (int t = 0; t < 8; t++) {
    const uint8_t *s = gsm_tsc[t];
    /* 5.2.3: 16-bit core, 5 bits of cyclic extension each side */
    CHECK(!memcmp(s, s + 16, 5) && !memcmp(s + 21, s + 5, 5), "TSC %d not cyclically extended", t);
    /* hence ideal periodic autocorrelation of the core: zero at shifts 1..5 */
    for (int sh = 1; sh <= 5; sh++) {
      int c = 0;
      for (int k = 5; k < 21; k++) c += (1 - 2 * s[k]) * (1 - 2 * s[k + sh]);
      CHECK_INT(c, 0);
    }
    for (int u = 0; u < t; u++) CHECK(memcmp(gsm_tsc[u], s, 26), "TSC %d == TSC %d", u, t);
  }
  /* 5.2.3 TSC 0 as written in the spec: 0,0,1,0,0,1,0,1,1,1,0,0,0,0,1,0,0,0,1,0,0,1,0,1,1,1 */
  CHECK_INT(crc_pack(gsm_tsc[0], 26), 0x0970897);
  CHECK_INT(crc_pack(gsm_tsc[7], 26), 0x3BC4BBC);
  CHECK_INT(crc_pack(gsm_sch_sync, 32), 0xB962040Fu); /* 5.2.5 */
  CHECK_INT(crc_pack(gsm_sch_sync + 32, 32), 0x2D45761Bu);
}

static void test_sch(gsm_coder c) {
  /* 3.3.2: FN -> T1 T2 T3' -> FN over the hyperframe, SCH frames only */
  int bad = 0;
  for (int fn = 1; fn < GSM_HYPERFRAME; fn += 10 * 51 + 1) {
    int f = fn - fn % 51 + 1 + 10 * ((fn / 51) % 5);
    gsm_sch_info s;
    gsm_sch_from_fn(f, 0, &s);
    bad += gsm_sch_fn(&s) != f;
  }
  CHECK_INT(bad, 0);
  gsm_sch_info s = {.bsic = 0}, d;
  gsm_sch_from_fn(2715648 - 51 + 41, 0, &s);
  CHECK_INT(s.t1, 2047);
  CHECK_INT(s.t3p, 4);
  /* 4.7 parity: all-zero information gives ten inverted (one) parity bits; the code of an
   * all-zero input followed by ones shows up in the first coded bits after bit 50 */
  uint8_t coded[78], burst[148];
  gsm_sch_from_fn(0 * 51 + 1, 0, &s);
  s.t2 = 0; s.t1 = 0; s.t3p = 0;
  gsm_sch_encode(c, &s, coded);
  int zeros = 0;
  for (int k = 0; k < 50; k++) zeros += coded[k] == 0;
  CHECK_INT(zeros, 50);                  /* 25 zero info bits -> 50 zero coded bits */
  CHECK(coded[50] == 1 && coded[51] == 1, "parity bits not inverted"); /* u25 = 1: c = 1,1 */
  /* round trip for every BSIC */
  int fails = 0;
  for (int b = 0; b < 64; b++) {
    gsm_sch_from_fn(123456 * 51 % GSM_HYPERFRAME / 51 * 51 + 21, b, &s);
    gsm_sch_encode(c, &s, coded);
    gsm_sch_burst(coded, burst);
    float soft[148], cs[78];
    for (int k = 0; k < 148; k++) soft[k] = burst[k] ? -4.f : 4.f;
    gsm_sch_burst_bits(soft, cs);
    fails += gsm_sch_decode(c, cs, &d) != 0 || d.bsic != b || gsm_sch_fn(&d) != gsm_sch_fn(&s);
    if (b == 5) { /* a wrong bit beyond what the code corrects fails the parity */
      for (int k = 0; k < 12; k++) cs[k] = -cs[k];
      CHECK(gsm_sch_decode(c, cs, &d) != 0, "corrupted SCH passed parity");
    }
  }
  CHECK_INT(fails, 0);
  CHECK(!memcmp(burst + 42, gsm_sch_sync, 64), "sync sequence not at bits 42..105");
}

static void test_xcch(gsm_coder c) {
  /* 4.1.2: g(D) = (D^23+1)(D^17+D^3+1) = D^40+D^26+D^23+D^17+D^3+1 */
  CHECK_INT(CRC_POLY_GSM_FIRE, (1 << 26) | (1 << 23) | (1 << 17) | (1 << 3) | 1);
  /* 4.1.4 interleaving: spot values of B = k mod 4, j = 2((49k) mod 57) + ((k mod 8) div 4) */
  int b, j;
  gsm_xcch_interleave_pos(0, &b, &j); CHECK(b == 0 && j == 0, "k=0 -> %d,%d", b, j);
  gsm_xcch_interleave_pos(1, &b, &j); CHECK(b == 1 && j == 98, "k=1 -> %d,%d", b, j);
  gsm_xcch_interleave_pos(4, &b, &j); CHECK(b == 0 && j == 51, "k=4 -> %d,%d", b, j);
  gsm_xcch_interleave_pos(455, &b, &j); CHECK(b == 3 && j == 17, "k=455 -> %d,%d", b, j);
  uint8_t used[4][114] = {{0}};
  int dup = 0;
  for (int k = 0; k < 456; k++) { gsm_xcch_interleave_pos(k, &b, &j); dup += used[b][j]++; }
  CHECK_INT(dup, 0);
  /* encode -> decode */
  uint8_t bursts[4][114], out[23];
  float soft[4][114];
  gsm_xcch_encode(c, SI3, bursts);
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 114; k++) soft[i][k] = bursts[i][k] ? -4.f : 4.f;
  CHECK_INT(gsm_xcch_decode(c, (const float(*)[114])soft, out), 0);
  CHECK(!memcmp(out, SI3, 23), "xCCH round trip");
  /* one burst erased entirely is corrected by the code */
  float e[4][114];
  memcpy(e, soft, sizeof e);
  for (int k = 0; k < 114; k++) e[2][k] = 0.f;
  CHECK_INT(gsm_xcch_decode(c, (const float(*)[114])e, out), 0);
  CHECK(!memcmp(out, SI3, 23), "xCCH with an erased burst");
  /* two bursts of another block: the Fire code rejects the mixture */
  uint8_t other[23], ob[4][114];
  for (int i = 0; i < 23; i++) other[i] = (uint8_t)(i * 37 + 11);
  gsm_xcch_encode(c, other, ob);
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < 114; k++) e[i][k] = ob[i][k] ? -4.f : 4.f;
  for (int i = 2; i < 4; i++) memcpy(e[i], soft[i], sizeof e[i]);
  CHECK(gsm_xcch_decode(c, (const float(*)[114])e, out) != 0, "Fire code accepted a mixed block");
  /* 4.1.5 / 5.2.3 burst mapping: stealing flags and TSC */
  uint8_t nb[148];
  gsm_normal_burst(bursts[0], 5, nb);
  CHECK(nb[60] == 1 && nb[87] == 1, "stealing flags");
  CHECK(!memcmp(nb + 61, gsm_tsc[5], 26), "TSC position");
  CHECK(!memcmp(nb + 3, bursts[0], 57) && !memcmp(nb + 88, bursts[0] + 57, 57), "data positions");
}

/* Modulate one burst at 2 sps with guard symbols around, derotate, equalise. */
static int burst_errors(gsm_eq eq, const uint8_t *bits, int tsc, float snr_db, uint32_t *seed, float *llr) {
  enum { PRE = 8, SPS = 2 };
  uint8_t all[148 + 2 * PRE] = {0};
  memcpy(all + PRE, bits, 148);
  float complex x[(148 + 2 * PRE) * SPS];
  double phase = 0.3, spill[MOD_SPAN * SPS] = {0};
  int prev = 0;
  gmsk_modulate(all, 148 + 2 * PRE, SPS, &phase, &prev, spill, x, 1.0f);
  float sigma = powf(10.f, -snr_db / 20.f);
  /* the modulator delays by MOD_SPAN/2 symbols; derotate by j^-n */
  float complex z[(148 + 2 * PRE) * SPS];
  for (int i = 0; i < (148 + 2 * PRE) * SPS; i++)
    z[i] = (x[i] + test_noise(seed, sigma)) * (float complex)cexp(-I * M_PI / 4 * i);
  gsm_eq_result r;
  int center = (PRE + MOD_SPAN / 2) * SPS - 1;
  gsm_eq_burst(eq, z, center, 3, gsm_tsc[tsc], GSM_NB_TSC_POS, GSM_NB_TSC_LEN, llr, &r);
  int errs = 0;
  for (int k = 3; k < 145; k++) errs += (llr[k] < 0) != bits[k];
  return errs;
}

static void test_burst(gsm_coder c) {
  gsm_eq eq = gsm_eq_create();
  uint32_t seed = 1;
  uint8_t bursts[4][114], nb[4][148], out[23];
  gsm_xcch_encode(c, SI3, bursts);
  float llr[148], soft[4][114];
  for (int tsc = 0; tsc < 8; tsc++) {
    gsm_normal_burst(bursts[tsc & 3], tsc, nb[0]);
    CHECK_INT(burst_errors(eq, nb[0], tsc, 25.f, &seed, llr), 0);
  }
  /* a block at 4 dB SNR per symbol: raw bit errors, decoded block exact */
  int raw = 0;
  for (int i = 0; i < 4; i++) {
    gsm_normal_burst(bursts[i], 3, nb[i]);
    raw += burst_errors(eq, nb[i], 3, 4.f, &seed, llr);
    gsm_normal_burst_bits(llr, soft[i]);
  }
  printf("4 dB: %d raw bit errors in 4 bursts\n", raw);
  CHECK_INT(gsm_xcch_decode(c, (const float(*)[114])soft, out), 0);
  CHECK(!memcmp(out, SI3, 23), "block at 4 dB");
  gsm_eq_destroy(eq);
}

/* ---- whole receiver on a generated C0: TS0 of the 51-multiframe, random bursts on TS1..7 ---- */
typedef struct { int blocks_ok, si3_ok; uint32_t last_fn; } rx_result;
static void on_block(void *ctx, const gsm_block *b) {
  rx_result *r = ctx;
  r->blocks_ok++;
  if (b->block == 0 && !memcmp(b->l2, SI3, 23)) { r->si3_ok++; r->last_fn = b->fn; }
}

/* jump > 0: that many samples are cut out after frame 60 (the base station's timing jumps, as
 * after a fade or a retune): the receiver must lose the sync and find it again. */
static void test_receiver(gsm_coder c, double cfo, float snr_db, int bsic, int jump) {
  enum { SPS = 4 };
  const double fs = GSM_SYMBOL_RATE * SPS;
  const int frames = jump ? 51 * 4 : 51 * 2 + 7, fn0 = 1000 * 51 + 45;
  size_t n = (size_t)frames * 1250 * SPS;
  float complex *x = malloc(sizeof(float complex) * n);
  double phase = 0, spill[MOD_SPAN * SPS] = {0};
  int prev = 0;
  uint32_t seed = 7;
  uint8_t bits[160], bursts[4][114], coded[78];
  gsm_xcch_encode(c, SI3, bursts);
  size_t pos = 0;
  for (int f = 0; f < frames; f++) {
    int fn = fn0 + f, t = fn % 51;
    for (int ts = 0; ts < 8; ts++) {
      int len = ts == 0 ? 157 : ts == 4 ? 157 : 156; /* 1250 symbols per frame */
      memset(bits, 0, sizeof bits);
      if (ts == 0 && t % 10 == 0 && t != 50) { /* FCCH: all zeros */
      } else if (ts == 0 && t % 10 == 1) {
        gsm_sch_info s;
        gsm_sch_from_fn(fn, bsic, &s);
        gsm_sch_encode(c, &s, coded);
        gsm_sch_burst(coded, bits);
      } else if (ts == 0 && t >= 2 && t <= 5) {
        gsm_normal_burst(bursts[t - 2], bsic & 7, bits);
      } else {
        for (int k = 3; k < 145; k++) { seed = seed * 1664525u + 1013904223u; bits[k] = seed >> 31; }
        if (ts == 0) memcpy(bits + 61, gsm_tsc[bsic & 7], 26);
      }
      gmsk_modulate(bits, len, SPS, &phase, &prev, spill, x + pos, 0.1f);
      pos += (size_t)len * SPS;
    }
  }
  float sigma = 0.1f * powf(10.f, -snr_db / 20.f) * sqrtf((float)(fs / 200e3)); /* SNR in 200 kHz */
  for (size_t i = 0; i < n; i++)
    x[i] = x[i] * (float complex)cexp(I * 2 * M_PI * cfo * (double)i / fs) + test_noise(&seed, sigma);
  if (jump) {
    size_t at = (size_t)60 * 1250 * SPS;
    memmove(x + at, x + at + jump, sizeof(float complex) * (n - at - (size_t)jump));
    n -= (size_t)jump;
  }
  rx_result r = {0};
  gsm_ddc_proto pr = gsm_ddc_proto_create(fs);
  gsm_rx rx = gsm_rx_create(pr, 0.0, on_block, &r);
  gsm_ddc_proto_destroy(pr);
  for (size_t i = 0; i < n; i += 10000) gsm_rx_execute(rx, x + i, n - i < 10000 ? n - i : 10000);
  gsm_rx_stats st;
  gsm_rx_get_stats(rx, &st);
  printf("cfo %+.0f Hz, SNR %.0f dB: bsic %d, cfo %.1f Hz, %u blocks, %u SI3, SNR est %.1f dB\n", cfo,
         snr_db, st.bsic, st.cfo_hz, st.blocks_ok, r.si3_ok, st.snr_db);
  CHECK_INT(st.bsic, bsic);
  CHECK_NEAR(st.cfo_hz, cfo, snr_db >= 10 ? 50.0 : 200.0);
  CHECK(r.si3_ok >= 1, "no SI3 block decoded (cfo %.0f)", cfo);
  if (jump) {
    printf("timing jump of %d samples: %u resyncs, last SI3 at FN %u\n", jump, st.resyncs, r.last_fn);
    CHECK(st.resyncs >= 1, "no resync after a timing jump");
    CHECK(r.last_fn > (uint32_t)(fn0 + 100), "no SI3 decoded after the timing jump");
  }
  gsm_rx_destroy(rx);
  free(x);
}

/* Down-converter: a tone 30 kHz above a channel 600 kHz off centre comes out at +30 kHz and
 * 2 samples per symbol with unit gain, at several input rates. */
static double ddc_tone(double fs, double chan, double tone, double *freq) {
  gsm_ddc_proto pr = gsm_ddc_proto_create(fs);
  gsm_ddc d = gsm_ddc_create(pr, chan, 4096);
  gsm_ddc_proto_destroy(pr);
  size_t n = (size_t)(fs * 0.02), got = 0, ny;
  float complex x[4096], *y = malloc(sizeof(float complex) * gsm_ddc_max_out(d)), *all = malloc(sizeof(float complex) * 20000);
  for (size_t i = 0; i < n; i += 4096) {
    size_t m = n - i < 4096 ? n - i : 4096;
    for (size_t k = 0; k < m; k++) x[k] = (float complex)cexp(I * 2 * M_PI * tone * (double)(i + k) / fs);
    gsm_ddc_execute(d, x, m, y, &ny);
    for (size_t k = 0; k < ny && got < 20000; k++) all[got++] = y[k];
  }
  double p = 0;
  double complex acc = 0;
  for (size_t k = 2000; k < got; k++) { p += cabsf(all[k]) * cabsf(all[k]); acc += all[k] * conjf(all[k - 1]); }
  *freq = carg(acc) / (2 * M_PI) * GSM_FS;
  CHECK_NEAR((double)got, n * GSM_FS / fs, 40.0);
  free(y); free(all);
  gsm_ddc_destroy(d);
  return 10 * log10(p / (got - 2000));
}

static void test_ddc(void) {
  const double rates[] = {1083333.3333, 2e6, 5e6, 500e3 * 4};
  for (int i = 0; i < 4; i++) {
    double f, fs = rates[i];
    double g = ddc_tone(fs, 600e3 * (fs > 1.5e6), 600e3 * (fs > 1.5e6) + 30e3, &f);
    CHECK_NEAR(g, 0.0, 0.5);
    CHECK_NEAR(f, 30e3, 5.0);
  }
  /* a tone that decimation by 9 (5 Msps -> 555.6 kHz) would fold onto the channel centre is
   * removed by the decimating filter */
  double f;
  double g = ddc_tone(5e6, -600e3, -600e3 + 5e6 / 9, &f);
  CHECK(g < -50.0, "aliasing tone at %.1f dB", g);
}

/* A TCH-like carrier (random normal bursts on every slot, no FCCH/SCH) and noise: never a cell,
 * however many false FCCH detections it provokes. */
static void test_no_cell(void) {
  enum { SPS = 2 };
  const double fs = GSM_SYMBOL_RATE * SPS;
  const int frames = 1300; /* 6 s */
  size_t n = (size_t)frames * 1250 * SPS;
  float complex *x = malloc(sizeof(float complex) * n);
  double phase = 0, spill[MOD_SPAN * SPS] = {0};
  int prev = 0;
  uint32_t seed = 99;
  uint8_t bits[160] = {0};
  size_t pos = 0;
  for (int f = 0; f < frames; f++)
    for (int ts = 0; ts < 8; ts++) {
      int len = ts == 0 || ts == 4 ? 157 : 156;
      for (int k = 3; k < 145; k++) { seed = seed * 1664525u + 1013904223u; bits[k] = seed >> 31; }
      memcpy(bits + 61, gsm_tsc[ts & 7], 26);
      gmsk_modulate(bits, len, SPS, &phase, &prev, spill, x + pos, 0.1f);
      pos += (size_t)len * SPS;
    }
  for (size_t i = 0; i < n; i++)
    x[i] = x[i] * (float complex)cexp(I * 2 * M_PI * 7000.0 * (double)i / fs) + test_noise(&seed, 0.01f);
  gsm_ddc_proto pr = gsm_ddc_proto_create(fs);
  gsm_rx rx = gsm_rx_create(pr, 0.0, NULL, NULL);
  gsm_ddc_proto_destroy(pr);
  gsm_rx_execute(rx, x, n);
  gsm_rx_stats st;
  gsm_rx_get_stats(rx, &st);
  printf("TCH-like carrier, 6 s: %u FCCH detections, %u SCH attempts failed, bsic %d\n", st.fcch_found,
         st.sch_fail, st.bsic);
  CHECK_INT(st.bsic, -1);
  CHECK_INT(st.blocks_ok, 0);
  gsm_rx_destroy(rx);
  free(x);
}

int main(void) {
  test_ddc();
  test_no_cell();
  gsm_coder c = gsm_coder_create();
  test_tsc();
  test_sch(c);
  test_xcch(c);
  test_burst(c);
  test_receiver(c, 0.0, 20.f, 21, 0);
  test_receiver(c, 25000.0, 20.f, 63, 0);
  test_receiver(c, -25000.0, 20.f, 9, 0);
  test_receiver(c, 3000.0, 5.f, 44, 0);
  test_receiver(c, 1000.0, 15.f, 17, 1777);
  gsm_coder_destroy(c);
  return check_done();
}
