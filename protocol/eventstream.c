/* eventstream.c - the event-stream message encoder (see eventstream.h). */
#include "eventstream.h"

#include <stdint.h>
#include <string.h>
#include <zlib.h>

#define STRING_TYPE 7

static char *put32(char *p, uint32_t v)
{
    p[0] = (char)(v >> 24), p[1] = (char)(v >> 16), p[2] = (char)(v >> 8), p[3] = (char)v;
    return p + 4;
}

h2o_iovec_t eventstream_message(h2o_mem_pool_t *pool, const eventstream_header_t *headers, size_t nheaders, const void *payload,
                                size_t len)
{
    size_t hlen = 0;
    for (size_t i = 0; i < nheaders; i++)
        hlen += 1 + strlen(headers[i].name) + 1 + 2 + strlen(headers[i].value);
    size_t total = 12 + hlen + len + 4;
    char *buf = h2o_mem_alloc_pool(pool, total), *p = buf;
    p = put32(p, (uint32_t)total);
    p = put32(p, (uint32_t)hlen);
    p = put32(p, (uint32_t)crc32_z(0, (const unsigned char *)buf, 8));
    for (size_t i = 0; i < nheaders; i++) {
        size_t n = strlen(headers[i].name), v = strlen(headers[i].value);
        *p++ = (char)n;
        memcpy(p, headers[i].name, n), p += n;
        *p++ = STRING_TYPE;
        *p++ = (char)(v >> 8), *p++ = (char)v;
        memcpy(p, headers[i].value, v), p += v;
    }
    if (len)
        memcpy(p, payload, len), p += len;
    put32(p, (uint32_t)crc32_z(0, (const unsigned char *)buf, total - 4));
    return h2o_iovec_init(buf, total);
}

h2o_iovec_t eventstream_event(h2o_mem_pool_t *pool, const char *event_type, const char *content_type, const void *payload,
                              size_t len)
{
    eventstream_header_t h[3];
    size_t n = 0;
    h[n++] = (eventstream_header_t){":event-type", event_type};
    if (content_type)
        h[n++] = (eventstream_header_t){":content-type", content_type};
    h[n++] = (eventstream_header_t){":message-type", "event"};
    return eventstream_message(pool, h, n, payload, len);
}
