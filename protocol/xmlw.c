/* xmlw.c - the streaming XML writer (see xmlw.h). */
#include "xmlw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "swar.h"

void xw_init(xw_t *w)
{
    jw_init(&w->out);
    w->open_tag = 0;
}

void xw_free(xw_t *w)
{
    jw_free(&w->out);
    w->open_tag = 0;
}

char *xw_take(xw_t *w, size_t *len)
{
    w->open_tag = 0;
    return jw_take(&w->out, len);
}

static void append(xw_t *w, const char *s, size_t len)
{
    jw_append(&w->out, s, len);
}

/* Ends a pending start tag: content follows. */
static void content(xw_t *w)
{
    if (w->open_tag) {
        w->out.buf[w->out.len++] = '>';
        w->out.buf[w->out.len] = '\0';
        w->open_tag = 0;
    }
}

/* Writes "<name" (close 0) or "</name>" (close 1) with one reservation. */
static void tag(xw_t *w, const char *name, int close)
{
    size_t n = strlen(name);
    jw_reserve(&w->out, n + 4); /* + the '>' a pending start tag still needs */
    char *o = w->out.buf + w->out.len;
    if (w->open_tag) {
        *o++ = '>';
        w->open_tag = 0;
    }
    *o++ = '<';
    if (close)
        *o++ = '/';
    memcpy(o, name, n);
    o += n;
    if (close)
        *o++ = '>';
    *o = '\0';
    w->out.len = (size_t)(o - w->out.buf);
}

void xw_decl(xw_t *w)
{
    static const char decl[] = "<?xml version=\"1.0\"?>";
    append(w, decl, sizeof(decl) - 1);
}

void xw_open(xw_t *w, const char *name, const char *ns)
{
    tag(w, name, 0);
    if (ns != NULL) {
        append(w, " xmlns=\"", 8);
        xw_text(w, ns, strlen(ns));
        append(w, "\"", 1);
    }
    w->open_tag = 1;
}

void xw_close(xw_t *w, const char *name)
{
    if (w->open_tag) {
        append(w, "/>", 2);
        w->open_tag = 0;
        return;
    }
    tag(w, name, 1);
}

/* The entity for byte c, or NULL when c is written as is. */
static const char *entity(unsigned char c, char tmp[8])
{
    static const char hex[] = "0123456789ABCDEF";
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&apos;";
    case '\t':
    case '\n':
        return NULL;
    default:
        if (c >= 0x20)
            return NULL;
    }
    /* \r and the other control characters: a hexadecimal character reference */
    char *p = tmp;
    *p++ = '&';
    *p++ = '#';
    *p++ = 'x';
    if (c >= 16)
        *p++ = hex[c >> 4];
    *p++ = hex[c & 15];
    *p++ = ';';
    *p = '\0';
    return tmp;
}

/* None of the 8 bytes of x needs an entity (\t and \n do not either, but they
 * are rare enough to take the byte path). */
static int plain8(uint64_t x)
{
    return !(swar_has_less(x, 0x20) | swar_has_byte(x, '&') | swar_has_byte(x, '<') | swar_has_byte(x, '>') |
             swar_has_byte(x, '"') | swar_has_byte(x, '\''));
}

/* Writes the escaped text of s[0..len) at o (room for len * 6 bytes); returns the end. */
static char *escape_to(char *o, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (len - i >= 8 && plain8(swar_load(s + i))) {
            memcpy(o, s + i, 8);
            o += 8;
            i += 8;
        }
        /* byte by byte until the next word boundary of s (or its end) */
        for (size_t stop = len - i >= 8 ? i + 8 : len; i < stop; i++) {
            char tmp[8];
            const char *ent = entity((unsigned char)s[i], tmp);
            if (ent == NULL) {
                *o++ = s[i];
                continue;
            }
            size_t n = strlen(ent);
            memcpy(o, ent, n);
            o += n;
        }
    }
    return o;
}

/* The longest escape (&quot; &apos; &#x1F;) is 6 bytes. */
#define XW_ESCAPED_MAX(len) ((len)*6)

void xw_text(xw_t *w, const char *s, size_t len)
{
    content(w);
    jw_reserve(&w->out, XW_ESCAPED_MAX(len));
    char *o = escape_to(w->out.buf + w->out.len, s, len);
    w->out.len = (size_t)(o - w->out.buf);
    w->out.buf[w->out.len] = '\0';
}

/* One reservation and one pass: <name>, the text, </name>. */
void xw_elem(xw_t *w, const char *name, const char *s, size_t len)
{
    size_t n = strlen(name);
    jw_reserve(&w->out, 2 * n + 6 + XW_ESCAPED_MAX(len)); /* + the '>' a pending start tag still needs */
    char *o = w->out.buf + w->out.len;
    if (w->open_tag) {
        *o++ = '>';
        w->open_tag = 0;
    }
    *o++ = '<';
    memcpy(o, name, n);
    o += n;
    *o++ = '>';
    o = escape_to(o, s, len); /* even when empty: <Name></Name> */
    *o++ = '<';
    *o++ = '/';
    memcpy(o, name, n);
    o += n;
    *o++ = '>';
    *o = '\0';
    w->out.len = (size_t)(o - w->out.buf);
}

void xw_elemz(xw_t *w, const char *name, const char *s)
{
    xw_elem(w, name, s, strlen(s));
}
