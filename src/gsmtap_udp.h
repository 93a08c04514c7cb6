/* gsmtap_udp.h: sending GSMTAP datagrams to HOST[:PORT] over UDP (`replay --gsmtap`). The same
 * interface as the GSM side's sink (branch gsm), so either implementation serves both decoders. */
#ifndef CS_GSMTAP_UDP_H
#define CS_GSMTAP_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "cellsurvey/error.h"

typedef struct cs_gsmtap cs_gsmtap;

/* dest: "HOST", "HOST:PORT" or "[IPv6]:PORT"; port 4729 by default. */
cs_status cs_gsmtap_open(const char *dest, cs_gsmtap **out, cs_err *err);
/* One datagram (GSMTAP header + payload, already packed). Best effort: a failed send is counted
 * as not sent and does not stop decoding. */
void cs_gsmtap_send(cs_gsmtap *t, const uint8_t *buf, size_t n);
unsigned long cs_gsmtap_sent(const cs_gsmtap *t);
void cs_gsmtap_close(cs_gsmtap *t);

#endif
