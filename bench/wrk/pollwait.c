/* pollwait.c - an LD_PRELOAD shim for wrk (bench/run --client-poll-us N): epoll_wait polls for up to
 * N microseconds before it sleeps, as awsemu's own loop does (--poll-us). On a VM whose idle vCPUs
 * halt at once (guest_halt_poll_ns=0), every answer at one connection otherwise pays for waking
 * wrk's halted vCPU (an IPI in the server's writev, then wrk's resume: ~35-40 us a round trip here),
 * whatever the server; with the shim the load generator measures the servers, not that wake-up.
 * It changes nothing but when wrk sleeps: the same for every server measured. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>

static int (*real_wait)(int, struct epoll_event *, int, int);
static long poll_ns = -1;

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int epoll_wait(int fd, struct epoll_event *ev, int n, int timeout_ms)
{
    if (!real_wait) {
        real_wait = (int (*)(int, struct epoll_event *, int, int))dlsym(RTLD_NEXT, "epoll_wait");
        const char *s = getenv("BENCH_CLIENT_POLL_US");
        poll_ns = s ? atol(s) * 1000L : 0;
    }
    long start = now_ns(), spin = poll_ns;
    if (timeout_ms >= 0 && spin > timeout_ms * 1000000L)
        spin = timeout_ms * 1000000L;
    int r;
    do {
        if ((r = real_wait(fd, ev, n, 0)) != 0)
            return r;
    } while (now_ns() - start < spin);
    if (timeout_ms == 0)
        return 0;
    long left_ms = timeout_ms < 0 ? -1 : timeout_ms - (now_ns() - start) / 1000000L;
    return real_wait(fd, ev, n, timeout_ms >= 0 && left_ms < 0 ? 0 : (int)left_ms);
}
