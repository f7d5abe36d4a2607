/* timer.h - one-shot timers on the service clock, kept in a binary heap.
 *
 * The main loop asks timer_next_wait_ms() how long it may sleep and calls
 * timer_run_due() after each turn. A timer is owned by its user (embed it);
 * starting a started timer moves it; a callback may start timers again. */
#ifndef AWSEMU_TIMER_H
#define AWSEMU_TIMER_H

#include <stddef.h>
#include <stdint.h>

typedef struct loop_timer loop_timer_t;
typedef void (*loop_timer_cb)(loop_timer_t *t);

struct loop_timer {
    int64_t at_ms; /* clock_now_ms() time to fire */
    loop_timer_cb cb;
    void *data;
    size_t heap_index; /* 0 = not started; private */
};

void timer_init(loop_timer_t *t, loop_timer_cb cb, void *data);
void timer_start(loop_timer_t *t, int64_t at_ms);
void timer_stop(loop_timer_t *t);
int timer_active(const loop_timer_t *t);

/* Milliseconds until the next timer (capped at max_ms), 0 if one is due. */
int32_t timer_next_wait_ms(int32_t max_ms);
void timer_run_due(void);

#endif
