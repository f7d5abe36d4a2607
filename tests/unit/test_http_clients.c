/* test_http_clients.c - unit tests for http_few_clients() (protocol/http.c): the loop polls for the next
 * request only while the latest requests all came over one or two connections. */
#include "check.h"
#include "protocol/http.h"

static void count(const void *conn, int times)
{
    for (int i = 0; i < times; i++)
        http_count_request(conn);
}

int main(void)
{
    int a, b, c, conns[16];
    CHECK(!http_few_clients(), "no request yet");
    count(&a, 4);
    CHECK(!http_few_clients(), "a new connection's first requests");
    count(&a, 1);
    CHECK(http_few_clients(), "one connection, request after request");
    for (int i = 0; i < 4; i++) {
        count(&a, 1);
        count(&b, 1);
    }
    CHECK(http_few_clients(), "an invoke and its runtime's connection, in turn");
    count(&c, 1);
    CHECK(!http_few_clients(), "a third connection");
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 16; i++)
            count(&conns[i], 1);
    CHECK(!http_few_clients(), "sixteen connections in turn");
    uint64_t before = http_requests_seen();
    count(&conns[3], 5);
    CHECK(http_few_clients(), "then one of them alone");
    CHECK(http_requests_seen() == before + 5, "every request counted");
    return check_summary();
}
