/* fuzz_status_http.c: the daemon's status endpoint (src/status_http.c over libmicrohttpd) on
 * arbitrary bytes sent as a request over loopback TCP, with a token configured. Checks: the
 * server answers with a well-formed HTTP status line or closes, never serves 200 without the
 * bearer token, never accepts a body, and stays up for the next request. */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "daemon_status.h"
#include "fuzz_util.h"

#define TOKEN "fuzz-token-0123456789"

static cs_status_board board;
static cs_status_http *server;
static int port;

static void stop(void) {
  cs_status_http_stop(server);
  cs_status_board_free(&board);
}

static void start(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) || getsockname(s, (struct sockaddr *)&sa, &len)) {
    perror("fuzz_status_http: free port");
    exit(1);
  }
  port = ntohs(sa.sin_port);
  close(s);
  cs_status_board_init(&board);
  cs_cell_record r;
  cs_record_init(&r);
  r.rat = CS_RAT_GSM;
  r.arfcn = 60;
  cs_status_board_cell(&board, &r);
  cs_err err = {{0}};
  if (cs_status_http_start(&board, "127.0.0.1", port, TOKEN, &server, &err)) {
    fprintf(stderr, "fuzz_status_http: %s\n", err.msg);
    exit(1);
  }
  atexit(stop);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!server) start();
  int s = socket(AF_INET, SOCK_STREAM, 0);
  FUZZ_ASSERT(s >= 0, "socket");
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct timeval tv = {8, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  FUZZ_ASSERT(connect(s, (struct sockaddr *)&sa, sizeof sa) == 0, "the status server is down");
  size_t off = 0;
  while (off < size) {
    ssize_t n = send(s, data + off, size - off, MSG_NOSIGNAL);
    if (n <= 0) break; /* the server may close on a bad request before reading it all */
    off += (size_t)n;
  }
  shutdown(s, SHUT_WR);
  static char resp[1 << 17];
  size_t got = 0;
  for (;;) {
    ssize_t n = recv(s, resp + got, sizeof resp - 1 - got, 0);
    if (n <= 0) break;
    got += (size_t)n;
    if (got == sizeof resp - 1) break;
  }
  close(s);
  resp[got] = '\0';
  if (got == 0) return 0; /* closed without an answer: fine for garbage */
  FUZZ_ASSERT(!strncmp(resp, "HTTP/1.", 7) && got > 12, "malformed reply: %.80s", resp);
  int code = atoi(resp + 9);
  FUZZ_ASSERT(code == 200 || code == 400 || code == 401 || code == 404 || code == 405 || code == 413 ||
                  code == 414 || code == 431 || code == 500 || code == 501 || code == 505,
              "unexpected status %d", code);
  if (code == 200) {
    FUZZ_ASSERT(memmem(data, size, TOKEN, strlen(TOKEN)), "200 without the token");
    FUZZ_ASSERT(memmem(data, size, "/status", 7) || memmem(data, size, "/metrics", 8), "200 for another path");
  }
  return 0;
}
