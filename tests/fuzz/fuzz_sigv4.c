/* fuzz_sigv4.c - SigV4 authorization parsing (header and presigned query) and,
 * when it parses, verification against a request built from the input (path
 * normalisation, query canonicalisation, header folding). Input, one field
 * per line: the Authorization header value (or, when it is empty, nothing),
 * the raw path, the raw query string, then header lines "name:value" to the end. */
#include "fuzz.h"
#include "protocol/sigv4.h"

#define MAX_HEADERS 16

static size_t headers(char *text, sigv4_header_t *h)
{
    size_t n = 0;
    for (char *line = text; line != NULL && *line && n < MAX_HEADERS;) {
        char *next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        char *colon = strchr(line, ':');
        if (colon != NULL) {
            h[n].name = (sigv4_slice_t){line, (size_t)(colon - line)};
            h[n].value = (sigv4_slice_t){colon + 1, strlen(colon + 1)};
            n++;
        }
        line = next;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    const char *f[4];
    fuzz_fields(&pool, data, size, f, 4);
    static sigv4_auth_t auth;
    int rc = *f[0] ? sigv4_parse_header(f[0], strlen(f[0]), 1, &auth) : SIGV4_NONE;
    if (rc == SIGV4_NONE)
        rc = sigv4_parse_query(f[2], strlen(f[2]), &auth);
    if (rc == SIGV4_OK) {
        sigv4_header_t h[MAX_HEADERS];
        size_t nh = headers((char *)f[3], h);
        sigv4_request_t r = {
            .method = {"POST", 4},
            .path = {f[1], strlen(f[1])},
            .query = {f[2], strlen(f[2])},
            .headers = h,
            .nheaders = nh,
            .payload = {"{}", 2},
            .secret_key = {"secret", 6},
            .now = 1700000000,
            .max_skew = 900,
        };
        sigv4_result_t res;
        memset(&res, 0, sizeof(res));
        sigv4_verify(&auth, &r, &res);
        sigv4_result_free(&res);
        char account[13];
        sigv4_account_from_access_key(auth.access_key.ptr, auth.access_key.len, account);
    }
    h2o_mem_clear_pool(&pool);
    return 0;
}
