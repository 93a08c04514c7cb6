/* decode_lte.h: the "lte" decoder of the pipeline (src/decode_lte.c, docs/lte.md), and the
 * GSMTAP v2 values it sends decoded LTE RRC messages with. */
#ifndef CS_DECODE_LTE_H
#define CS_DECODE_LTE_H

#include "pipeline.h"


extern const cs_decoder cs_decoder_lte;

#endif
