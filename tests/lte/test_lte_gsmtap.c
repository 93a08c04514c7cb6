/* test_lte_gsmtap.c: with a GSMTAP target the LTE decoder sends the MIB (LTE RRC BCCH-BCH) and
 * SIB1 (LTE RRC BCCH-DL-SCH) as GSMTAP v2 UDP datagrams: header fields and payloads checked
 * against the capture's truth (the SIB1 PDU the eNB logged). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gsmtap.h"
#include "decode_lte.h"
#include "gsmtap_udp.h"
#include "lte_run.h"

int main(void) {
  const char *dir = check_shared_dir("lte");
  char path[4200];
  snprintf(path, sizeof path, "%.4000s/lte_pci33_25prb_2port_7p68_snr15.sigmf-meta", dir);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0, "bind");
  socklen_t al = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &al);
  char target[64];
  snprintf(target, sizeof target, "127.0.0.1:%d", ntohs(a.sin_port));

  cs_err err = {{0}};
  cs_gsmtap *g = NULL;
  CHECK(cs_gsmtap_open(target, &g, &err) == CS_OK, "open %s: %s", target, err.msg);
  CHECK(cs_gsmtap_open("nohost.invalid:", &(cs_gsmtap *){NULL}, &err) == CS_ERR_INPUT, "bad target");
  cs_source *src;
  CHECK(cs_sigmf_open(path, &src, NULL, &err) == CS_OK, "%s", err.msg);
  lte_recs recs = {.n = 0};
  cs_pipeline_opts o = {0};
  o.decode_lte = 1;
  o.on_record = lte_collect;
  o.ctx = &recs;
  o.gsmtap = g;
  CHECK(cs_pipeline_run(src, &o, &err) == CS_OK, "%s", err.msg);
  cs_source_close(src);
  cs_gsmtap_close(g);
  CHECK_INT(recs.n, 1);

  cJSON *meta = lte_load_meta(path);
  const cJSON *cell = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(meta, "global"), "truth:cells"), 0);
  const char *hex = cJSON_GetObjectItem(cell, "sib1_pdu_hex")->valuestring;
  uint8_t want[64];
  size_t wl = strlen(hex) / 2;
  for (size_t i = 0; i < wl && i < sizeof want; i++) sscanf(hex + 2 * i, "%2hhx", &want[i]);

  int mib = 0, sib1 = 0;
  uint8_t buf[2048];
  struct timeval tv = {0, 200000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    CHECK(n >= 16 && buf[0] == 2 && buf[1] == 4, "GSMTAP v2 header");
    CHECK_INT(buf[2], GSMTAP_TYPE_LTE_RRC);
    unsigned arfcn = (unsigned)buf[4] << 8 | buf[5];
    CHECK_INT(arfcn, cJSON_GetObjectItem(cell, "dl_earfcn")->valueint);
    if (buf[12] == GSMTAP_LTE_RRC_BCCH_BCH) {
      mib++;
      CHECK_INT(n, 16 + 3);
      CHECK_INT(buf[16] >> 5, 2); /* dl-Bandwidth n25 */
    } else if (buf[12] == GSMTAP_LTE_RRC_BCCH_DL_SCH) {
      sib1++;
      CHECK((size_t)n >= 16 + wl && memcmp(buf + 16, want, wl) == 0, "SIB1 payload = eNB's PDU");
    }
  }
  CHECK_INT(mib, 1);
  CHECK_INT(sib1, 1);
  close(fd);
  cJSON_Delete(meta);
  return check_done();
}
