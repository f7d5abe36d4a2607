/* lambda_env.c - execution environments: one OS process per environment,
 * speaking the Runtime API on a loopback port of its own, and the scheduler
 * that hands invocations to them.
 *
 * Each function version has a pool: a queue of invocations and its
 * environments. An invocation goes to an idle environment (one whose
 * /invocation/next is parked) or waits in the queue while a new environment
 * starts, up to the function's reserved concurrency. Environments are started
 * with posix_spawn in their own process group, with a clean environment, no
 * inherited descriptors, and stdout+stderr on one pipe whose lines the loop
 * reads into the server log and the invocation's log.
 *
 * A new environment is started only when it is expected to help: while the
 * queue's expected wait for the running environments (invocations queued per
 * environment times the pool's mean invocation time) exceeds the pool's mean
 * start-up time, or when the oldest queued invocation has already waited that
 * long. Short functions under concurrent load so share a few warm environments
 * instead of paying a start-up each (on a small machine, 16 interpreters on one
 * core ran 4 times slower than one); slow ones get an environment per request.  A timeout kills the whole
 * group. Children are reaped with waitpid(WNOHANG) from a sweep timer (no
 * SIGCHLD handler); an environment is freed once reaped and its pipe is closed. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../protocol/http.h"
#include "../../protocol/runtime_api.h"
#include "../../protocol/ytree.h"
#include "../clock.h"
#include "../log.h"
#include "lambda_internal.h"

#define ENV_MAX_DEFAULT 64          /* environments per function without reserved concurrency */
#define ENV_IDLE_MS (5 * 60 * 1000) /* a warm environment is kept this long */
#define ENV_INIT_MS 10000           /* Lambda's init phase limit */
#define ENV_LINE_MAX 8192

typedef struct lambda_env lambda_env_t;

typedef struct lambda_pool {
    lambda_fn_t *fn;
    char *version;
    lambda_env_t *envs;
    lambda_inv_t *head, *tail;
    int queued;
    double run_ms, init_ms; /* moving means of invocation and start-up times; 0 until measured */
    loop_timer_t grow;      /* looks again when the oldest queued invocation has waited a start-up */
    struct lambda_pool *next;
} lambda_pool_t;

struct lambda_env {
    lambda_pool_t *pool; /* NULL once the environment is killed */
    char *fn_name;
    char code_hex[65]; /* the unpacked code it runs (kept on disk while it lives) */
    char opt_key[65];  /* the key of its layers' directory (lambda_layer.c; kept while it lives), "" for none */
    int64_t memory;
    pid_t pid;
    int reaped, killed, retired;
    runtime_api_t *api;
    runtime_api_next_t *next; /* parked /invocation/next */
    h2o_socket_t *out;
    int out_fd;
    lambda_inv_t *inv;
    int answered;                     /* the runtime answered since its last /next (Lambda's RuntimeResponseSentState) */
    struct timespec spawned, started; /* monotonic: start of the process and of the current invocation */
    double init_ms;                   /* < 0 until the first /next; reported with the first invocation */
    int init_reported;
    loop_timer_t timer;
    char line[ENV_LINE_MAX];
    size_t line_len;
    lambda_env_t *pool_next, *all_next;
};

static lambda_env_t *all_envs;
static loop_timer_t sweep;

static void env_kill(lambda_env_t *env);
static void pool_dispatch(lambda_pool_t *pool);
static void pool_grow(lambda_pool_t *pool);

static double since_ms(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) * 1000.0 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

static double mono_ms(void)
{
    static const struct timespec zero;
    return since_ms(&zero);
}

/* A moving mean that starts at the first sample. */
static void mean_add(double *mean, double sample)
{
    *mean = *mean > 0 ? 0.8 * *mean + 0.2 * sample : sample;
}

static lambda_cfg_t *pool_cfg(lambda_pool_t *pool)
{
    return strcmp(pool->version, LAMBDA_LATEST) == 0 ? pool->fn->latest : lambda_version_find(pool->fn, pool->version);
}

static int fn_limit(const lambda_fn_t *fn)
{
    return fn->reserved >= 0 ? fn->reserved : ENV_MAX_DEFAULT;
}

/* ---- logs ---- */

static void inv_logf(lambda_inv_t *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void inv_logf(lambda_inv_t *inv, const char *fmt, ...)
{
    if (!inv->tail) /* only LogResult reads an invocation's log */
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = sizeof(buf) - 1;
    lambda_inv_log(inv, buf, (size_t)n);
}

/* One line the function printed: to the server log and the running invocation's log. */
static void env_line(lambda_env_t *env, const char *s, size_t len)
{
    if (len && s[len - 1] == '\r')
        len--;
    LOG_INFO("[%s %s] %.*s", env->fn_name, env->inv ? env->inv->request_id : "-", (int)len, s);
    if (env->inv) {
        lambda_inv_log(env->inv, s, len);
        lambda_inv_log(env->inv, "\n", 1);
    }
}

static void env_output(lambda_env_t *env, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n' || env->line_len == sizeof(env->line)) {
            env_line(env, env->line, env->line_len);
            env->line_len = 0;
            if (s[i] == '\n')
                continue;
        }
        env->line[env->line_len++] = s[i];
    }
}

/* Reads what the pipe holds right now, so that lines printed before a result are in that result's log:
 * at most ENV_DRAIN_MAX bytes (four pipe buffers). A process that never stops writing (a `yes` left
 * running by a bootstrap) kept an unbounded loop reading for as long as it lived, and every other
 * client waited (17-28 s in the fuzz campaign); what is left is read by on_output between other events. */
#define ENV_DRAIN_MAX (256 << 10)

/* 0, or -1 at the pipe's end (every writer gone) or on a read error. */
static int env_drain(lambda_env_t *env)
{
    char buf[16384];
    ssize_t n = -1;
    if (!env->out)
        return 0;
    for (size_t total = 0; total < ENV_DRAIN_MAX && (n = read(env->out_fd, buf, sizeof(buf))) > 0; total += (size_t)n)
        env_output(env, buf, (size_t)n);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ? -1 : 0;
}

