/* decode_gsm.h: the "gsm" decoder of the pipeline (finds and decodes GSM BCCH carriers). */
#ifndef CS_DECODE_GSM_H
#define CS_DECODE_GSM_H

#include "pipeline.h"

extern const cs_decoder cs_decoder_gsm;


#endif
