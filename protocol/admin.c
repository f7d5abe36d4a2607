/* admin.c - awsemu's own endpoints on the main port:
 *   GET  /_awsemu/health      version, uptime, each service and its state
 *   GET  /_localstack/health  the same in LocalStack's shape, for tools written for it
 *   GET  /_awsemu/clock       the service clock: {"now_ms":..., "offset_ms":...}
 *   POST /_awsemu/clock       {"offset_ms":N} sets the offset, {"advance_ms":N} moves it on */
#include <string.h>
#include <time.h>

#include "../services/clock.h"
#include "../services/config.h"
#include "../services/service.h"
#include "call_http.h"
#include "http.h"
#include "router.h"

static time_t started;

static void reply_json(h2o_req_t *req, int status, jw_t *w)
{
    h2o_iovec_t body = h2o_strdup(&req->pool, w->buf, w->len);
    jw_free(w);
    http_send(req, status, "application/json", body.base, body.len);
}

static void health(h2o_req_t *req, int localstack)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "services");
    jw_obj(&w);
    for (const service_t *const *s = services_enabled(); *s; s++)
        jw_kstr(&w, (*s)->name, "running");
    jw_end(&w);
    if (localstack) {
        jw_kstr(&w, "edition", "community");
        jw_kstr(&w, "version", awsemu_version);
    } else {
        jw_kstr(&w, "version", awsemu_version);
        jw_kint(&w, "uptime_seconds", (int64_t)(time(NULL) - started));
    }
    jw_end(&w);
    reply_json(req, 200, &w);
}

static void clock_reply(h2o_req_t *req, int status)
{
    jw_t w;
    jw_init(&w);
    jw_obj(&w);
    jw_kint(&w, "now_ms", clock_now_ms());
    jw_kint(&w, "offset_ms", clock_offset_ms());
    jw_end(&w);
    reply_json(req, status, &w);
}

static void clock_set(h2o_req_t *req)
{
    yajl_val in;
    const char *msg;
    if (awsjson_parse(&req->pool, req->entity.base, req->entity.len, AWSJSON_TEXT_REFUSE_NUL, &in, &msg) != 0) {
        static const char bad[] = "{\"message\":\"expected a JSON object\"}";
        http_send(req, 400, "application/json", bad, sizeof(bad) - 1);
        return;
    }
    long long v, offset = clock_offset_ms();
    if (in_int(in, "offset_ms", &v))
        offset = v;
    if (in_int(in, "advance_ms", &v))
        offset = v > CLOCK_MAX_OFFSET_MS || v < -CLOCK_MAX_OFFSET_MS ? v : offset + v; /* both bounded: no overflow */
    if (offset > CLOCK_MAX_OFFSET_MS || offset < -CLOCK_MAX_OFFSET_MS) {
        static const char far[] = "{\"message\":\"the clock's offset must stay within 1000 years of the real time\"}";
        http_send(req, 400, "application/json", far, sizeof(far) - 1);
        return;
    }
    clock_set_offset_ms(offset);
    clock_reply(req, 200);
}

static int path_is(h2o_req_t *req, const char *path)
{
    return h2o_memis(req->path_normalized.base, req->path_normalized.len, path, strlen(path));
}

void admin_init(void)
{
    started = time(NULL);
}

int admin_handle(h2o_req_t *req)
{
    if (req->path_normalized.len < 3 || req->path_normalized.base[1] != '_')
        return 0;
    int post = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("POST"));
    if (path_is(req, "/_awsemu/health") || path_is(req, "/_localstack/health")) {
        health(req, path_is(req, "/_localstack/health"));
        return 1;
    }
    if (path_is(req, "/_awsemu/clock")) {
        if (post)
            clock_set(req);
        else
            clock_reply(req, 200);
        return 1;
    }
    return 0;
}
