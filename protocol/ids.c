/* ids.c - random identifiers (see ids.h). Random bytes come from OpenSSL's
 * CSPRNG in blocks, so ids are cheap on the request path. */
#include "ids.h"

#include <openssl/rand.h>
#include <string.h>

static unsigned char pool[4096];
static size_t pool_left;

void ids_random(void *buf, size_t len)
{
    unsigned char *out = buf;
    while (len > 0) {
        if (pool_left == 0) {
            if (RAND_bytes(pool, sizeof(pool)) != 1)
                memset(pool, 0x5a, sizeof(pool)); /* never expected; ids stay well-formed */
            pool_left = sizeof(pool);
        }
        size_t n = len < pool_left ? len : pool_left;
        memcpy(out, pool + sizeof(pool) - pool_left, n);
        pool_left -= n;
        out += n;
        len -= n;
    }
}

void ids_uuid(char out[37])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    ids_random(b, sizeof(b));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 15];
    }
    *o = '\0';
}

void ids_ddb_request_id(char out[53])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char b[52];
    ids_random(b, sizeof(b));
    for (int i = 0; i < 52; i++)
        out[i] = alphabet[(b[i] * 36) >> 8]; /* a byte scaled to 0..35 without a division */
    out[52] = '\0';
}
