/* log.c - leveled log lines on stderr, each stamped with UTC time (see log.h).
 * Lines go through stderr's stdio buffer, which the main loop flushes at most
 * every LOG_FLUSH_MS and never later (log_flush_wait_ms caps the loop's sleep):
 * a flush per loop turn was a write(2) per request at one connection. The
 * per-request line is assembled without printf (it is on every request's path),
 * and the date part of the stamp is formatted once a second. */
#include "log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define LOG_LINE_MAX 4096
#define LOG_FLUSH_MS 10

static int64_t last_flush_ms;

static log_level_t current = LOG_LEVEL_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void log_set_level(log_level_t level)
{
    current = level;
}

int log_level_parse(const char *s, log_level_t *out)
{
    for (int i = 0; i < 4; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = (log_level_t)i;
            return 0;
        }
    if (strcasecmp(s, "warning") == 0) {
        *out = LOG_LEVEL_WARN;
        return 0;
    }
    return -1;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int32_t log_flush_wait_ms(int32_t wait_ms)
{
    if (__fpending(stderr) == 0)
        return wait_ms;
    int64_t left = last_flush_ms + LOG_FLUSH_MS - monotonic_ms();
    return left <= 0 ? 0 : left < wait_ms ? (int32_t)left : wait_ms;
}

void log_flush_due(void)
{
    if (__fpending(stderr) == 0)
        return;
    int64_t now = monotonic_ms();
    if (now - last_flush_ms >= LOG_FLUSH_MS) {
        fflush(stderr);
        last_flush_ms = now;
    }
}

int log_enabled(log_level_t level)
{
    return level <= current;
}

/* A line under construction; appends past the end are cut (room is kept for '\n'). */
typedef struct {
    char buf[LOG_LINE_MAX];
    size_t len;
} line_t;

static void put(line_t *l, const char *s, size_t len)
{
    size_t room = sizeof(l->buf) - 1 - l->len;
    if (len > room)
        len = room;
    memcpy(l->buf + l->len, s, len);
    l->len += len;
}

static void put_str(line_t *l, const char *s)
{
    put(l, s, strlen(s));
}

/* v in decimal, at least min_digits wide (zero-padded). */
static void put_uint(line_t *l, unsigned long long v, int min_digits)
{
    char d[24];
    int n = 0;
    do {
        d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    put(l, d + sizeof(d) - n, (size_t)n);
}

/* "2025-01-01T00:00:00.000Z info  " */
static void start_line(line_t *l, log_level_t level)
{
    static char date[24];
    static size_t date_len;
    static time_t date_sec = -1;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_sec != date_sec) {
        struct tm tm;
        gmtime_r(&tv.tv_sec, &tm);
        date_len = strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S.", &tm);
        date_sec = tv.tv_sec;
    }
    l->len = 0;
    put(l, date, date_len);
    put_uint(l, (unsigned long long)(tv.tv_usec / 1000), 3);
    put(l, "Z ", 2);
    size_t n = strlen(names[level]);
    put(l, names[level], n);
    put(l, "      ", 6 - n); /* "%-5s " */
}

static void end_line(line_t *l)
{
    l->buf[l->len++] = '\n';
    fwrite(l->buf, 1, l->len, stderr);
}

void log_msg(log_level_t level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    line_t l;
    start_line(&l, level);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(l.buf + l.len, sizeof(l.buf) - l.len - 1, fmt, ap);
    va_end(ap);
    if (m > 0)
        l.len = l.len + (size_t)m > sizeof(l.buf) - 1 ? sizeof(l.buf) - 1 : l.len + (size_t)m;
    end_line(&l);
}

void log_request(const char *service, const char *op, int status, unsigned long long us, const char *err_code, const char *err_msg)
{
    if (!log_enabled(LOG_LEVEL_INFO))
        return;
    line_t l;
    start_line(&l, LOG_LEVEL_INFO);
    put_str(&l, service);
    put(&l, " ", 1);
    put_str(&l, op);
    put(&l, " ", 1);
    put_uint(&l, (unsigned long long)(status < 0 ? 0 : status), 1);
    put(&l, " ", 1);
    put_uint(&l, us / 1000, 1);
    put(&l, ".", 1);
    put_uint(&l, us % 1000, 3);
    put(&l, "ms", 2);
    if (status >= 400) {
        put(&l, " ", 1);
        put_str(&l, err_code ? err_code : "");
        put(&l, ": ", 2);
        put_str(&l, err_msg ? err_msg : "");
    }
    end_line(&l);
}
