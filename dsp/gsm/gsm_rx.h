/* gsm_rx.h: receiver for one GSM carrier. Takes the capture's samples at any rate, brings the
 * carrier to baseband at 2 samples per symbol (gsm_ddc, then a channel filter applied only to the
 * samples used), finds the FCCH (coarse and fine frequency offset), synchronises on the SCH (timing,
 * BSIC, frame number), then follows TS0 of the 51-multiframe: every 4-burst BCCH/CCCH block is
 * equalised and decoded, and the 23-octet L2 blocks that pass the Fire code are handed to a
 * callback. Keeps running after sync loss (resynchronises on the next FCCH). */
#ifndef CS_DSP_GSM_RX_H
#define CS_DSP_GSM_RX_H

#include <complex.h>
#include <stddef.h>
#include <stdint.h>

#include "gsm_ddc.h"

typedef struct gsm_rx_s *gsm_rx;

typedef struct {
  uint32_t fn;      /* frame number of the block's first burst */
  int block;        /* 0: BCCH (frames 2-5 of the 51-multiframe); 1..9: the CCCH blocks */
  uint8_t l2[23];
} gsm_block;

typedef void (*gsm_block_fn)(void *ctx, const gsm_block *b);

typedef struct {
  int bsic;                 /* from the first SCH that decoded; -1 if none */
  unsigned fcch_found, sch_ok, sch_fail, blocks_ok, blocks_bad, resyncs;
  double cfo_hz;            /* carrier offset from the nominal channel centre; NAN if no FCCH */
  double snr_db;            /* from the training-sequence residual of decoded bursts; NAN */
  uint32_t sync_fn;         /* with sync_pos: TS0 of frame sync_fn starts at output sample sync_pos */
  int64_t sync_pos;         /* (GSM_SPS per symbol since the first input sample); -1 if never */
} gsm_rx_stats;

/* proto: the down-converter prototype for the input rate (gsm_ddc_proto_create, shared by all
 * channels); offset_hz: channel centre minus the input's centre frequency. NULL on bad arguments
 * (channel outside the input band) or out of memory. */
gsm_rx gsm_rx_create(const gsm_ddc_proto proto, double offset_hz, gsm_block_fn on_block, void *ctx);
void gsm_rx_destroy(gsm_rx q);
/* Start afresh on another channel (or the same one) with the same arguments as create, keeping
 * the buffers: as if newly created, without allocating. Returns 0 (q unchanged) when it cannot
 * (channel outside the band, a prototype of another rate or length): make a new one. */
int gsm_rx_reset(gsm_rx q, const gsm_ddc_proto proto, double offset_hz, gsm_block_fn on_block, void *ctx);
/* Feed input samples (any count). */
void gsm_rx_execute(gsm_rx q, const float complex *x, size_t n);
void gsm_rx_get_stats(const gsm_rx q, gsm_rx_stats *s);

#endif
