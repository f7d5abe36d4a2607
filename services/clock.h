/* clock.h - the one clock every service reads.
 *
 * Wall-clock milliseconds since the epoch, plus an offset that tests and users
 * can move (--clock-offset / POST /_awsemu/clock) to fast-forward retention,
 * visibility timeouts and TTL without sleeping. Timers (timer.h) run on it. */
#ifndef AWSEMU_CLOCK_H
#define AWSEMU_CLOCK_H

#include <stdint.h>

int64_t clock_now_ms(void);
int64_t clock_offset_ms(void);
void clock_set_offset_ms(int64_t offset);

#endif
