/* main.c - the awsemu program: settings, services, and the one event loop.
 *
 * Each loop turn: wait for I/O and serve the requests that came (the loop pass
 * ends by committing their writes and releasing the replies that waited for that
 * commit: http_set_turn_end), then run due timers and commit and release again. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../protocol/http.h"
#include "../storage/checkpoint.h"
#include "../storage/db.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "service.h"
#include "timer.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN); /* a file size limit (ulimit -f) fails the write: EFBIG, a storage error */
}

/* A failed commit answers the turn's writes with errors (nothing unstored is acknowledged) and
 * has the services drop what they changed in memory with them. */
static void commit_and_release(void)
{
    int committed = db_commit_turn() == 0;
    http_release_replies(committed);
    if (!committed)
        services_resync();
}

/* For poll_us after the last request (--poll-us, 200) the loop polls instead of sleeping: on a
 * virtual machine a halted CPU takes tens of microseconds to wake, the largest part of a
 * one-connection round trip, and a client's next request usually comes within this window. Only
 * while one or two connections send everything (http_few_clients): under many, the loop seldom
 * waits, and polling would take the core from the processes that share it (Lambda's runtimes: 16
 * connections of invokes ran 45% faster without it). Never while the checkpointer wants the core
 * (it runs only in the time the loop leaves). */
static int64_t poll_us;

static int32_t wait_ms(int32_t max_wait)
{
    static uint64_t seen;
    static int64_t spin_until;
    uint64_t n = http_requests_seen();
    int64_t now = clock_monotonic_ns() / 1000;
    if (n != seen) {
        seen = n;
        spin_until = now + poll_us;
    }
    if (now < spin_until && http_few_clients() && !checkpoint_wants_core())
        return 0;
    return log_flush_wait_ms(timer_next_wait_ms(max_wait));
}

static void turn(int32_t max_wait)
{
    /* commits its requests' writes (turn_end) */
    h2o_evloop_run(http_loop(), wait_ms(max_wait));
    timer_run_due();
    commit_and_release();
    checkpoint_pace();
    log_flush_due();
}

static int open_services(const config_t *cfg)
{
    for (const service_t *const *s = services_enabled(); *s; s++) {
        char err[512] = "";
        if ((*s)->open && (*s)->open(cfg, err, sizeof(err)) != 0) {
            LOG_ERROR("%s: %s", (*s)->name, err);
            return -1;
        }
    }
    return 0;
}

static void close_services(void)
{
    for (const service_t *const *s = services_enabled(); *s; s++)
        if ((*s)->close)
            (*s)->close();
}

int main(int argc, char **argv)
{
    config_t cfg;
    int rc = config_parse(&cfg, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (cfg.healthcheck)
        return http_probe_health(cfg.host, cfg.port);
    static char stderr_buf[1 << 16];
    setvbuf(stderr, stderr_buf, _IOFBF, sizeof(stderr_buf));
    log_set_level(cfg.log_level);
    services_select(&cfg);
    char lambda_dir[4096];
    if (cfg.lambda_dir == NULL) {
        if (cfg.in_memory)
            snprintf(lambda_dir, sizeof(lambda_dir), "/tmp/awsemu-lambda-%d", (int)getpid());
        else
            snprintf(lambda_dir, sizeof(lambda_dir), "%s/lambda", cfg.data_dir);
        cfg.lambda_dir = lambda_dir;
    }
    install_signals();
    http_set_turn_end(commit_and_release);
    http_options_t opt = {cfg.host, cfg.port, (size_t)cfg.max_body, cfg.region, cfg.auth_sigv4, cfg.auth_keys};
    char err[512];
    checkpoint_set_bound(cfg.max_wal_mib << 20);
    db_set_cache_bound(cfg.cache_mib << 10);
    poll_us = cfg.poll_us;
    if (http_start(&opt, err, sizeof(err)) != 0 || (err[0] = '\0', open_services(&cfg) != 0)) {
        if (err[0])
            LOG_ERROR("%s", err);
        fflush(stderr);
        return 1;
    }
    LOG_INFO("awsemu %s listening on http://%s:%d (%s, data %s)", awsemu_version, cfg.host, cfg.port, cfg.services,
             cfg.in_memory ? "in memory" : cfg.data_dir);
    fflush(stderr);
    printf("Ready.\n");
    fflush(stdout);
    while (!stopping)
        turn(1000);
    LOG_INFO("shutting down");
    http_stop_accepting();
    close_services();
    http_release_replies(db_commit_turn() == 0);
    /* Let the last replies reach their clients. */
    for (int i = 0; i < 5; i++)
        turn(20);
    fflush(stderr);
    return 0;
}
