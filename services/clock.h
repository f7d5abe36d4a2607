/* clock.h - the one clock every service reads.
 *
 * Wall-clock milliseconds since the epoch, plus an offset that tests and users
 * can move (POST /_awsemu/clock) to fast-forward retention,
 * visibility timeouts and TTL without sleeping. Timers (timer.h) run on it. */
#ifndef AWSEMU_CLOCK_H
#define AWSEMU_CLOCK_H

#include <stdint.h>

/* The offset's bound either way (1,000 years): times computed from the clock stay far from overflow. */
#define CLOCK_MAX_OFFSET_MS (1000LL * 366 * 24 * 3600 * 1000)

int64_t clock_now_ms(void);
/* Nanoseconds of CLOCK_MONOTONIC, for measuring intervals: never moved by the offset or by the wall clock. */
int64_t clock_monotonic_ns(void);
int64_t clock_offset_ms(void);
void clock_set_offset_ms(int64_t offset);

#endif
