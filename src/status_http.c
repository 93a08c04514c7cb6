/* status_http.c: the daemon's status endpoint over HTTP (libmicrohttpd): GET /status (JSON),
 * GET /metrics (Prometheus text). Bounded and read-only: no request body is accepted, headers
 * are limited to 16 KiB, connections to 5 s, 32 at once and 4 per client; a bearer token is
 * checked (in constant time) when configured. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_status.h"
#include "dl.h"

struct cs_status_http {
  struct MHD_Daemon *d;
  cs_status_board *board;
  char token[128];
};

static int token_ok(const cs_status_http *h, const char *auth) {
  if (!h->token[0]) return 1;
  if (!auth || strncmp(auth, "Bearer ", 7)) return 0;
  const char *t = auth + 7;
  size_t n = strlen(h->token), m = strlen(t);
  unsigned char diff = (unsigned char)(n != m);
  for (size_t i = 0; i < n; i++) diff |= (unsigned char)(h->token[i] ^ (i < m ? t[i] : 0));
  return diff == 0;
}

/* body: malloc'd (NULL on OOM gives 500). MHD leaves the body out of HEAD replies itself. */
/* libmicrohttpd, opened when the status endpoint is started (dl.h) */
#define MHD_FUNCTIONS(X)                                                                           \
  X(MHD_create_response_from_buffer) X(MHD_add_response_header) X(MHD_queue_response)              \
  X(MHD_destroy_response) X(MHD_lookup_connection_value) X(MHD_start_daemon) X(MHD_stop_daemon)
static CS_DL_TYPE(mhd, MHD_FUNCTIONS) mhd;
static CS_DL_NAMES(mhd, MHD_FUNCTIONS);

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, char *body) {
  if (!body) {
    code = 500;
    type = "text/plain";
    body = strdup("out of memory\n");
    if (!body) return MHD_NO;
  }
  struct MHD_Response *r = mhd.MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
  if (!r) { free(body); return MHD_NO; }
  mhd.MHD_add_response_header(r, "Content-Type", type);
  mhd.MHD_add_response_header(r, "Cache-Control", "no-store");
  mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  if (code == 401) mhd.MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"cellsurvey\"");
  if (code == 405) mhd.MHD_add_response_header(r, "Allow", "GET, HEAD");
  enum MHD_Result ret = mhd.MHD_queue_response(c, code, r);
  mhd.MHD_destroy_response(r);
  return ret;
}

static char *msg(const char *s) { return strdup(s); }

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_size,
                              void **con_cls) {
  cs_status_http *h = cls;
  if (strcmp(method, "GET") && strcmp(method, "HEAD")) return reply(c, 405, "text/plain", msg("method not allowed\n"));
  /* refused on the first call, from the headers, before any body is read */
  const char *cl = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (*upload_size || (cl && strcmp(cl, "0")) ||
      mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
    return reply(c, 413, "text/plain", msg("no request body accepted\n"));
  const char *auth = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!token_ok(h, auth)) return reply(c, 401, "text/plain", msg("token required\n"));
  if (!strcmp(url, "/status"))
    return reply(c, 200, "application/json", cs_status_json(h->board));
  if (!strcmp(url, "/metrics"))
    return reply(c, 200, "text/plain; version=0.0.4", cs_status_metrics(h->board));
  return reply(c, 404, "text/plain", msg("not found: try /status or /metrics\n"));
}

cs_status cs_status_http_start(cs_status_board *b, const char *listen, int port, const char *token,
                               cs_status_http **out, cs_err *err) {
  *out = NULL;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, listen, &sa.sin_addr) != 1)
    return cs_fail(err, CS_ERR_INPUT, "status: '%s' is not an IPv4 address", listen);
  cs_status st = CS_DL_OPEN(mhd, CS_MHD_SONAME, "the status endpoint", err);
  if (st) return st;
  cs_status_http *h = calloc(1, sizeof *h);
  if (!h) return cs_fail(err, CS_ERR_ENV, "out of memory");
  h->board = b;
  snprintf(h->token, sizeof h->token, "%s", token ? token : "");
  h->d = mhd.MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, (uint16_t)port, NULL, NULL,
                          handle, h,
                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)5,
                          MHD_OPTION_CONNECTION_LIMIT, (unsigned int)32,
                          MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)4,
                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384,
                          MHD_OPTION_END);
  if (!h->d) {
    free(h);
    return cs_fail(err, CS_ERR_ENV, "status: cannot listen on %s:%d (port in use or not permitted)", listen, port);
  }
  *out = h;
  return CS_OK;
}

void cs_status_http_stop(cs_status_http *h) {
  if (!h) return;
  mhd.MHD_stop_daemon(h->d);
  free(h);
}
