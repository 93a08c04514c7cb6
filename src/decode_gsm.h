/* decode_gsm.h: the "gsm" decoder of the pipeline (finds and decodes GSM BCCH carriers). */
#ifndef CS_DECODE_GSM_H
#define CS_DECODE_GSM_H

#include "gsmtap_udp.h"
#include "pipeline.h"

extern const cs_decoder cs_decoder_gsm;

/* Send every decoded BCCH/CCCH block to this GSMTAP sink (NULL: none). The sink outlives the
 * pipeline run; the caller owns it. */
void cs_decode_gsm_set_gsmtap(cs_gsmtap_udp *tap);

#endif
