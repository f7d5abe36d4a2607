/* clock.c - the one clock (see clock.h). */
#include "clock.h"

#include <time.h>

static int64_t offset_ms;

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + offset_ms;
}

int64_t clock_offset_ms(void)
{
    return offset_ms;
}

void clock_set_offset_ms(int64_t offset)
{
    offset_ms = offset;
}

int64_t clock_monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
