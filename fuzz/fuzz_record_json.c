/* fuzz_record_json.c: the JSON Lines record reader used by import (cs_record_from_json,
 * src/record_json_in.c) on arbitrary text. Rejection must come with a message; an accepted record
 * must survive a round trip: to_json(r) read back gives r' with to_json(r') identical, so import
 * then export never drifts or fails on what it accepted. */
#include "cellsurvey/record.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  cs_cell_record r, r2;
  cs_err err = {{0}};
  cs_status st = cs_record_from_json(text, &r, &err);
  free(text);
  if (st != CS_OK) {
    FUZZ_ASSERT(st == CS_ERR_INPUT, "status %d", (int)st);
    FUZZ_ASSERT(err.msg[0], "rejected without a message");
    return 0;
  }
  char *js1 = cs_record_to_json(&r);
  FUZZ_ASSERT(js1, "accepted record does not serialise");
  err.msg[0] = '\0';
  st = cs_record_from_json(js1, &r2, &err);
  FUZZ_ASSERT(st == CS_OK, "own output rejected: %s: %s", err.msg, js1);
  char *js2 = cs_record_to_json(&r2);
  FUZZ_ASSERT(js2 && !strcmp(js1, js2), "round trip drifts:\n  %s\n  %s", js1, js2 ? js2 : "(null)");
  free(js1);
  free(js2);
  return 0;
}