/* The pipe is readable (the socket is DONT_READ: h2o only tells, env_drain reads). */
static void on_output(h2o_socket_t *sock, const char *err)
{
    lambda_env_t *env = sock->data;
    if (!err && env_drain(env) != 0)
        err = "end of output";
    if (err) {
        if (env->line_len)
            env_line(env, env->line, env->line_len);
        env->line_len = 0;
        h2o_socket_close(sock);
        env->out = NULL;
        timer_start(&sweep, clock_now_ms() + 5);
    }
}

/* ---- finishing invocations ---- */

static long max_memory_mb(pid_t pid)
{
    char path[64], line[256];
    long kb = 0;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return (kb + 1023) / 1024;
}

/* END and REPORT in the invocation's log (read only for LogResult: Max Memory Used costs a /proc read); a failed
 * environment's REPORT ends with its Status and Error Type. */
static void env_report(lambda_env_t *env, lambda_inv_t *inv, double ms, const char *report_status, const char *error_type)
{
    inv_logf(inv, "END RequestId: %s\n", inv->request_id);
    inv_logf(inv,
             "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: %lld MB\tMax Memory Used: %ld MB\t",
             inv->request_id, ms, (long long)ms + 1, (long long)env->memory, max_memory_mb(env->pid));
    if (!env->init_reported && env->init_ms >= 0)
        inv_logf(inv, "Init Duration: %.2f ms\t", env->init_ms);
    if (report_status)
        inv_logf(inv, "Status: %s\t", report_status);
    if (error_type)
        inv_logf(inv, "Error Type: %s\t", error_type);
    lambda_inv_log(inv, "\n", 1);
}

/* Writes END and REPORT, detaches the invocation and completes it. */
static void env_finish(lambda_env_t *env, int status, const char *result, size_t len, const char *report_status,
                       const char *error_type)
{
    lambda_inv_t *inv = env->inv;
    env->inv = NULL;
    timer_stop(&env->timer);
    double ms = since_ms(&env->started);
    if (env->pool)
        mean_add(&env->pool->run_ms, ms);
    if (inv->tail)
        env_report(env, inv, ms, report_status, error_type);
    env->init_reported |= env->init_ms >= 0;
    LOG_DEBUG("[%s %s] END Duration: %.2f ms%s%s", env->fn_name, inv->request_id, ms, report_status ? " Status: " : "",
              report_status ? report_status : "");
    lambda_inv_complete(inv, status, result, len);
}

/* Lambda's error document, errorMessage first. */
static void error_doc(jw_t *w, const char *type, const char *message)
{
    jw_init(w);
    jw_obj(w);
    jw_kstr(w, "errorMessage", message);
    jw_kstr(w, "errorType", type);
    jw_end(w);
}

/* Makes inv, which the runtime never got (it failed to start), env's invocation, to be finished: its log starts here. */
static void env_adopt(lambda_env_t *env, lambda_inv_t *inv)
{
    if (env->inv == inv)
        return;
    env->inv = inv;
    clock_gettime(CLOCK_MONOTONIC, &env->started);
    inv_logf(inv, "START RequestId: %s Version: %s\n", inv->request_id, inv->version);
}

/* Fails inv because env's runtime failed (type Runtime.ExitError, Runtime.InvalidEntrypoint, ...) as Lambda does: the
 * answer's errorMessage is "RequestId: <id> Error: <why>", and the log shows that line and the type before END, and
 * REPORT the Status and Error Type. inv is env's invocation, or one that never reached the runtime. */
static void env_fail(lambda_env_t *env, lambda_inv_t *inv, const char *type, const char *why)
{
    env_adopt(env, inv);
    char message[512];
    snprintf(message, sizeof(message), "RequestId: %s Error: %s", inv->request_id, why);
    inv_logf(inv, "%s\n%s\n", message, type);
    jw_t w;
    error_doc(&w, type, message);
    env_finish(env, LAMBDA_INV_FUNCTION_ERROR, w.buf, w.len, "error", type);
    jw_free(&w);
}

static void fail_exit(lambda_env_t *env, lambda_inv_t *inv, int wstatus)
{
    char why[96];
    if (WIFSIGNALED(wstatus))
        snprintf(why, sizeof(why), "Runtime exited with error: signal: %s",
                 WTERMSIG(wstatus) == SIGKILL ? "killed" : strsignal(WTERMSIG(wstatus)));
    else if (WEXITSTATUS(wstatus) == 0)
        snprintf(why, sizeof(why), "Runtime exited without providing a reason");
    else
        snprintf(why, sizeof(why), "Runtime exited with error: exit status %d", WEXITSTATUS(wstatus));
    env_fail(env, inv, "Runtime.ExitError", why);
}

/* The next invocation of pool's queue to run; one that waited past its expiry goes to its expired()
 * instead (an event older than its MaximumEventAgeInSeconds is discarded, not run). */
static lambda_inv_t *pool_pop(lambda_pool_t *pool)
{
    lambda_inv_t *inv;
    while ((inv = pool->head)) {
        pool->head = inv->next;
        if (!pool->head)
            pool->tail = NULL;
        inv->next = NULL;
        pool->queued--;
        if (!inv->expires_ms || clock_now_ms() <= inv->expires_ms)
            break;
        inv->expired(inv);
    }
    return inv;
}

/* ---- Runtime API callbacks ---- */

static void env_timeout(loop_timer_t *t);

/* (Re)arms the environment's one timer with a new purpose. */
static void env_timer(lambda_env_t *env, loop_timer_cb cb, int64_t at_ms)
{
    timer_stop(&env->timer);
    env->timer.cb = cb;
    env->timer.data = env;
    timer_start(&env->timer, at_ms);
}

/* Copies n hex digits of the request id, skipping its dashes. */
static char *hex_of(char *o, const char *request_id, int from, int n)
{
    for (const char *p = request_id; *p && n > 0; p++)
        if (*p != '-' && from-- <= 0)
            *o++ = *p, n--;
    return o;
}

