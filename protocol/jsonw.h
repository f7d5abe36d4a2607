/* jsonw.h - a small streaming JSON writer.
 *
 * Writes into a growable heap buffer that the writer owns (jw_free releases it;
 * jw_take hands it over). Commas and nesting are tracked for the caller, and raw
 * JSON text can be spliced in (jw_raw) so stored JSON need not be re-encoded.
 * Strings are escaped as AWS services do (control characters as \uXXXX, UTF-8 kept). */
#ifndef AWSEMU_JSONW_H
#define AWSEMU_JSONW_H

#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 100 /* a DynamoDB item of 32 levels in a GetItem answer takes 65 */

typedef struct {
    char *buf;
    size_t len, cap;
    int depth;
    unsigned char first[JW_MAX_DEPTH]; /* 1 while the container at this depth has no element yet */
    unsigned char after_key;           /* a key was just written: the next value needs no comma */
} jw_t;

void jw_init(jw_t *w);
void jw_free(jw_t *w);
/* Whether p (left bytes from it) starts a surrogate code point encoded as three bytes (ED A0..BF xx):
 * how the request parser keeps a lone \uD800-\uDFFF escape (ytree.h), which is not UTF-8; the
 * writer writes it '?'. */
static inline int jw_encoded_surrogate(const unsigned char *p, size_t left)
{
    return left >= 3 && p[0] == 0xED && p[1] >= 0xA0 && p[1] <= 0xBF;
}
/* Frees the writer; 1 when what it wrote is exactly text (a stored document, say). */
int jw_free_matches(jw_t *w, const char *text);
void jw_reset(jw_t *w);
/* Hands the buffer to the caller (free() it) and resets the writer. */
char *jw_take(jw_t *w, size_t *len);

void jw_obj(jw_t *w);  /* { */
void jw_end(jw_t *w);  /* } */
void jw_arr(jw_t *w);  /* [ */
void jw_aend(jw_t *w); /* ] */
void jw_key(jw_t *w, const char *key);
void jw_keyn(jw_t *w, const char *key, size_t len);
void jw_str(jw_t *w, const char *s);
void jw_strn(jw_t *w, const char *s, size_t len);
void jw_int(jw_t *w, int64_t v);
void jw_double(jw_t *w, double v); /* shortest text that reads back the same */
void jw_bool(jw_t *w, int v);
void jw_null(jw_t *w);
void jw_raw(jw_t *w, const char *json, size_t len);    /* one complete JSON value, verbatim */
void jw_base64(jw_t *w, const void *data, size_t len); /* a blob: base64 string */

/* key + value shorthands */
void jw_kstr(jw_t *w, const char *key, const char *s);
void jw_kint(jw_t *w, const char *key, int64_t v);
void jw_kbool(jw_t *w, const char *key, int v);
void jw_kjson(jw_t *w, const char *key, const char *json); /* a complete JSON text, verbatim; none: no member */

/* Appends bytes with no JSON bookkeeping (used by encoders that build text). */
void jw_append(jw_t *w, const char *s, size_t len);
/* Makes room for extra more bytes (plus the NUL) at buf + len. */
void jw_reserve(jw_t *w, size_t extra);

#endif
