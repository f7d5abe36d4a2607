/* timer.c - one-shot timers in a binary min-heap on the service clock (see timer.h). */
#include "timer.h"

#include <stdlib.h>

#include "clock.h"

static loop_timer_t **heap; /* 1-based; heap[0] unused */
static size_t heap_len, heap_cap;

static void place(size_t i, loop_timer_t *t)
{
    heap[i] = t;
    t->heap_index = i;
}

static void sift_up(size_t i)
{
    loop_timer_t *t = heap[i];
    while (i > 1 && heap[i / 2]->at_ms > t->at_ms) {
        place(i, heap[i / 2]);
        i /= 2;
    }
    place(i, t);
}

static void sift_down(size_t i)
{
    loop_timer_t *t = heap[i];
    for (;;) {
        size_t c = i * 2;
        if (c > heap_len)
            break;
        if (c + 1 <= heap_len && heap[c + 1]->at_ms < heap[c]->at_ms)
            c++;
        if (heap[c]->at_ms >= t->at_ms)
            break;
        place(i, heap[c]);
        i = c;
    }
    place(i, t);
}

void timer_init(loop_timer_t *t, loop_timer_cb cb, void *data)
{
    t->at_ms = 0;
    t->cb = cb;
    t->data = data;
    t->heap_index = 0;
}

int timer_active(const loop_timer_t *t)
{
    return t->heap_index != 0;
}

void timer_stop(loop_timer_t *t)
{
    size_t i = t->heap_index;
    if (i == 0)
        return;
    t->heap_index = 0;
    loop_timer_t *last = heap[heap_len--];
    if (last == t)
        return;
    place(i, last);
    sift_down(i);
    sift_up(last->heap_index);
}

void timer_start(loop_timer_t *t, int64_t at_ms)
{
    timer_stop(t);
    t->at_ms = at_ms;
    if (heap_len + 1 >= heap_cap) {
        size_t cap = heap_cap ? heap_cap * 2 : 64;
        loop_timer_t **nh = realloc(heap, cap * sizeof(*heap));
        if (nh == NULL)
            abort();
        heap = nh;
        heap_cap = cap;
    }
    place(++heap_len, t);
    sift_up(heap_len);
}

int32_t timer_next_wait_ms(int32_t max_ms)
{
    if (heap_len == 0)
        return max_ms;
    int64_t wait = heap[1]->at_ms - clock_now_ms();
    if (wait <= 0)
        return 0;
    return wait < max_ms ? (int32_t)wait : max_ms;
}

void timer_run_due(void)
{
    int64_t now = clock_now_ms();
    /* Bounded: timers started by callbacks for "now" run next turn. */
    size_t budget = heap_len;
    while (heap_len > 0 && heap[1]->at_ms <= now && budget-- > 0) {
        loop_timer_t *t = heap[1];
        timer_stop(t);
        t->cb(t);
    }
}
