/* decode_lte.h: the "lte" decoder of the pipeline (src/decode_lte.c, docs/lte.md), and the
 * GSMTAP v2 values it sends decoded LTE RRC messages with. */
#ifndef CS_DECODE_LTE_H
#define CS_DECODE_LTE_H

#include "pipeline.h"

#define CS_GSMTAP_TYPE_LTE_RRC 0x0d /* payload: an LTE RRC ASN.1 UPER message */
enum { CS_GSMTAP_LTE_BCCH_BCH = 4, CS_GSMTAP_LTE_BCCH_DL_SCH = 5 }; /* LTE RRC sub-types */

extern const cs_decoder cs_decoder_lte;

#endif
