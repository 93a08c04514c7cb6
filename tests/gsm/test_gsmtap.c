/* test_gsmtap.c: `cellsurvey replay --gsmtap 127.0.0.1:PORT` sends every decoded BCCH/CCCH block
 * as a GSMTAP v2 datagram: header fields and the SI3 payload checked against the capture's truth
 * (a local UDP socket receives them). Also the header packing on its own. */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gsmtap.h"

static void test_pack(void) {
  uint8_t l2[23], out[64];
  for (int i = 0; i < 23; i++) l2[i] = (uint8_t)i;
  size_t n = gsmtap_pack(out, sizeof out, GSMTAP_TYPE_UM, 600, 1, 0, GSMTAP_CHANNEL_BCCH, 0, 0x01020304u, -60, 25, l2, 23);
  CHECK_INT(n, 39);
  CHECK_INT(out[0], 2);    /* version */
  CHECK_INT(out[1], 4);    /* 16-byte header */
  CHECK_INT(out[2], GSMTAP_TYPE_UM);
  CHECK_INT(out[4] << 8 | out[5], 0x8000 | 600);
  CHECK_INT((int8_t)out[6], -60);
  CHECK_INT(out[7], 25);
  CHECK_INT(out[8] << 24 | out[9] << 16 | out[10] << 8 | out[11], 0x01020304);
  CHECK_INT(out[12], GSMTAP_CHANNEL_BCCH);
  CHECK(!memcmp(out + 16, l2, 23), "payload");
  CHECK_INT(gsmtap_pack(out, 20, GSMTAP_TYPE_UM, 1, 0, 0, 1, 0, 0, 0, 0, l2, 23), 0);
  /* TS 45.002 table 3 channel of each TS0 block, non-combined and combined CCCH */
  int sub;
  CHECK_INT(gsmtap_ts0_channel(0, 0, 2, &sub), GSMTAP_CHANNEL_BCCH);
  CHECK_INT(gsmtap_ts0_channel(9, 0, 46, &sub), GSMTAP_CHANNEL_CCCH);
  CHECK_INT(gsmtap_ts0_channel(3, 1, 16, &sub), GSMTAP_CHANNEL_CCCH);
  CHECK_INT(gsmtap_ts0_channel(5, 1, 26, &sub), GSMTAP_CHANNEL_SDCCH4);
  CHECK_INT(sub, 1);
  CHECK_INT(gsmtap_ts0_channel(8, 1, 51 + 42, &sub), GSMTAP_CHANNEL_SDCCH4 | GSMTAP_CHANNEL_ACCH);
  CHECK_INT(sub, 2);
  CHECK_INT(gsmtap_ts0_channel(9, 1, 46, &sub), GSMTAP_CHANNEL_SDCCH4 | GSMTAP_CHANNEL_ACCH);
  CHECK_INT(sub, 1);
}

int main(void) {
  test_pack();
  const char *dir = check_shared_dir("gsm");
  const char *bin = getenv("CELLSURVEY");
  if (!bin) { printf("SKIP: CELLSURVEY not set\n"); return 77; }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int big = 1 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  CHECK_INT(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t al = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &al);
  char cmd[16384], meta[8192];
  snprintf(meta, sizeof meta, "%s/gsm900_a60_snr30_2s.sigmf-meta", dir);
  snprintf(cmd, sizeof cmd, "'%s' replay --gsm-only --gsmtap 127.0.0.1:%d '%s' > /dev/null", bin, ntohs(a.sin_port), meta);
  CHECK_INT(system(cmd), 0);

  /* truth: ARFCN and the SI3 L2 block */
  FILE *f = fopen(meta, "rb");
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  cJSON *m = cJSON_Parse(buf);
  cJSON *car = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "global"), "truth:carriers"), 0);
  int arfcn = cJSON_GetObjectItem(car, "arfcn")->valueint;
  const char *si3hex = cJSON_GetObjectItem(cJSON_GetObjectItem(car, "l2_hex"), "SI3")->valuestring;
  uint8_t si3[23];
  for (int i = 0; i < 23; i++) sscanf(si3hex + 2 * i, "%2hhx", &si3[i]);

  int pkts = 0, bcch = 0, ccch = 0, si3_seen = 0, bad = 0;
  uint8_t p[256];
  ssize_t len;
  while ((len = recv(fd, p, sizeof p, MSG_DONTWAIT)) > 0) {
    pkts++;
    bad += len != 39 || p[0] != 2 || p[1] != 4 || p[2] != GSMTAP_TYPE_UM || p[3] != 0 ||
           (p[4] << 8 | p[5]) != arfcn;
    bcch += p[12] == GSMTAP_CHANNEL_BCCH;
    ccch += p[12] == GSMTAP_CHANNEL_CCCH;
    uint32_t fn = (uint32_t)p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11];
    if (p[12] == GSMTAP_CHANNEL_BCCH) bad += fn % 51 != 2; /* BCCH Norm: frames 2..5 */
    si3_seen += p[12] == GSMTAP_CHANNEL_BCCH && !memcmp(p + 16, si3, 23);
  }
  printf("%d GSMTAP datagrams: %d BCCH, %d CCCH, %d SI3\n", pkts, bcch, ccch, si3_seen);
  CHECK(pkts >= 60, "%d datagrams", pkts);
  CHECK_INT(bad, 0);
  CHECK(bcch >= 7 && ccch >= 50, "BCCH %d CCCH %d", bcch, ccch);
  CHECK(si3_seen >= 2, "SI3 payloads %d", si3_seen);
  cJSON_Delete(m);
  close(fd);
  return check_done();
}
