/* swar.h - byte tests on 8 bytes at once (SIMD within a register), for the
 * scanners on every request's path: the JSON writer's escaping, the SigV4
 * header parse. Each test is exact: nonzero iff some byte of x qualifies. */
#ifndef AWSEMU_SWAR_H
#define AWSEMU_SWAR_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "swar.h: swar_load and swar_first assume a little-endian machine"
#endif

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGHS 0x8080808080808080ull

/* Some byte of x is below n (n <= 128). */
static inline uint64_t swar_has_less(uint64_t x, unsigned char n)
{
    return (x - SWAR_ONES * n) & ~x & SWAR_HIGHS;
}

/* Some byte of x equals b. */
static inline uint64_t swar_has_byte(uint64_t x, unsigned char b)
{
    uint64_t y = x ^ (SWAR_ONES * b);
    return (y - SWAR_ONES) & ~y & SWAR_HIGHS;
}

/* The offset of the first byte flagged in m, a nonzero result of the tests above (of one or
 * several OR-ed together): the lowest flag each test sets is exact, and the load below puts the
 * first byte lowest. */
static inline unsigned swar_first(uint64_t m)
{
    return (unsigned)__builtin_ctzll(m) >> 3;
}

/* The 8 bytes at p as one word, the first byte lowest. */
static inline uint64_t swar_load(const void *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof(x));
    return x;
}

#endif