/* X-Ray's Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0, made from the request id's 32 hex digits. */
static void trace_id(char out[400], const char request_id[37])
{
    static const char hex[] = "0123456789abcdef";
    uint32_t secs = (uint32_t)(clock_now_ms() / 1000);
    char *o = out;
    memcpy(o, "Root=1-", 7), o += 7;
    for (int shift = 28; shift >= 0; shift -= 4)
        *o++ = hex[(secs >> shift) & 15];
    *o++ = '-';
    o = hex_of(o, request_id, 8, 24);
    memcpy(o, ";Parent=", 8), o += 8;
    o = hex_of(o, request_id, 0, 16);
    memcpy(o, ";Sampled=0", 11);
}

static void env_deliver(lambda_env_t *env, lambda_inv_t *inv)
{
    lambda_cfg_t *cfg = pool_cfg(env->pool);
    runtime_api_next_t *n = env->next;
    env->next = NULL;
    env->inv = inv;
    inv->streamed = 0; /* a new attempt */
    inv->streamed_len = 0;
    free(inv->gathered);
    inv->gathered = NULL;
    inv->gathered_len = 0;
    clock_gettime(CLOCK_MONOTONIC, &env->started);
    int64_t deadline = clock_now_ms() + (int64_t)cfg->timeout * 1000;
    env_timer(env, env_timeout, deadline);
    inv_logf(inv, "START RequestId: %s Version: %s\n", inv->request_id, inv->version);
    LOG_DEBUG("[%s %s] START Version: %s", env->fn_name, inv->request_id, inv->version);
    char trace[400];
    trace_id(trace, inv->request_id);
    if (inv->lineage)
        snprintf(trace + strlen(trace), sizeof(trace) - strlen(trace), ";Lineage=%s", inv->lineage);
    /* the runtime compares the deadline with its own wall clock, which does not see the service clock's offset */
    runtime_api_event_t ev = {
        inv->request_id, deadline - clock_offset_ms(), inv->invoked_arn, trace, inv->client_context, NULL, inv->payload, inv->len};
    runtime_api_deliver(n, &ev);
}

static void env_idle(loop_timer_t *t)
{
    lambda_env_t *env = t->data;
    LOG_DEBUG("lambda: reaping idle environment of %s (pid %d)", env->fn_name, (int)env->pid);
    env_kill(env);
}

static void rt_next(void *data, runtime_api_next_t *n)
{
    lambda_env_t *env = data;
    env->next = n;
    env->answered = 0;
    if (env->init_ms < 0 && env->pool)
        mean_add(&env->pool->init_ms, env->init_ms = since_ms(&env->spawned));
    else if (env->init_ms < 0)
        env->init_ms = since_ms(&env->spawned);
    if (env->inv) { /* asked for more work without answering: Lambda counts that as a failure */
        static const char msg[] = "{\"errorMessage\":\"The runtime asked for the next invocation before answering this one.\","
                                  "\"errorType\":\"Runtime.InvalidResponse\"}";
        env_finish(env, LAMBDA_INV_FUNCTION_ERROR, msg, sizeof(msg) - 1, "error", "Runtime.InvalidResponse");
    }
    if (env->retired || !env->pool) {
        env_kill(env);
        return;
    }
    lambda_inv_t *inv = pool_pop(env->pool);
    if (inv) {
        env_deliver(env, inv);
        pool_grow(env->pool); /* the means moved */
        return;
    }
    env_timer(env, env_idle, clock_now_ms() + ENV_IDLE_MS);
}

static void rt_next_gone(void *data, runtime_api_next_t *n)
{
    lambda_env_t *env = data;
    if (env->next == n)
        env->next = NULL;
}

/* Whether the runtime may answer request_id now (Lambda's runtime states: one answer per /next); if so, it now has. */
static runtime_api_rc_t rt_take(lambda_env_t *env, const char *request_id)
{
    if (env->answered)
        return RUNTIME_API_ALREADY_ANSWERED;
    if (!env->inv || strcmp(env->inv->request_id, request_id) != 0)
        return RUNTIME_API_INVALID_ID;
    env->answered = 1;
    return RUNTIME_API_ACCEPTED;
}

/* Fails the running invocation because its result passed limit bytes, in Lambda's words. */
static runtime_api_rc_t fail_too_large(lambda_env_t *env, int limit)
{
    char msg[160];
    int n = snprintf(msg, sizeof(msg),
                     "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (%d bytes).\","
                     "\"errorType\":\"Function.ResponseSizeTooLarge\"}",
                     limit);
    env_drain(env);
    env_finish(env, LAMBDA_INV_FUNCTION_ERROR, msg, (size_t)n, "error", NULL);
    return RUNTIME_API_TOO_LARGE;
}

/* Completes the running invocation with the runtime's result; one over the limit fails it as Lambda does. */
static runtime_api_rc_t env_result(lambda_env_t *env, int status, const char *body, size_t len)
{
    if (len > RUNTIME_API_MAX_RESPONSE)
        return fail_too_large(env, RUNTIME_API_MAX_RESPONSE);
    env_drain(env);
    env_finish(env, status, body, len, status == LAMBDA_INV_OK ? NULL : "error", NULL);
    return RUNTIME_API_ACCEPTED;
}

/* An error body that is not a JSON object (a custom runtime may post plain text) is wrapped as
 * {"errorMessage": <text>, "errorType": <Lambda-Runtime-Function-Error-Type>}. */
static runtime_api_rc_t error_result(lambda_env_t *env, const char *error_type, const char *body, size_t len)
{
    if (len > RUNTIME_API_MAX_RESPONSE)
        return env_result(env, LAMBDA_INV_FUNCTION_ERROR, body, len);
    char err[64], *text = strndup(body, len);
    yajl_val v = text ? ytree_parse_text(text, err, sizeof(err)) : NULL;
    int is_object = v && YAJL_IS_OBJECT(v);
    yajl_tree_free(v);
    runtime_api_rc_t rc;
    if (is_object || !text)
        rc = env_result(env, LAMBDA_INV_FUNCTION_ERROR, body, len);
    else {
        jw_t w;
        error_doc(&w, error_type && *error_type ? error_type : "Runtime.Unknown", text);
        rc = env_result(env, LAMBDA_INV_FUNCTION_ERROR, w.buf, w.len);
        jw_free(&w);
    }
    free(text);
    return rc;
}

