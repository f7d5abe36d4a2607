/* jsonw.c - the streaming JSON writer (see jsonw.h). */
#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "swar.h"

void jw_init(jw_t *w)
{
    memset(w, 0, sizeof(*w));
}

void jw_free(jw_t *w)
{
    free(w->buf);
    jw_init(w);
}

int jw_free_matches(jw_t *w, const char *text)
{
    int same = w->len == strlen(text) && memcmp(w->buf, text, w->len) == 0;
    jw_free(w);
    return same;
}

void jw_reset(jw_t *w)
{
    char *buf = w->buf;
    size_t cap = w->cap;
    jw_init(w);
    w->buf = buf;
    w->cap = cap;
}

char *jw_take(jw_t *w, size_t *len)
{
    char *buf = w->buf;
    if (len)
        *len = w->len;
    if (buf == NULL)
        buf = calloc(1, 1);
    jw_init(w);
    return buf;
}

void jw_reserve(jw_t *w, size_t extra)
{
    if (w->len + extra + 1 <= w->cap)
        return;
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + extra + 1)
        cap *= 2;
    char *nb = realloc(w->buf, cap);
    if (nb == NULL)
        abort(); /* out of memory: nothing sensible to answer */
    w->buf = nb;
    w->cap = cap;
}

void jw_append(jw_t *w, const char *s, size_t len)
{
    jw_reserve(w, len);
    memcpy(w->buf + w->len, s, len);
    w->len += len;
    w->buf[w->len] = '\0';
}

static void putc1(jw_t *w, char c)
{
    jw_reserve(w, 1);
    w->buf[w->len++] = c;
    w->buf[w->len] = '\0';
}

/* Comma handling before any value or key. */
static void before_value(jw_t *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth])
            putc1(w, ',');
        w->first[w->depth] = 0;
    }
}

static void open(jw_t *w, char c)
{
    before_value(w);
    putc1(w, c);
    if (w->depth < JW_MAX_DEPTH - 1)
        w->depth++;
    w->first[w->depth] = 1;
}

static void close_(jw_t *w, char c)
{
    putc1(w, c);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj(jw_t *w)
{
    open(w, '{');
}
void jw_end(jw_t *w)
{
    close_(w, '}');
}
void jw_arr(jw_t *w)
{
    open(w, '[');
}
void jw_aend(jw_t *w)
{
    close_(w, ']');
}

/* 1 when one of the 8 bytes in x needs escaping: below 0x20, '"' or '\\'. */
/* Also 0xED, the lead byte of an encoded surrogate, and 0xC0, a NUL's (see put_escaped). */
static int word_needs_escape(uint64_t x)
{
    return (swar_has_less(x, 0x20) | swar_has_byte(x, '"') | swar_has_byte(x, '\\') | swar_has_byte(x, 0xED) |
            swar_has_byte(x, 0xC0)) != 0;
}

/* The escape of c (below 0x20, '"' or '\\') into esc; returns its length. */
static size_t escape_byte(unsigned char c, char esc[6])
{
    static const char hex[] = "0123456789abcdef";
    esc[0] = '\\';
    switch (c) {
    case '"':
        esc[1] = '"';
        return 2;
    case '\\':
        esc[1] = '\\';
        return 2;
    case '\n':
        esc[1] = 'n';
        return 2;
    case '\r':
        esc[1] = 'r';
        return 2;
    case '\t':
        esc[1] = 't';
        return 2;
    case '\b':
        esc[1] = 'b';
        return 2;
    case '\f':
        esc[1] = 'f';
        return 2;
    }
    memcpy(esc + 1, "u00", 3);
    esc[4] = hex[c >> 4];
    esc[5] = hex[c & 15];
    return 6;
}

static void put_escaped(jw_t *w, const char *s, size_t len)
{
    jw_reserve(w, len + 2); /* room for the unescaped text and the quotes; escapes reserve more */
    w->buf[w->len++] = '"';
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len && !word_needs_escape(swar_load(s + i))) {
            memcpy(w->buf + w->len, s + i, 8);
            w->len += 8;
            i += 8;
            continue;
        }
        /* A word with something to escape, or the tail: byte by byte. */
        for (size_t end = i + 8 < len ? i + 8 : len; i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if (jw_encoded_surrogate((const unsigned char *)s + i, len - i)) { /* '?', as Java's UTF-8 encoder writes it */
                w->buf[w->len++] = '?';
                i += 2;
                continue;
            }
            if (c == 0xC0 && i + 1 < len && (unsigned char)s[i + 1] == 0x80) /* a NUL kept by ytree_parse: escaped */
                c = 0, i++;
            else if (c >= 0x20 && c != '"' && c != '\\') {
                w->buf[w->len++] = (char)c;
                continue;
            }
            char esc[6];
            size_t n = escape_byte(c, esc);
            jw_reserve(w, n + (len - i) + 1);
            memcpy(w->buf + w->len, esc, n);
            w->len += n;
        }
    }
    jw_reserve(w, 1);
    w->buf[w->len++] = '"';
    w->buf[w->len] = '\0';
}

void jw_keyn(jw_t *w, const char *key, size_t len)
{
    before_value(w);
    put_escaped(w, key, len);
    putc1(w, ':');
    w->after_key = 1;
}

void jw_key(jw_t *w, const char *key)
{
    jw_keyn(w, key, strlen(key));
}

void jw_strn(jw_t *w, const char *s, size_t len)
{
    before_value(w);
    put_escaped(w, s, len);
}

void jw_str(jw_t *w, const char *s)
{
    jw_strn(w, s, strlen(s));
}

void jw_int(jw_t *w, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
    before_value(w);
    jw_append(w, tmp, (size_t)n);
}

void jw_double(jw_t *w, double v)
{
    char tmp[40];
    if (!isfinite(v))
        v = 0;
    if (v == floor(v) && fabs(v) < 1e15) {
        jw_int(w, (int64_t)v);
        return;
    }
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    before_value(w);
    jw_append(w, tmp, (size_t)n);
}

void jw_bool(jw_t *w, int v)
{
    before_value(w);
    if (v)
        jw_append(w, "true", 4);
    else
        jw_append(w, "false", 5);
}

void jw_null(jw_t *w)
{
    before_value(w);
    jw_append(w, "null", 4);
}

void jw_raw(jw_t *w, const char *json, size_t len)
{
    before_value(w);
    jw_append(w, json, len);
}

void jw_base64(jw_t *w, const void *data, size_t len)
{
    before_value(w);
    size_t need = base64_encoded_len(len);
    jw_reserve(w, need + 2);
    w->buf[w->len++] = '"';
    w->len += base64_encode(data, len, w->buf + w->len);
    w->buf[w->len++] = '"';
    w->buf[w->len] = '\0';
}

void jw_kstr(jw_t *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kjson(jw_t *w, const char *key, const char *json)
{
    if (json == NULL)
        return;
    jw_key(w, key);
    jw_raw(w, json, strlen(json));
}

void jw_kint(jw_t *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(jw_t *w, const char *key, int v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
