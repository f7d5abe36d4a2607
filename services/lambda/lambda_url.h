/* lambda_url.h - function URLs, shared by their operations (lambda_url.c) and
 * their HTTP endpoint (lambda_url_serve.c). A function keeps its URLs, one per
 * $LATEST or alias, as a JSON array in its stored document (fn->urls_json):
 * [{"Qualifier":"$LATEST"|alias,"UrlId":..,"AuthType":..,"Cors":{..},"InvokeMode":..,
 *   "CreationTime":ms,"LastModifiedTime":ms}], Cors and InvokeMode only when set. */
#ifndef AWSEMU_LAMBDA_URL_H
#define AWSEMU_LAMBDA_URL_H

#include "lambda_internal.h"

#define LAMBDA_URL_ID_LEN 32

typedef struct {
    const char *qualifier, *id, *auth_type;
    const char *invoke_mode; /* NULL: never set (BUFFERED) */
    yajl_val cors;           /* object or NULL */
    int64_t created, modified;
} lambda_url_t;

/* A function's URLs, read from its urls_json (the tree owns the strings). */
typedef struct {
    yajl_val root;
    lambda_url_t *v;
    size_t n;
} lambda_urls_t;

/* 0, or -1 when the stored text cannot be read (logged). Free with lambda_urls_free. */
int lambda_urls_load(const lambda_fn_t *fn, lambda_urls_t *l);
void lambda_urls_free(lambda_urls_t *l);
/* The URL of qualifier ("$LATEST" or an alias) in l, or NULL. */
lambda_url_t *lambda_urls_find(const lambda_urls_t *l, const char *qualifier);
/* The function and URL whose id this is (l holds the URL; free it), or NULL. */
lambda_fn_t *lambda_url_by_id(const char *id, lambda_urls_t *l, lambda_url_t **url);

/* Routes requests whose Host is a URL's to lambda_url_serve.c (at open). */
void lambda_url_serve_init(void);

int lambda_create_function_url_config(call_t *c);
int lambda_get_function_url_config(call_t *c);
int lambda_update_function_url_config(call_t *c);
int lambda_delete_function_url_config(call_t *c);
int lambda_list_function_url_configs(call_t *c);

#endif
