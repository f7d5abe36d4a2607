/* sigv4.h - AWS Signature Version 4: parsing and verification, as a pure module.
 *
 * No h2o, no call_t: plain slices in, values out. The HTTP layer
 *   1. parses the Authorization header (sigv4_parse_header) or, failing that, the
 *      query string of a presigned URL (sigv4_parse_query);
 *   2. looks the access key up, then calls sigv4_verify() with the secret key and the
 *      raw request, and maps the result code to the AWS error of its wire protocol
 *      (see "Error mapping" below).
 *
 * The canonical request is built the way AWS builds it for every service but S3:
 * the raw path has its dot segments and repeated slashes removed and is then
 * URI-encoded once more (so "%3A" on the wire becomes "%253A", as botocore and the
 * AWS SDKs sign it); the query is decoded and re-encoded (RFC 3986 unreserved set,
 * '+' kept as a literal plus), sorted by key then value, without X-Amz-Signature
 * when presigned; header values are trimmed with inner whitespace runs folded to one
 * space, repeated headers joined with ','; a signed header the request lacks is
 * signed with an empty value; the payload hash is the x-amz-content-sha256 header
 * verbatim (UNSIGNED-PAYLOAD included) or else the SHA-256 of the body. */
#ifndef AWSEMU_SIGV4_H
#define AWSEMU_SIGV4_H

#include <stddef.h>

typedef struct {
    const char *ptr;
    size_t len;
} sigv4_slice_t;

typedef struct {
    sigv4_slice_t name, value; /* name in any case */
} sigv4_header_t;

/* ---- parsing ---- */

enum {
    SIGV4_MALFORMED = -1, /* SigV4 was meant but is unusable: auth->message has AWS's text */
    SIGV4_NONE = 0,       /* no SigV4 here (no header, another scheme, no X-Amz-* auth parameters) */
    SIGV4_OK = 1,
};

#define SIGV4_MESSAGE_MAX 1024

/* The parsed authorization. Slices point into the parsed input or, for a presigned
 * URL's percent-decoded values, into buf: do not copy the struct by value. */
typedef struct {
    int presigned;                                   /* 1 when it came from the query string */
    sigv4_slice_t credential;                        /* "AKID/20150830/us-east-1/service/aws4_request" */
    sigv4_slice_t access_key, date, region, service; /* its parts; date is YYYYMMDD */
    sigv4_slice_t signed_headers;                    /* "host;x-amz-date", as sent */
    sigv4_slice_t signature;                         /* hex, as sent */
    sigv4_slice_t amz_date;          /* presigned: X-Amz-Date (header form: empty, sigv4_verify reads the headers) */
    long long expires;               /* presigned: X-Amz-Expires in seconds, -1 when absent */
    char message[SIGV4_MESSAGE_MAX]; /* SIGV4_MALFORMED: the IncompleteSignature message */
    char buf[1024];
} sigv4_auth_t;

/* Parses an Authorization header value. has_date says whether the request carries an
 * X-Amz-Date or Date header (AWS names its absence in the same message). Returns
 * SIGV4_NONE unless the value starts with "AWS4-HMAC-SHA256". */
int sigv4_parse_header(const char *value, size_t len, int has_date, sigv4_auth_t *auth);
/* The length of v's leading run without a parameter separator (',' or white space):
 * how the header parse delimits each key=value word. */
size_t sigv4_token_len(const char *v, size_t len);

/* Parses a presigned URL's raw query string (without '?'). Returns SIGV4_NONE when none
 * of X-Amz-Algorithm, X-Amz-Credential and X-Amz-Signature is there, or when
 * X-Amz-Algorithm names another algorithm. */
int sigv4_parse_query(const char *query, size_t len, sigv4_auth_t *auth);

/* ---- verification ---- */

