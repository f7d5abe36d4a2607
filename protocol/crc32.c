/* crc32.c - CRC-32 (IEEE 802.3, as zlib) for DynamoDB's x-amz-crc32 header,
 * which every DynamoDB answer carries: eight bytes per step (slicing-by-8),
 * since Query and Scan answers run to megabytes. */
#include <stddef.h>
#include <stdint.h>

static uint32_t table[8][256];

static void init_tables(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[0][i] = c;
    }
    for (int k = 1; k < 8; k++)
        for (int i = 0; i < 256; i++)
            table[k][i] = (table[k - 1][i] >> 8) ^ table[0][table[k - 1][i] & 0xFF];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t crc32_of(const void *data, size_t len)
{
    if (table[0][1] == 0)
        init_tables();
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (; len >= 8; p += 8, len -= 8) {
        uint32_t a = c ^ le32(p), b = le32(p + 4);
        c = table[7][a & 0xFF] ^ table[6][(a >> 8) & 0xFF] ^ table[5][(a >> 16) & 0xFF] ^ table[4][a >> 24] ^ table[3][b & 0xFF] ^
            table[2][(b >> 8) & 0xFF] ^ table[1][(b >> 16) & 0xFF] ^ table[0][b >> 24];
    }
    for (; len > 0; p++, len--)
        c = table[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}
