/* fnv.h - 64-bit FNV-1a, the hash of short names and byte strings on request
 * paths (DynamoDB's table-cache slots and update-path names, the check word of
 * SQS receipt handles). Chain calls to hash several parts as one. */
#ifndef AWSEMU_FNV_H
#define AWSEMU_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_INIT 0xcbf29ce484222325ULL

static inline uint64_t fnv1a64(uint64_t h, const void *p, size_t len)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < len; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* The same over a NUL-terminated string. */
static inline uint64_t fnv1a64_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

#endif
