/* ytree.h - yajl trees in a request pool: parsed from JSON with yajl's own
 * grammar (ytree_parse), or built by the query and REST decoders. Either way the
 * nodes have the shapes yajl_tree_parse gives, and nothing is freed by hand. */
#ifndef AWSEMU_YTREE_H
#define AWSEMU_YTREE_H

#include <h2o/memory.h>
#include <h2o/string_.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "model.h"

typedef enum {
    YTREE_SYNTAX,   /* yajl's parse errors (premature EOF, unexpected token, trailing garbage) */
    YTREE_LEXICAL,  /* yajl's lexical errors (invalid character, bad escape or UTF-8) */
    YTREE_TOO_DEEP, /* nesting deeper than max_depth */
    YTREE_NUL,      /* a string holding NUL (\u0000): tree strings are NUL-terminated, it would cut them */
    /* Not errors: how a parse that succeeded went. */
    YTREE_OK,
    YTREE_LONE_SURROGATE, /* a string holds a lone surrogate escape (\ud800 with no low half, or \udc00 alone),
                           * kept as the surrogate's three-byte encoding, which is not UTF-8 */
} ytree_error_t;

/* A flag of ytree_parse: a NUL (\u0000) in a string or key is kept as the two bytes C0 80 (Java's "modified
 * UTF-8", never valid UTF-8, so never taken for text) instead of refused (YTREE_NUL); jsonw writes them back
 * as \u0000. For DynamoDB, which stores such strings: its readers of string bytes know the pair. */
#define YTREE_NUL_OVERLONG 1u
#define YTREE_NUL_LEAD 0xC0 /* the pair's bytes */
#define YTREE_NUL_TRAIL 0x80

/* Parses len bytes of JSON (no NUL needed) with yajl's settings for trees (comments
 * allowed, one value, no trailing garbage) into pool. Returns the root (*why YTREE_OK or
 * YTREE_LONE_SURROGATE), or NULL with the kind of error in *why and its text in err
 * (yajl's for the first two). flags: 0 or YTREE_NUL_OVERLONG. */
yajl_val ytree_parse(h2o_mem_pool_t *pool, const char *text, size_t len, size_t max_depth, unsigned flags, ytree_error_t *why,
                     char *err, size_t errlen);
/* yajl_tree_parse for a NUL-terminated text that did not come through a request's parser (a
 * queue policy, a runtime's error body, a stored document): the same tree, malloc'd and freed
 * with yajl_tree_free, but NULL ("nesting too deep" in err, which may be NULL) when arrays and
 * objects nest deeper than YTREE_TEXT_MAX_DEPTH: yajl has no bound, and yajl_tree_free recurses
 * once per level (400,000 levels overflowed the stack). */
#define YTREE_TEXT_MAX_DEPTH 512
yajl_val ytree_parse_text(const char *text, char *err, size_t errlen);
/* Replaces each encoded lone surrogate in the tree's strings and keys by '?', as a Java service's
 * UTF-8 encoder does (DynamoDB, Lambda); SQS refuses such text instead. */
void ytree_surrogates_to_question(yajl_val v);
/* Decodes the JSON escape at p (just after its backslash; end bounds the text) into out (at
 * most 4 bytes, their count in *outlen), and its code point into *cp; a \u pair of surrogates is
 * one code point. Returns the escape's length in the text, or 0 when it is not one. */
size_t ytree_unescape(const char *p, const char *end, char *out, size_t *outlen, unsigned *cp);
/* The length of a tree string in UTF-16 code units, as a Java service counts it: one per character, two for one
 * outside the BMP (a 4-byte sequence); the C0 80 pair of a NUL and an encoded lone surrogate count one each. */
int64_t ytree_utf16_length(const char *s);
yajl_val ytree_new(h2o_mem_pool_t *pool, yajl_type type);
yajl_val ytree_string(h2o_mem_pool_t *pool, const char *s, size_t len);
/* A value of shape type `type` from wire text (integers, floats, booleans
 * converted; anything unconvertible stays a string for the validator to name).
 * text must live as long as the pool. */
yajl_val ytree_scalar(h2o_mem_pool_t *pool, model_shape_type_t type, const char *text);
/* A new object with obj's members (obj may be NULL) followed by n more. */
yajl_val ytree_object_extend(h2o_mem_pool_t *pool, yajl_val obj, const char **keys, yajl_val *values, size_t n);
/* Writes any value as JSON. */
void ytree_write(jw_t *w, yajl_val v);
/* Writes it with each object's members in key order: one text for every tree that differs from
 * another only in the order of members. */
void ytree_write_sorted(jw_t *w, yajl_val v);

#endif