static runtime_api_rc_t rt_response(void *data, const char *request_id, const char *body, size_t len)
{
    runtime_api_rc_t rc = rt_take(data, request_id);
    return rc != RUNTIME_API_ACCEPTED ? rc : env_result(data, LAMBDA_INV_OK, body, len);
}

static runtime_api_rc_t rt_error(void *data, const char *request_id, const char *error_type, const char *body, size_t len)
{
    runtime_api_rc_t rc = rt_take(data, request_id);
    return rc != RUNTIME_API_ACCEPTED ? rc : error_result(data, error_type, body, len);
}

static void rt_init_error(void *data, const char *error_type, const char *body, size_t len)
{
    lambda_env_t *env = data;
    env_drain(env);
    LOG_WARN("lambda: %s failed to start: %.*s", env->fn_name, (int)(len > 500 ? 500 : len), body);
    const char *type = error_type ? error_type : "Runtime.Unknown";
    lambda_inv_t *inv = env->inv ? env->inv : env->pool ? pool_pop(env->pool) : NULL;
    if (inv && inv != env->inv)
        inv_logf(inv, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: %s\n", since_ms(&env->spawned),
                 type);
    if (inv) {
        env_adopt(env, inv);
        env_finish(env, LAMBDA_INV_FUNCTION_ERROR, body, len, "error", type);
    }
    env_kill(env);
}

/* A streamed result: to the invocation's sink as it comes, or gathered for a buffered answer. */
static runtime_api_rc_t rt_stream_start(void *data, const char *request_id, const char *content_type)
{
    lambda_env_t *env = data;
    runtime_api_rc_t rc = rt_take(env, request_id);
    if (rc != RUNTIME_API_ACCEPTED)
        return rc;
    lambda_inv_t *inv = env->inv;
    inv->streamed = 1;
    if (inv->sink)
        inv->sink->start(inv, content_type ? content_type : "application/octet-stream");
    return RUNTIME_API_ACCEPTED;
}

static runtime_api_rc_t rt_stream_data(void *data, const char *bytes, size_t len)
{
    lambda_env_t *env = data;
    lambda_inv_t *inv = env->inv;
    if (!inv || !inv->streamed)
        return RUNTIME_API_ACCEPTED; /* it ended already (a timeout) */
    if (inv->sink) {                 /* what fits within the limit goes on; past it, the invocation fails there */
        size_t room = RUNTIME_API_MAX_STREAM - inv->streamed_len, n = len < room ? len : room;
        inv->streamed_len += n;
        if (n)
            inv->sink->data(inv, bytes, n);
        return n < len ? fail_too_large(env, RUNTIME_API_MAX_STREAM) : RUNTIME_API_ACCEPTED;
    }
    size_t room = inv->gathered_len <= RUNTIME_API_MAX_RESPONSE ? RUNTIME_API_MAX_RESPONSE + 1 - inv->gathered_len : 0;
    if (len > room) /* past the limit: one byte over is enough for env_result to refuse it */
        len = room;
    if (!len)
        return RUNTIME_API_ACCEPTED;
    inv->gathered = realloc(inv->gathered, inv->gathered_len + len);
    memcpy(inv->gathered + inv->gathered_len, bytes, len);
    inv->gathered_len += len;
    return RUNTIME_API_ACCEPTED;
}

static void rt_stream_end(void *data, const char *error_type, const char *body, size_t len)
{
    lambda_env_t *env = data;
    lambda_inv_t *inv = env->inv;
    if (!inv || !inv->streamed)
        return;
    if (error_type)
        error_result(env, error_type, body, len);
    else if (inv->sink)
        env_result(env, LAMBDA_INV_OK, "", 0);
    else
        env_result(env, LAMBDA_INV_OK, inv->gathered ? inv->gathered : "", inv->gathered_len);
}

static const runtime_api_ops_t rt_ops = {rt_next,       rt_next_gone,    rt_response,    rt_error,
                                         rt_init_error, rt_stream_start, rt_stream_data, rt_stream_end};

