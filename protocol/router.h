/* router.h - the main port's dispatcher: which service and wire protocol a request speaks. */
#ifndef AWSEMU_ROUTER_H
#define AWSEMU_ROUTER_H

#include <h2o.h>

#include "http.h"

/* Answers (or parks) req. Always returns 0. */
int router_handle(h2o_req_t *req, const http_options_t *opt);

/* For a request whose body h2o refused before any handler ran (over its own
 * limit): the refusal of the service it was meant for, rendered into req->res
 * (status, headers); returns the body. */
h2o_iovec_t router_refuse_oversized(h2o_req_t *req, const http_options_t *opt);

/* The largest body any operation takes: --max-body, or more for Lambda's code uploads (AWS's own limit). */
size_t router_largest_body(const http_options_t *opt);

/* Adds the CORS headers AWS puts on every reply to a request with an Origin: any origin allowed, and
 * the headers a browser may read. For all of the main port's replies (http.c calls it as they start). */
void router_cors_headers(h2o_req_t *req);

/* Admin endpoints under /_awsemu/ and /_localstack/ (admin.c); 1 if handled. */
int admin_handle(h2o_req_t *req);
void admin_init(void);

#endif
