/* soapy_log.c: capture SoapySDR's log (see soapy_log.h). */
#include "soapy_log.h"

#include <SoapySDR/Device.h>
#include <SoapySDR/Logger.h>
#include <pthread.h>
#include <stdio.h>

static __thread char last_log[256];
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static void log_handler(const SoapySDRLogLevel level, const char *message) {
  if (level <= SOAPY_SDR_WARNING) snprintf(last_log, sizeof last_log, "%s", message);
}

static void install(void) { SoapySDR_registerLogHandler(log_handler); }

void cs_soapy_log_init(void) { pthread_once(&log_once, install); }

void cs_soapy_log_clear(void) { last_log[0] = 0; }

const char *cs_soapy_log_last(void) {
  const char *e = SoapySDRDevice_lastError();
  if (e && *e) return e;
  return last_log[0] ? last_log : "no detail from SoapySDR";
}