/* The invocation ran past its timeout (or the environment never started): kill the group, answer as Lambda. */
static void env_timeout(loop_timer_t *t)
{
    lambda_env_t *env = t->data;
    lambda_cfg_t *cfg = env->pool ? pool_cfg(env->pool) : NULL;
    int secs = cfg ? cfg->timeout : 0;
    lambda_inv_t *inv = env->inv;
    if (!inv && env->pool && (inv = pool_pop(env->pool))) {
        /* the runtime did not reach /next within the init limit */
        inv_logf(inv, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: timeout\n", since_ms(&env->spawned));
        env_adopt(env, inv);
    }
    if (!inv) {
        env_kill(env);
        return;
    }
    env_drain(env);
    char ts[32], msg[160], line[200];
    lambda_time_fmt(ts, clock_now_ms(), LAMBDA_TIME_MS_Z);
    snprintf(line, sizeof(line), "%s %s Task timed out after %d.00 seconds", ts, inv->request_id, secs);
    env_line(env, line, strlen(line));
    snprintf(msg, sizeof(msg), "RequestId: %s Error: Task timed out after %d.00 seconds", inv->request_id, secs);
    pid_t pid = env->pid;
    if (pid > 0)
        kill(-pid, SIGKILL);
    jw_t w;
    error_doc(&w, "Sandbox.Timedout", msg);
    env_finish(env, LAMBDA_INV_FUNCTION_ERROR, w.buf, w.len, "timeout", NULL);
    jw_free(&w);
    env_kill(env);
}

/* ---- processes ---- */

static void env_unlink_pool(lambda_env_t *env)
{
    lambda_pool_t *pool = env->pool;
    if (!pool)
        return;
    for (lambda_env_t **pp = &pool->envs; *pp; pp = &(*pp)->pool_next)
        if (*pp == env) {
            *pp = env->pool_next;
            break;
        }
    pool->fn->running--;
    env->pool = NULL;
}

/* Kills the process group and detaches the environment; it is freed once reaped (sweep). */
static void env_kill(lambda_env_t *env)
{
    if (env->killed)
        return;
    env->killed = 1;
    timer_stop(&env->timer);
    if (env->pid > 0 && !env->reaped)
        kill(-env->pid, SIGKILL);
    if (env->api)
        runtime_api_close(env->api);
    env->api = NULL;
    env->next = NULL;
    lambda_pool_t *pool = env->pool;
    env_unlink_pool(env);
    timer_start(&sweep, clock_now_ms() + 5);
    if (pool)
        pool_dispatch(pool);
}

static void env_free(lambda_env_t *env)
{
    for (lambda_env_t **pp = &all_envs; *pp; pp = &(*pp)->all_next)
        if (*pp == env) {
            *pp = env->all_next;
            break;
        }
    if (env->out)
        h2o_socket_close(env->out);
    free(env->fn_name);
    free(env);
}

/* Reaps exited children; an environment whose process died by itself fails what it was doing. */
static void sweep_run(loop_timer_t *t)
{
    int pending = 0;
    for (lambda_env_t *env = all_envs, *next; env; env = next) {
        next = env->all_next;
        int wstatus = 0;
        pid_t w = !env->reaped && env->pid > 0 ? waitpid(env->pid, &wstatus, WNOHANG) : 0;
        if (w == env->pid || (w < 0 && errno == ECHILD)) { /* ECHILD: already reaped for us (SIGCHLD ignored) */
            env->reaped = 1;
            kill(-env->pid, SIGKILL); /* anything the runtime left behind */
            env_drain(env);
            if (!env->killed) {
                LOG_WARN("lambda: environment of %s (pid %d) exited (status 0x%x)", env->fn_name, (int)env->pid, wstatus);
                lambda_inv_t *inv = env->inv ? env->inv : (env->init_ms < 0 && env->pool ? pool_pop(env->pool) : NULL);
                if (inv)
                    fail_exit(env, inv, wstatus);
                env_kill(env);
            }
        }
        if (env->reaped && env->killed) {
            env_free(env);
            continue;
        }
        pending |= env->killed || !env->out;
    }
    if (all_envs)
        timer_start(&sweep, clock_now_ms() + (pending ? 20 : 1000));
}

/* Interpreters by runtime, resolved once. */
static struct {
    char runtime[32];
    char *exe;
} interps[24];
static int ninterps;

/* Finds name on the server's PATH; NULL when absent. */
static char *path_lookup(const char *name)
{
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, name);
        if (n && access(buf, X_OK) == 0)
            return strdup(buf);
        p += n + (p[n] == ':');
    }
    return NULL;
}

/* A Python found through a launcher script (a pyenv shim) is asked for the real interpreter:
 * the shim would not work in the runtime's clean environment. */
static char *python_behind(const char *exe)
{
    char head[2] = {0}, out[1024] = "", cmd[1200];
    FILE *f = fopen(exe, "re");
    if (f) {
        if (fread(head, 1, 2, f) != 2)
            head[0] = 0;
        fclose(f);
    }
    if (head[0] != '#' || head[1] != '!')
        return NULL;
    snprintf(cmd, sizeof(cmd), "'%s' -c 'import sys; print(sys.executable)' 2>/dev/null", exe);
    if ((f = popen(cmd, "re"))) {
        if (!fgets(out, sizeof(out), f))
            out[0] = '\0';
        pclose(f);
    }
    out[strcspn(out, "\n")] = '\0';
    return *out == '/' ? strdup(out) : NULL;
}

/* The interpreter of a nodejs* or python* runtime: AWSEMU_LAMBDA_INTERPRETER_<RUNTIME> (e.g.
 * AWSEMU_LAMBDA_INTERPRETER_PYTHON3_12), else --node / --python, else node / python3 on PATH. */
static const char *interpreter(const char *runtime)
{
    for (int i = 0; i < ninterps; i++)
        if (strcmp(interps[i].runtime, runtime) == 0)
            return interps[i].exe;
    int python = strncmp(runtime, "python", 6) == 0;
    char var[96];
    int n = snprintf(var, sizeof(var), "AWSEMU_LAMBDA_INTERPRETER_");
    for (const char *r = runtime; *r && n < (int)sizeof(var) - 1; r++)
        var[n++] = (*r >= 'a' && *r <= 'z') ? (char)(*r - 32) : (*r == '.' || *r == '-') ? '_' : *r;
    var[n] = '\0';
    const char *conf = python ? lambda_cfg->python_path : lambda_cfg->node_path;
    const char *want = getenv(var) && *getenv(var) ? getenv(var) : conf && *conf ? conf : python ? "python3" : "node";
    char *exe = strchr(want, '/') ? strdup(want) : path_lookup(want);
    if (exe && python) {
        char *real = python_behind(exe);
        if (real) {
            free(exe);
            exe = real;
        }
    }
    if (!exe)
        exe = strdup(want);
    if (ninterps == (int)(sizeof(interps) / sizeof(interps[0]))) /* more slots than supported runtimes: not reached */
        ninterps--, free(interps[ninterps].exe);
    snprintf(interps[ninterps].runtime, sizeof(interps[ninterps].runtime), "%s", runtime);
    interps[ninterps].exe = exe;
    return interps[ninterps++].exe;
}

typedef struct {
    char *v[48];
    int n;
} strv_t;

