/* gsmtap_udp.h: sending GSMTAP datagrams to HOST[:PORT] over UDP (`replay --gsmtap`). */
#ifndef CS_GSMTAP_UDP_H
#define CS_GSMTAP_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

typedef struct cs_gsmtap_udp cs_gsmtap_udp;

/* dest: "HOST", "HOST:PORT" or "[IPv6]:PORT"; port 4729 by default. */
cs_status cs_gsmtap_udp_open(const char *dest, cs_gsmtap_udp **out, cs_err *err);
void cs_gsmtap_udp_send(cs_gsmtap_udp *t, const uint8_t *buf, size_t n);
unsigned long cs_gsmtap_udp_sent(const cs_gsmtap_udp *t);
void cs_gsmtap_udp_close(cs_gsmtap_udp *t);

#endif