typedef struct {
    sigv4_slice_t method;
    sigv4_slice_t path;  /* raw path as received (still percent-encoded), without the query */
    sigv4_slice_t query; /* raw query string without '?', may be empty */
    const sigv4_header_t *headers;
    size_t nheaders;
    sigv4_slice_t payload; /* the body; hashed unless an x-amz-content-sha256 header is present */
    const char *payload_hash; /* without that header: this hash verbatim ("UNSIGNED-PAYLOAD"); NULL: hash the body */
    sigv4_slice_t secret_key;
    const char *service; /* expected credential service ("sqs", "dynamodb", "lambda"); NULL = any */
    long long now;       /* Unix seconds for the clock checks; 0 skips them */
    int max_skew;        /* allowed clock skew in seconds (AWS: 300; DynamoDB says 15 min) */
} sigv4_request_t;

enum {
    SIGV4_VALID = 0,
    SIGV4_ERR_MISMATCH = -1,        /* the signatures differ: the mismatch message, see below */
    SIGV4_ERR_INCOMPLETE = -2,      /* no usable date: IncompleteSignature, res->message */
    SIGV4_ERR_SCOPE = -3,           /* credential date or service does not fit: res->message */
    SIGV4_ERR_EXPIRED = -4,         /* too old (or a presigned URL past X-Amz-Expires): res->message */
    SIGV4_ERR_NOT_YET_CURRENT = -5, /* dated too far in the future: res->message */
    SIGV4_ERR_NOMEM = -6,
};

typedef struct {
    char *canonical_request;         /* heap, NUL-terminated; set once computed (also on SIGV4_ERR_MISMATCH) */
    char *string_to_sign;            /* heap, NUL-terminated; likewise */
    char signature[65];              /* the signature we computed, hex */
    char message[SIGV4_MESSAGE_MAX]; /* AWS's message for the other SIGV4_ERR_* codes */
} sigv4_result_t;

/* Verifies auth (from sigv4_parse_*() == SIGV4_OK) against the request. Always call
 * sigv4_result_free(res) afterwards. Returns SIGV4_VALID or a SIGV4_ERR_* code. */
int sigv4_verify(const sigv4_auth_t *auth, const sigv4_request_t *req, sigv4_result_t *res);
void sigv4_result_free(sigv4_result_t *res);

/* The account of an access key: a 12-digit key is taken as the account id itself
 * (so clients can pick an account), anything else is account "000000000000". */
void sigv4_account_from_access_key(const char *ak, size_t len, char out[13]);

/* ---- error mapping (texts as AWS sends them) ----
 *
 * SIGV4_MALFORMED / SIGV4_ERR_INCOMPLETE: code IncompleteSignature (query protocol,
 *   HTTP 400, Sender) / IncompleteSignatureException (JSON protocols, 400).
 * SIGV4_ERR_MISMATCH, SIGV4_ERR_SCOPE, SIGV4_ERR_EXPIRED, SIGV4_ERR_NOT_YET_CURRENT:
 *   SQS query:  <Code>SignatureDoesNotMatch</Code>, Type Sender, HTTP 403; the message is
 *               SIGV4_MSG_MISMATCH followed by SIGV4_MSG_MISMATCH_DETAIL (canonical request
 *               and string to sign), as seen in SQS answers from 2013 to 2020.
 *   SQS JSON:   not seen first-hand; the consistent choice is HTTP 403,
 *               __type "com.amazon.coral.service#InvalidSignatureException",
 *               x-amzn-query-error "SignatureDoesNotMatch;Sender", same message with detail.
 *   DynamoDB:   __type "com.amazon.coral.service#InvalidSignatureException", HTTP 400;
 *               current answers carry SIGV4_MSG_MISMATCH alone (no detail; the detail
 *               appeared only in 2013-era answers).
 *   Lambda:     InvalidSignatureException (x-amzn-ErrorType), HTTP 403; SIGV4_MSG_MISMATCH
 *               followed by SIGV4_MSG_MISMATCH_DETAIL.
 *   For the non-mismatch codes use res->message instead of the mismatch text. */
#define SIGV4_MSG_MISMATCH                                                                                                         \
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and "         \
    "signing method. Consult the service documentation for details."
/* printf format: canonical request, then string to sign. */
#define SIGV4_MSG_MISMATCH_DETAIL                                                                                                  \
    "\n\nThe Canonical String for this request should have been\n'%s'\n\nThe String-to-Sign should have been\n'%s'\n"

#endif
