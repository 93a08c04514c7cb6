/* soapy_log.h: SoapySDR's log captured instead of printed (library code never prints); the last
 * warning or error of the calling thread is kept for error messages. */
#ifndef CS_SOAPY_LOG_H
#define CS_SOAPY_LOG_H

/* Install the handler (once per process; safe to call again). */
void cs_soapy_log_init(void);
void cs_soapy_log_clear(void);
/* SoapySDR's last error, else the last captured log message, else a placeholder. */
const char *cs_soapy_log_last(void);

#endif
