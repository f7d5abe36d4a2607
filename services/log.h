/* log.h - the server's log: one line per event on stderr, filtered by level. */
#ifndef AWSEMU_LOG_H
#define AWSEMU_LOG_H

#include <stdint.h>

typedef enum { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG } log_level_t;

void log_set_level(log_level_t level);
/* Buffered lines reach stderr within LOG_FLUSH_MS (10 ms): the loop sleeps at most
 * log_flush_wait_ms(its own wait) and calls log_flush_due() after each turn. */
int32_t log_flush_wait_ms(int32_t wait_ms);
void log_flush_due(void);
int log_level_parse(const char *s, log_level_t *out);
int log_enabled(log_level_t level);
void log_msg(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The one line per request, at info level: "service op status 1.234ms", and for
 * an error status " code: message". Cheaper than log_msg (no printf). */
void log_request(const char *service, const char *op, int status, unsigned long long us, const char *err_code, const char *err_msg);

#define LOG_ERROR(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
