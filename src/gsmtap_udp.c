/* gsmtap_udp.c: a connected UDP socket for GSMTAP (see gsmtap_udp.h). */
#include "gsmtap_udp.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct cs_gsmtap {
  int fd;
  unsigned long sent;
};

cs_status cs_gsmtap_open(const char *dest, cs_gsmtap **out, cs_err *err) {
  char host[256], port[16] = "4729"; /* IANA GSMTAP port */
  const char *colon = strrchr(dest, ':');
  size_t hl;
  const char *h = dest;
  if (dest[0] == '[') { /* [IPv6]:port */
    const char *close = strchr(dest, ']');
    if (!close) return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: bad address", dest);
    h = dest + 1;
    hl = (size_t)(close - h);
    colon = close[1] == ':' ? close + 1 : NULL;
  } else {
    hl = colon ? (size_t)(colon - dest) : strlen(dest);
  }
  if (hl == 0 || hl >= sizeof host) return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: bad host", dest);
  memcpy(host, h, hl);
  host[hl] = '\0';
  if (colon) {
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 1 || p > 65535) return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: bad port", dest);
    snprintf(port, sizeof port, "%ld", p);
  }
  struct addrinfo hints = {0}, *ai;
  hints.ai_socktype = SOCK_DGRAM;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if (rc) return cs_fail(err, CS_ERR_INPUT, "--gsmtap %s: %s", dest, gai_strerror(rc));
  int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
  if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
    if (fd >= 0) close(fd);
    freeaddrinfo(ai);
    return cs_fail(err, CS_ERR_ENV, "--gsmtap %s: cannot open a UDP socket", dest);
  }
  freeaddrinfo(ai);
  cs_gsmtap *t = calloc(1, sizeof *t);
  if (!t) { close(fd); return cs_fail(err, CS_ERR_ENV, "out of memory"); }
  t->fd = fd;
  *out = t;
  return CS_OK;
}

void cs_gsmtap_send(cs_gsmtap *t, const uint8_t *buf, size_t n) {
  if (t && send(t->fd, buf, n, 0) == (ssize_t)n) t->sent++;
}

unsigned long cs_gsmtap_sent(const cs_gsmtap *t) { return t ? t->sent : 0; }

void cs_gsmtap_close(cs_gsmtap *t) {
  if (!t) return;
  close(t->fd);
  free(t);
}
