/* base64.c - standard base64 encoding and strict decoding (see base64.h). */
#include "base64.h"

static const char enc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encode(const void *data, size_t len, char *out)
{
    const unsigned char *p = data;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = enc[v >> 18];
        out[o++] = enc[(v >> 12) & 63];
        out[o++] = enc[(v >> 6) & 63];
        out[o++] = enc[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
        out[o++] = enc[v >> 18];
        out[o++] = enc[(v >> 12) & 63];
        out[o++] = i + 1 < len ? enc[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}

/* Each byte's 6-bit value, or -1: a table, as code uploads decode up to 70 MB (a branch per byte took 185 ms for
 * 18 MB, every request waiting). */
#define D(c)                                                                                                                       \
    ((c) >= 'A' && (c) <= 'Z'   ? (c) - 'A'                                                                                        \
     : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26                                                                                   \
     : (c) >= '0' && (c) <= '9' ? (c) - '0' + 52                                                                                   \
     : (c) == '+'               ? 62                                                                                               \
     : (c) == '/'               ? 63                                                                                               \
                                : -1)
#define D4(i) D(i), D((i) + 1), D((i) + 2), D((i) + 3)
#define D16(i) D4(i), D4((i) + 4), D4((i) + 8), D4((i) + 12)
#define D64(i) D16(i), D16((i) + 16), D16((i) + 32), D16((i) + 48)
static const signed char dtab[256] = {D64(0), D64(64), D64(128), D64(192)};

static int dec(char c)
{
    return dtab[(unsigned char)c];
}

long base64_decode(const char *in, size_t len, unsigned char *out)
{
    if (len % 4 != 0)
        return -1;
    long o = 0;
    size_t i = 0;
    for (; i + 4 < len; i += 4) { /* every quad but the last, which may be padded */
        int a = dec(in[i]), b = dec(in[i + 1]), c = dec(in[i + 2]), d = dec(in[i + 3]);
        if ((a | b | c | d) < 0)
            return -1;
        unsigned v = (unsigned)a << 18 | (unsigned)b << 12 | (unsigned)c << 6 | (unsigned)d;
        out[o++] = (unsigned char)(v >> 16);
        out[o++] = (unsigned char)(v >> 8);
        out[o++] = (unsigned char)v;
    }
    if (i == len)
        return o;
    int a = dec(in[i]), b = dec(in[i + 1]);
    int pad2 = in[i + 2] == '=' && in[i + 3] == '=';
    int pad1 = !pad2 && in[i + 3] == '=';
    int c = pad2 ? 0 : dec(in[i + 2]);
    int d = (pad1 || pad2) ? 0 : dec(in[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0)
        return -1;
    unsigned v = (unsigned)a << 18 | (unsigned)b << 12 | (unsigned)c << 6 | (unsigned)d;
    out[o++] = (unsigned char)(v >> 16);
    if (!pad2)
        out[o++] = (unsigned char)(v >> 8);
    if (!pad1 && !pad2)
        out[o++] = (unsigned char)v;
    return o;
}
