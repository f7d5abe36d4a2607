/* auth.h - who is calling: the SigV4 credential scope of a request and, with
 * --auth sigv4, verification of its signature against the configured keys. */
#ifndef AWSEMU_AUTH_H
#define AWSEMU_AUTH_H

#include <h2o.h>

#include "call.h"
#include "http.h"
#include "sigv4.h"

/* With --auth sigv4, verifies c's request; on failure answers it with the
 * protocol's own error and returns -1. Without --auth, returns 0. */
int auth_check(call_t *c, h2o_req_t *req, const http_options_t *opt);

/* With --auth sigv4 set in opt, the plain check for requests a service answers itself
 * (host_route.c): 1 signed with a configured key, 0 unsigned, -1 a wrong signature. */
int auth_signed(h2o_req_t *req, const http_options_t *opt);

/* Parses the request's SigV4 authorization (header, else presigned query):
 * SIGV4_OK, SIGV4_NONE or SIGV4_MALFORMED. */
int auth_parse(h2o_req_t *req, sigv4_auth_t *auth);

/* The access key and region of the request's credential scope: 1, with slices
 * that stay valid until the next request's identity is asked for (copy them);
 * 0 when the request is unsigned or its authorization is malformed. */
int auth_identity(h2o_req_t *req, sigv4_slice_t *access_key, sigv4_slice_t *region);

/* The service named by the request's credential scope ("" when unsigned). */
const char *auth_scope_service(h2o_req_t *req);

#endif