static void strv_add(strv_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void strv_add(strv_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (s->n < (int)(sizeof(s->v) / sizeof(s->v[0])) - 1 && vasprintf(&s->v[s->n], fmt, ap) >= 0)
        s->n++;
    va_end(ap);
    s->v[s->n] = NULL;
}

static void strv_free(strv_t *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
}

/* opt: the directory standing in for /opt (the function's layers). */
static void build_env(strv_t *e, const lambda_fn_t *fn, const lambda_cfg_t *cfg, const char *task_root, const char *opt, int port)
{
    const char *rt = cfg->runtime;
    char day[16];
    time_t now = (time_t)(clock_now_ms() / 1000);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, sizeof(day), "%Y/%m/%d", &tm);
    char stream[37];
    lambda_uuid(stream);
    const char *ak = getenv("AWS_ACCESS_KEY_ID"), *sk = getenv("AWS_SECRET_ACCESS_KEY");
    strv_add(e, "AWS_LAMBDA_FUNCTION_NAME=%s", fn->name);
    strv_add(e, "AWS_LAMBDA_FUNCTION_VERSION=%s", cfg->version);
    strv_add(e, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d", cfg->memory);
    strv_add(e, "AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/%s", fn->name);
    strv_add(e, "AWS_LAMBDA_LOG_STREAM_NAME=%s/[%s]%.8s%.4s%.4s%.4s%.12s", day, cfg->version, stream, stream + 9, stream + 14,
             stream + 19, stream + 24);
    strv_add(e, "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%d", port);
    strv_add(e, "AWS_LAMBDA_INITIALIZATION_TYPE=on-demand");
    strv_add(e, "_HANDLER=%s", cfg->handler ? cfg->handler : "");
    strv_add(e, "LAMBDA_TASK_ROOT=%s", task_root);
    strv_add(e, "LAMBDA_RUNTIME_DIR=%s/runtime", lambda_cfg->lambda_dir);
    strv_add(e, "AWS_REGION=%s", fn->region);
    strv_add(e, "AWS_DEFAULT_REGION=%s", fn->region);
    if (strncmp(rt, "provided", 8) != 0) /* a custom runtime's is not set */
        strv_add(e, "AWS_EXECUTION_ENV=AWS_Lambda_%s", rt);
    strv_add(e, "AWS_ACCESS_KEY_ID=%s", ak && *ak ? ak : "test");
    strv_add(e, "AWS_SECRET_ACCESS_KEY=%s", sk && *sk ? sk : "test");
    strv_add(e, "AWS_SESSION_TOKEN=awsemu");
    const char *host = lambda_cfg->host; /* a wildcard bind address is reached through loopback */
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 || !*host)
        host = "127.0.0.1";
    strv_add(e, "AWS_ENDPOINT_URL=http://%s%s%s:%d", strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
             lambda_cfg->port);
    /* X-Ray's, as Lambda sets them even without active tracing; the daemon's address is local (AWS's is link-local
     * 169.254.79.129): segments a traced function sends go to a local X-Ray daemon, if one runs, and nowhere else. */
    strv_add(e, "AWS_XRAY_CONTEXT_MISSING=LOG_ERROR");
    strv_add(e, "AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:2000");
    strv_add(e, "_AWS_XRAY_DAEMON_ADDRESS=127.0.0.1");
    strv_add(e, "_AWS_XRAY_DAEMON_PORT=2000");
    strv_add(e, "TZ=:UTC");
    strv_add(e, "LANG=en_US.UTF-8");
    /* the layer paths of packaging-layers.html: bin, lib, nodejs/node<major>/node_modules, nodejs/node_modules,
     * python/lib/python3.x/site-packages, python */
    strv_add(e, "PATH=/usr/local/bin:/usr/bin:/bin:%s/bin:%s/bin", opt, task_root);
    strv_add(e, "LD_LIBRARY_PATH=%s/runtime/lib:%s:%s/lib:%s/lib", lambda_cfg->lambda_dir, task_root, task_root, opt);
    if (strncmp(rt, "nodejs", 6) == 0) {
        const char *np = getenv("NODE_PATH"); /* stands in for the SDK that Lambda's Node.js runtime bundles */
        strv_add(e, "NODE_PATH=%s/nodejs/node%d/node_modules:%s/nodejs/node_modules:%s/node_modules:%s%s%s", opt, atoi(rt + 6), opt,
                 task_root, task_root, np ? ":" : "", np ? np : "");
    } else if (strncmp(rt, "python", 6) == 0) {
        strv_add(e, "PYTHONPATH=%s:%s/python/lib/%s/site-packages:%s/python", task_root, opt, rt, opt);
        strv_add(e, "PYTHONUNBUFFERED=1");
        strv_add(e, "PYTHONDONTWRITEBYTECODE=1");
    }
    char err[64];
    yajl_val vars = cfg->env_json ? ytree_parse_text(cfg->env_json, err, sizeof(err)) : NULL;
    for (size_t i = 0; vars && YAJL_IS_OBJECT(vars) && i < vars->u.object.len; i++)
        if (YAJL_IS_STRING(vars->u.object.values[i]))
            strv_add(e, "%s=%s", vars->u.object.keys[i], vars->u.object.values[i]->u.string);
    yajl_tree_free(vars);
}

