/* xmlw.h - a small streaming XML writer for query-protocol responses.
 *
 * Writes into a growable heap buffer that the writer owns (xw_free releases it;
 * xw_take hands it over), like jsonw.h. An element is opened with xw_open and
 * closed with xw_close(name); an element closed before any content is written
 * comes out self-closed (<Name/>), as AWS writes empty results. Text is escaped
 * as AWS services do: & < > " ' as entities, \r as &#xD; (XML parsers would turn
 * a literal CR into LF), other control characters except \t and \n as &#xN;.
 * Bytes >= 0x80 (UTF-8) pass through. Element names are written verbatim. */
#ifndef AWSEMU_XMLW_H
#define AWSEMU_XMLW_H

#include <stddef.h>

#include "jsonw.h"

typedef struct {
    jw_t out;               /* the text; only its byte buffer is used */
    unsigned char open_tag; /* "<name" written, its ">" still pending */
} xw_t;

void xw_init(xw_t *w);
void xw_free(xw_t *w);
/* Hands the NUL-terminated buffer to the caller (free() it) and resets the writer. */
char *xw_take(xw_t *w, size_t *len);

/* <?xml version="1.0"?> */
void xw_decl(xw_t *w);
/* <name> (or <name xmlns="ns"> when ns is not NULL) */
void xw_open(xw_t *w, const char *name, const char *ns);
/* </name>, or "/>" when nothing was written since the matching xw_open. */
void xw_close(xw_t *w, const char *name);
/* Escaped character data. */
void xw_text(xw_t *w, const char *s, size_t len);
/* <name>text</name> */
void xw_elem(xw_t *w, const char *name, const char *s, size_t len);
void xw_elemz(xw_t *w, const char *name, const char *s); /* NUL-terminated text */

#endif
