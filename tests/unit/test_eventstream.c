/* test_eventstream.c - protocol/eventstream.c: an empty message is the event-stream test suite's
 * "empty_message" vector, and a PayloadChunk event is the byte string botocore's EventStreamBuffer
 * decodes to {':event-type': 'PayloadChunk', ':content-type': 'application/octet-stream',
 * ':message-type': 'event'} and b'hello'. */
#include <string.h>

#include "check.h"
#include "protocol/eventstream.h"

static int same(h2o_iovec_t got, const char *want, size_t len)
{
    return got.len == len && memcmp(got.base, want, len) == 0;
}

int main(void)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    static const char empty[] = "\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff";
    CHECK(same(eventstream_message(&pool, NULL, 0, NULL, 0), empty, sizeof(empty) - 1), "empty message");
    static const char chunk[] =
        "\x00\x00\x00\x6f\x00\x00\x00\x5a\xf5\xfe\x87\x1f\x0b\x3a\x65\x76\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00\x0c\x50\x61"
        "\x79\x6c\x6f\x61\x64\x43\x68\x75\x6e\x6b\x0d\x3a\x63\x6f\x6e\x74\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00\x18\x61\x70"
        "\x70\x6c\x69\x63\x61\x74\x69\x6f\x6e\x2f\x6f\x63\x74\x65\x74\x2d\x73\x74\x72\x65\x61\x6d\x0d\x3a\x6d\x65\x73\x73\x61"
        "\x67\x65\x2d\x74\x79\x70\x65\x07\x00\x05\x65\x76\x65\x6e\x74\x68\x65\x6c\x6c\x6f\x29\xe7\x12\x60";
    CHECK(same(eventstream_event(&pool, "PayloadChunk", "application/octet-stream", "hello", 5), chunk, sizeof(chunk) - 1),
          "PayloadChunk event");
    h2o_iovec_t none = eventstream_event(&pool, "InvokeComplete", NULL, "{}", 2);
    CHECK(none.len == 12 + (1 + 11 + 3 + 14) + (1 + 13 + 3 + 5) + 2 + 4, "no :content-type header: %zu bytes", none.len);
    h2o_mem_clear_pool(&pool);
    return check_summary();
}