static pid_t spawn(const char *exe, char *const *argv, char *const *envp, const char *cwd, int out_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGCHLD);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawn_file_actions_addchdir_np(&fa, cwd);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    pid_t pid = -1;
    int rc = strchr(exe, '/') ? posix_spawn(&pid, exe, &fa, &attr, argv, envp) : posix_spawnp(&pid, exe, &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

/* Fails an invocation because awsemu could not prepare its environment. */
static void fail_start(lambda_inv_t *inv, const char *msg)
{
    jw_t w;
    error_doc(&w, "Runtime.Unknown", msg);
    lambda_inv_complete(inv, LAMBDA_INV_FUNCTION_ERROR, w.buf, w.len);
    jw_free(&w);
}

/* The command of a runtime: the interpreter and awsemu's bootstrap for Node.js and Python; for a custom runtime its
 * bootstrap where Lambda looks for it, /var/task/bootstrap, else /opt/bootstrap (a layer's), *shown that path as
 * Lambda names it. Returns the program to start. */
static const char *runtime_argv(strv_t *argv, const lambda_cfg_t *cfg, const char *task_root, const char *opt, const char **shown)
{
    char rtdir[4096], in_task[4096], in_opt[4096 + 16];
    snprintf(rtdir, sizeof(rtdir), "%s/runtime", lambda_cfg->lambda_dir);
    *shown = NULL;
    if (strncmp(cfg->runtime, "nodejs", 6) == 0) {
        strv_add(argv, "%s", interpreter(cfg->runtime));
        strv_add(argv, "%s/bootstrap.mjs", rtdir);
    } else if (strncmp(cfg->runtime, "python", 6) == 0) {
        strv_add(argv, "%s", interpreter(cfg->runtime));
        strv_add(argv, "-u");
        strv_add(argv, "%s/bootstrap.py", rtdir);
    } else {
        snprintf(in_task, sizeof(in_task), "%s/bootstrap", task_root);
        snprintf(in_opt, sizeof(in_opt), "%s/bootstrap", opt);
        int from_opt = *opt && access(in_task, F_OK) != 0 && access(in_opt, F_OK) == 0;
        strv_add(argv, "%s", from_opt ? in_opt : in_task);
        *shown = from_opt ? "/opt/bootstrap" : "/var/task/bootstrap";
    }
    return argv->v[0];
}

/* Why a runtime could not be started (err: the errno of its exec, which posix_spawn reports), for a custom runtime in
 * the words of Lambda's init: Go's fork/exec errors, which are the C library's texts starting in lower case. */
static void start_error(char *why, size_t size, const char *exe, const char *shown, int err)
{
    if (!shown)
        snprintf(why, size, "The runtime's interpreter could not be started.");
    else if (err == ENOENT && access(exe, F_OK) != 0)
        snprintf(why, size, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
    else {
        int n = snprintf(why, size, "fork/exec %s: ", shown);
        snprintf(why + n, size - (size_t)n, "%s", strerror(err));
        why[n] = (char)tolower((unsigned char)why[n]);
    }
}

/* Starts one environment for pool; on failure fails the head of its queue. */
static void env_spawn(lambda_pool_t *pool)
{
    lambda_fn_t *fn = pool->fn;
    lambda_cfg_t *cfg = pool_cfg(pool);
    char *dir = cfg ? lambda_code_dir(cfg->code_hex) : NULL, opt[4096], opt_key[65];
    int layers = dir ? lambda_layers_dir(cfg, opt, sizeof(opt), opt_key) : -1;
    if (!dir || layers != 0 || lambda_runtimes_write() != 0) {
        const char *why = !dir          ? "The function code could not be unpacked."
                          : layers != 0 ? "The function's layers could not be unpacked."
                                        : "awsemu could not write the runtime bootstrap.";
        free(dir);
        lambda_inv_t *inv = pool_pop(pool);
        if (inv)
            fail_start(inv, why);
        return;
    }
    lambda_env_t *env = calloc(1, sizeof(*env));
    env->fn_name = strdup(fn->name);
    memcpy(env->code_hex, cfg->code_hex, sizeof(env->code_hex));
    memcpy(env->opt_key, opt_key, sizeof(env->opt_key));
    env->memory = cfg->memory;
    env->init_ms = -1;
    env->api = runtime_api_open("127.0.0.1", &rt_ops, env);
    int p[2] = {-1, -1};
    if (!env->api || pipe2(p, O_CLOEXEC) != 0) {
        if (env->api)
            runtime_api_close(env->api);
        free(env->fn_name), free(env), free(dir);
        lambda_inv_t *inv = pool_pop(pool);
        if (inv)
            fail_start(inv, "awsemu could not set up the Runtime API for the environment.");
        return;
    }
    strv_t argv = {0}, envp = {0};
    const char *shown, *exe = runtime_argv(&argv, cfg, dir, opt, &shown);
    char why[256];
    build_env(&envp, fn, cfg, dir, *opt ? opt : "/opt", runtime_api_port(env->api));
    clock_gettime(CLOCK_MONOTONIC, &env->spawned);
    env->pid = spawn(exe, argv.v, envp.v, dir, p[1]);
    if (env->pid < 0)
        start_error(why, sizeof(why), exe, shown, errno);
    close(p[1]);
    strv_free(&argv);
    strv_free(&envp);
    free(dir);
    env->out_fd = p[0];
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    env->out = h2o_evloop_socket_create(http_loop(), p[0], H2O_SOCKET_FLAG_DONT_READ);
    env->out->data = env;
    h2o_socket_read_start(env->out, on_output);
    env->all_next = all_envs;
    all_envs = env;
    env->pool = pool;
    env->pool_next = pool->envs;
    pool->envs = env;
    fn->running++;
    if (env->pid < 0) {
        env->reaped = 1;
        LOG_WARN("lambda: cannot start the runtime of %s: %s", fn->name, why);
        lambda_inv_t *inv = pool_pop(pool);
        if (inv)
            env_fail(env, inv, "Runtime.InvalidEntrypoint", why);
        env_kill(env);
        return;
    }
    LOG_DEBUG("lambda: started environment of %s:%s (pid %d, runtime api port %d)", fn->name, cfg->version, (int)env->pid,
              runtime_api_port(env->api));
    timer_init(&env->timer, env_timeout, env);
    env_timer(env, env_timeout, clock_now_ms() + ENV_INIT_MS + (int64_t)cfg->timeout * 1000);
    if (!timer_active(&sweep))
        timer_start(&sweep, clock_now_ms() + 1000);
}

/* ---- pools ---- */

/* Whether `waiting` queued invocations are better served by one more environment than by the `busy`
 * running ones: without measurements, always (Lambda's one environment per concurrent request). */
static int pool_wants_env(const lambda_pool_t *pool, int waiting, int busy)
{
    if (waiting <= 0)
        return 0;
    if (busy == 0 || pool->run_ms <= 0 || pool->init_ms <= 0)
        return 1;
    return (double)((waiting + busy - 1) / busy) * pool->run_ms > pool->init_ms;
}

static void pool_count(const lambda_pool_t *pool, int *starting, int *busy)
{
    *starting = *busy = 0;
    for (const lambda_env_t *env = pool->envs; env; env = env->pool_next)
        if (!env->retired)
            env->init_ms < 0 ? (*starting)++ : (*busy)++;
}

/* The oldest queued invocation has waited as long as a start-up and no starting environment will
 * take it: the means were wrong, start one and give it a start-up's time. */
static void pool_grow_due(loop_timer_t *t)
{
    lambda_pool_t *pool = t->data;
    int starting, busy;
    pool_count(pool, &starting, &busy);
    if (pool->head && pool->queued > starting && mono_ms() - pool->head->queued_ms >= pool->init_ms &&
        pool->fn->running < fn_limit(pool->fn)) {
        env_spawn(pool);
        timer_start(&pool->grow, clock_now_ms() + (int64_t)pool->init_ms + 1);
    }
    pool_grow(pool);
}

/* Starts the environments the queue needs (see the top of the file). */
static void pool_grow(lambda_pool_t *pool)
{
    int starting, busy;
    pool_count(pool, &starting, &busy);
    while (pool_wants_env(pool, pool->queued - starting, busy) && pool->fn->running < fn_limit(pool->fn)) {
        int before = pool->queued;
        env_spawn(pool);
        if (pool->queued == before)
            starting++;
    }
    if (pool->queued <= starting || pool->fn->running >= fn_limit(pool->fn))
        timer_stop(&pool->grow);
    else if (!timer_active(&pool->grow)) {
        double left = pool->init_ms - (mono_ms() - pool->head->queued_ms);
        timer_start(&pool->grow, clock_now_ms() + (left > 1 ? (int64_t)left : 1));
    }
}

/* Hands queued invocations to idle environments, then starts environments for the rest. */
static void pool_dispatch(lambda_pool_t *pool)
{
    for (lambda_env_t *env = pool->envs; env && pool->head; env = env->pool_next)
        if (env->next && !env->inv && !env->retired)
            env_deliver(env, pool_pop(pool));
    pool_grow(pool);
}

static lambda_pool_t *pool_get(lambda_fn_t *fn, const char *version)
{
    for (lambda_pool_t *p = fn->pools; p; p = p->next)
        if (strcmp(p->version, version) == 0)
            return p;
    lambda_pool_t *p = calloc(1, sizeof(*p));
    p->fn = fn;
    p->version = strdup(version);
    timer_init(&p->grow, pool_grow_due, p);
    p->next = fn->pools;
    fn->pools = p;
    return p;
}

void lambda_env_submit(lambda_fn_t *fn, lambda_inv_t *inv)
{
    lambda_pool_t *pool = pool_get(fn, inv->version);
    inv->next = NULL;
    if (pool->tail)
        pool->tail->next = inv;
    else
        pool->head = inv;
    pool->tail = inv;
    pool->queued++;
    inv->queued_ms = mono_ms();
    pool_dispatch(pool);
}

/* Invocations of fn (all its versions) running or waiting for an environment. */
static int env_busy(const lambda_fn_t *fn)
{
    int n = 0;
    for (const lambda_pool_t *pool = fn->pools; pool; pool = pool->next) {
        n += pool->queued;
        for (const lambda_env_t *env = pool->envs; env; env = env->pool_next)
            n += env->inv != NULL;
    }
    return n;
}

int lambda_env_full(const lambda_fn_t *fn)
{
    return fn->reserved >= 0 && env_busy(fn) >= fn->reserved;
}

static void pool_free(lambda_pool_t *pool, const char *why)
{
    while (pool->envs) {
        lambda_env_t *env = pool->envs;
        if (env->inv)
            env_fail(env, env->inv, "Runtime.ExitError", why);
        env->retired = 1;
        env_unlink_pool(env);
        env_kill(env);
    }
    lambda_inv_t *inv;
    while ((inv = pool_pop(pool)))
        lambda_inv_complete(inv, LAMBDA_INV_NOT_RUN, why, strlen(why));
    timer_stop(&pool->grow);
    free(pool->version);
    free(pool);
}

void lambda_env_retire(lambda_fn_t *fn, const char *version)
{
    if (!version) { /* the function is going away */
        while (fn->pools) {
            lambda_pool_t *pool = fn->pools;
            fn->pools = pool->next;
            char why[256];
            snprintf(why, sizeof(why), "Function not found: arn:aws:lambda:%s:%s:function:%s", fn->region, fn->account, fn->name);
            pool_free(pool, why);
        }
        return;
    }
    for (lambda_pool_t *pool = fn->pools; pool; pool = pool->next) {
        if (strcmp(pool->version, version) != 0)
            continue;
        for (lambda_env_t *env = pool->envs, *next; env; env = next) {
            next = env->pool_next;
            env->retired = 1;
            if (!env->inv)
                env_kill(env);
        }
        pool_dispatch(pool);
    }
}

int lambda_env_uses_code(const char *code_hex)
{
    for (lambda_env_t *env = all_envs; env; env = env->all_next)
        if (!env->reaped && (strcmp(env->code_hex, code_hex) == 0 || strcmp(env->opt_key, code_hex) == 0))
            return 1;
    return 0;
}

void lambda_env_init(void)
{
    timer_init(&sweep, sweep_run, NULL);
}

void lambda_env_shutdown(void)
{
    for (lambda_fn_t *fn = lambda_fns; fn; fn = fn->next)
        while (fn->pools) {
            lambda_pool_t *pool = fn->pools;
            fn->pools = pool->next;
            pool_free(pool, "awsemu is shutting down");
        }
    /* reap what we killed; bounded wait */
    for (int i = 0; i < 100 && all_envs; i++) {
        for (lambda_env_t *env = all_envs, *next; env; env = next) {
            next = env->all_next;
            if (!env->reaped && env->pid > 0 && waitpid(env->pid, NULL, WNOHANG) == env->pid)
                env->reaped = 1;
            if (env->reaped)
                env_free(env);
        }
        if (all_envs)
            usleep(10000);
    }
    timer_stop(&sweep);
    for (int i = 0; i < ninterps; i++)
        free(interps[i].exe);
    ninterps = 0;
}
