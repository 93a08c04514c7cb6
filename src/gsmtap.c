/* gsmtap.c: GSMTAP v2 sender (see gsmtap.h). Header layout from osmocom's gsmtap.h: version,
 * header length in 32-bit words, type, timeslot, ARFCN (big endian), signal dBm, SNR dB, frame
 * number (big endian), sub-type, antenna, sub-slot, reserved. */
#include "gsmtap.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct cs_gsmtap {
  int fd;
  uint8_t buf[16 + 2048];
};

cs_status cs_gsmtap_open(const char *target, cs_gsmtap **out, cs_err *err) {
  char host[256];
  const char *port = "4729";
  const char *colon = strrchr(target, ':');
  size_t hl = colon ? (size_t)(colon - target) : strlen(target);
  if (hl == 0 || hl >= sizeof host || (colon && !colon[1]))
    return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: want HOST:PORT", target);
  memcpy(host, target, hl);
  host[hl] = '\0';
  if (colon) port = colon + 1;
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc) return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: %s", target, gai_strerror(rc));
  int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
    if (fd >= 0) close(fd);
    freeaddrinfo(res);
    return cs_fail(err, CS_ERR_ENV, "--gsmtap %s: cannot open a UDP socket", target);
  }
  freeaddrinfo(res);
  cs_gsmtap *g = calloc(1, sizeof *g);
  if (!g) { close(fd); return cs_fail(err, CS_ERR_ENV, "out of memory"); }
  g->fd = fd;
  *out = g;
  return CS_OK;
}

void cs_gsmtap_close(cs_gsmtap *g) {
  if (!g) return;
  close(g->fd);
  free(g);
}

cs_status cs_gsmtap_send(cs_gsmtap *g, const cs_gsmtap_hdr *h, const uint8_t *payload, size_t len,
                         cs_err *err) {
  if (len > sizeof g->buf - 16) return cs_fail(err, CS_ERR_INPUT, "GSMTAP payload of %zu bytes", len);
  uint8_t *b = g->buf;
  b[0] = 2;              /* version */
  b[1] = 4;              /* header length: 16 bytes */
  b[2] = h->type;
  b[3] = h->timeslot;
  b[4] = (uint8_t)(h->arfcn >> 8);
  b[5] = (uint8_t)h->arfcn;
  b[6] = (uint8_t)h->signal_dbm;
  b[7] = (uint8_t)h->snr_db;
  b[8] = (uint8_t)(h->frame_number >> 24);
  b[9] = (uint8_t)(h->frame_number >> 16);
  b[10] = (uint8_t)(h->frame_number >> 8);
  b[11] = (uint8_t)h->frame_number;
  b[12] = h->sub_type;
  b[13] = h->antenna;
  b[14] = h->sub_slot;
  b[15] = 0;
  memcpy(b + 16, payload, len);
  if (send(g->fd, b, 16 + len, 0) < 0)
    return cs_fail(err, CS_ERR_ENV, "GSMTAP send failed");
  return CS_OK;
}
