/* eventstream.h - the AWS event-stream binary framing (application/vnd.amazon.eventstream), as a
 * streaming answer such as Lambda's InvokeWithResponseStream sends it: each message is a prelude
 * (total length, headers length, the prelude's CRC32; big-endian), its headers, its payload and
 * the message's CRC32. Encoding only, and string headers only (type 7). */
#ifndef AWSEMU_EVENTSTREAM_H
#define AWSEMU_EVENTSTREAM_H

#include <h2o/memory.h>
#include <stddef.h>

typedef struct {
    const char *name, *value; /* NUL-terminated; a name is at most 255 bytes, a value 65535 */
} eventstream_header_t;

/* One message, in pool: the headers in the order given, then the payload. */
h2o_iovec_t eventstream_message(h2o_mem_pool_t *pool, const eventstream_header_t *headers, size_t nheaders, const void *payload,
                                size_t len);

/* An event message: :event-type, :content-type (left out when NULL) and :message-type "event". */
h2o_iovec_t eventstream_event(h2o_mem_pool_t *pool, const char *event_type, const char *content_type, const void *payload,
                              size_t len);

#endif
