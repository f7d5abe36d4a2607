/* streams.c - the DynamoDB Streams service (DynamoDBStreams_20120810): ListStreams, DescribeStream,
 * GetShardIterator and GetRecords over the streams and records that ddb_stream.c keeps.
 *
 * Each stream has one shard. A shard iterator is the stream ARN, "|1|", and a hex payload
 * (stream id, position, issue time, check): opaque to clients, valid for 15 minutes, and
 * stateless, so iterators survive restarts. Position p means "records with a sequence number
 * greater than p". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "services/clock.h"
#include "services/dynamodb/ddb_stream.h"
#include "services/service.h"
#include "storage/ddb_stream_store.h"

#define ITERATOR_TTL_MS (15 * 60 * 1000)
#define GET_RECORDS_MAX 1000
#define GET_RECORDS_BYTES (1024 * 1024)
#define LIST_STREAMS_MAX 100
#define PAYLOAD_HEX 56 /* 3 x 16 hex digits + 8 of check */

static int internal_error(call_t *c)
{
    return call_error(c, "InternalServerError", "Internal server error");
}

static int stream_not_found(call_t *c, const char *arn)
{
    return call_error(c, "ResourceNotFoundException", "Requested resource not found: Stream: %s not found", arn);
}

/* 1 if arn has the shape of a stream ARN, arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL. */
static int stream_arn_shaped(const char *arn)
{
    const char *p = strncmp(arn, "arn:", 4) == 0 ? strchr(arn + 4, ':') : NULL;
    if (!p || strncmp(p, ":dynamodb:", 10) != 0 || !(p = strchr(p + 10, ':')) || !(p = strchr(p + 1, ':')) ||
        strncmp(p, ":table/", 7) != 0)
        return 0;
    const char *stream = strstr(p + 7, "/stream/");
    return stream && stream > p + 7 && stream[8] != '\0';
}

/* The caller's stream named by StreamArn: CALL_DONE, or CALL_ERROR raised (a malformed ARN is a
 * ValidationException, a well-formed one that names no stream a ResourceNotFoundException). */
static int stream_find(call_t *c, const char *arn, ddb_stream_row_t *s)
{
    if (!stream_arn_shaped(arn))
        return call_error(c, "ValidationException", "Invalid StreamArn");
    int rc = ddb_stream_store_by_arn(c->pool, arn, s);
    if (rc < 0)
        return internal_error(c);
    if (rc == 0 || strcmp(s->account, c->account) != 0 || strcmp(s->region, c->region) != 0)
        return stream_not_found(c, arn);
    return CALL_DONE;
}

/* Limit within [1, max] (the model checks >= 1); else AWS's generic constraint message. */
static int limit_of(call_t *c, const char *member, const char *wire, long long max, long long dflt, int *out)
{
    long long v = dflt;
    in_int(c->in, member, &v);
    if (v > max)
        return call_error(c, "ValidationException",
                          "1 validation error detected: Value '%lld' at '%s' failed to satisfy constraint: Member must have value "
                          "less than or equal to %lld",
                          v, wire, max);
    *out = (int)v;
    return CALL_DONE;
}

/* ---- ListStreams ---- */

static int list_streams(call_t *c)
{
    int limit = 0;
    if (limit_of(c, "Limit", "limit", LIST_STREAMS_MAX, LIST_STREAMS_MAX, &limit) != CALL_DONE)
        return CALL_ERROR;
    int64_t after = 0;
    const char *start = in_str(c->in, "ExclusiveStartStreamArn");
    if (start) {
        ddb_stream_row_t s;
        if (stream_find(c, start, &s) != CALL_DONE)
            return CALL_ERROR;
        after = s.id;
    }
    ddb_stream_row_t *rows;
    int n = ddb_stream_store_list(c->pool, c->account, c->region, in_str(c->in, "TableName"), after, limit + 1, &rows);
    if (n < 0)
        return internal_error(c);
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "Streams");
    jw_arr(w);
    for (int i = 0; i < n && i < limit; i++) {
        jw_obj(w);
        jw_kstr(w, "StreamArn", rows[i].arn);
        jw_kstr(w, "TableName", rows[i].table_name);
        jw_kstr(w, "StreamLabel", rows[i].label);
        jw_end(w);
    }
    jw_aend(w);
    if (n > limit)
        jw_kstr(w, "LastEvaluatedStreamArn", rows[limit - 1].arn);
    jw_end(w);
    return CALL_DONE;
}

/* ---- DescribeStream ---- */

static void seq_member(jw_t *w, const char *key, int64_t n)
{
    char text[DDB_STREAM_SEQ_LEN + 1];
    ddb_stream_seq_text(n, text);
    jw_kstr(w, key, text);
}

static int describe_stream(call_t *c)
{
    ddb_stream_row_t s;
    const char *arn = in_str(c->in, "StreamArn");
    if (stream_find(c, arn, &s) != CALL_DONE)
        return CALL_ERROR;
    const char *shard = ddb_stream_shard_id(c->pool, s.id, s.created_ms);
    yajl_val filter = in_obj(c->in, "ShardFilter");
    const char *start = in_str(c->in, "ExclusiveStartShardId");
    /* One shard, which has no children; listing after it lists nothing. */
    int list_shard = !filter && !(start && strcmp(start, shard) >= 0);
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "StreamDescription");
    jw_obj(w);
    jw_kstr(w, "StreamArn", s.arn);
    jw_kstr(w, "StreamLabel", s.label);
    jw_kstr(w, "StreamStatus", s.closed_ms ? "DISABLED" : "ENABLED");
    jw_kstr(w, "StreamViewType", s.view_type);
    jw_key(w, "CreationRequestDateTime");
    jw_double(w, (double)s.created_ms / 1000.0);
    jw_kstr(w, "TableName", s.table_name);
    jw_kjson(w, "KeySchema", s.key_schema);
    jw_key(w, "Shards");
    jw_arr(w);
    if (list_shard) {
        jw_obj(w);
        jw_kstr(w, "ShardId", shard);
        jw_key(w, "SequenceNumberRange");
        jw_obj(w);
        seq_member(w, "StartingSequenceNumber", s.start_seq);
        if (s.closed_ms)
            seq_member(w, "EndingSequenceNumber", s.end_seq);
        jw_end(w);
        jw_end(w);
    }
    jw_aend(w);
    jw_end(w);
    jw_end(w);
    return CALL_DONE;
}

/* ---- shard iterators ---- */

static uint32_t iterator_check(const char *arn, const char *payload)
{
    return ddb_store_hash(arn, strlen(arn)) ^ ddb_store_hash(payload, PAYLOAD_HEX - 8) ^ 0x5eedf00du;
}

static const char *iterator_make(call_t *c, const ddb_stream_row_t *s, int64_t pos)
{
    char payload[PAYLOAD_HEX + 1];
    snprintf(payload, sizeof(payload), "%016" PRIx64 "%016" PRIx64 "%016" PRIx64, (uint64_t)s->id, (uint64_t)pos,
             (uint64_t)clock_now_ms());
    snprintf(payload + PAYLOAD_HEX - 8, 9, "%08" PRIx32, iterator_check(s->arn, payload));
    return call_sprintf(c, "%s|1|%s", s->arn, payload);
}

typedef struct {
    const char *arn;
    int64_t id, pos, issued_ms;
} iterator_t;

static int hex64(const char *p, int64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char ch = p[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | (uint64_t)d;
    }
    *out = (int64_t)v;
    return 0;
}

/* 0, or -1 when it is not an iterator of ours. */
static int iterator_parse(call_t *c, const char *text, iterator_t *it)
{
    const char *bar = strstr(text, "|1|");
    if (!bar || strlen(bar + 3) != PAYLOAD_HEX)
        return -1;
    it->arn = call_strndup(c, text, (size_t)(bar - text));
    const char *p = bar + 3;
    char check[9];
    snprintf(check, sizeof(check), "%08" PRIx32, iterator_check(it->arn, p));
    if (hex64(p, &it->id) != 0 || hex64(p + 16, &it->pos) != 0 || hex64(p + 32, &it->issued_ms) != 0 ||
        memcmp(check, p + PAYLOAD_HEX - 8, 8) != 0)
        return -1;
    return 0;
}

/* The exception's message as the model documents it (its description is "The operation attempted to read past the
 * oldest stream record in a shard."). */
static int trimmed(call_t *c)
{
    return call_error(c, "TrimmedDataAccessException", "The data you are trying to access has been trimmed.");
}

/* The position an iterator type and sequence number give, or CALL_ERROR raised. */
static int iterator_position(call_t *c, const ddb_stream_row_t *s, const char *type, int64_t *pos)
{
    int64_t horizon = s->trim_seq > s->start_seq - 1 ? s->trim_seq : s->start_seq - 1;
    int64_t last = s->closed_ms ? s->end_seq : ddb_stream_seq_last();
    const char *text = in_str(c->in, "SequenceNumber");
    int trim = strcmp(type, "TRIM_HORIZON") == 0, latest = strcmp(type, "LATEST") == 0;
    if ((trim || latest) && text)
        return call_error(c, "ValidationException", "Must not provide a SequenceNumber for ShardIteratorType %s", type);
    if (trim || latest) {
        *pos = trim ? horizon : last;
        return CALL_DONE;
    }
    int at = strcmp(type, "AT_SEQUENCE_NUMBER") == 0;
    int64_t n;
    if (!text)
        return call_error(c, "ValidationException", "Must provide a SequenceNumber for ShardIteratorType %s", type);
    /* An empty open shard's StartingSequenceNumber is not handed out yet, but is the shard's all the same. */
    if (ddb_stream_seq_parse(text, &n) != 0 || n < s->start_seq || n > (last > s->start_seq ? last : s->start_seq))
        return call_error(c, "ValidationException", "Invalid SequenceNumber: %s is not a sequence number of shard %s", text,
                          ddb_stream_shard_id(c->pool, s->id, s->created_ms));
    if (n <= s->trim_seq)
        return trimmed(c);
    *pos = at ? n - 1 : n;
    return CALL_DONE;
}

static int get_shard_iterator(call_t *c)
{
    ddb_stream_row_t s;
    const char *arn = in_str(c->in, "StreamArn"), *shard = in_str(c->in, "ShardId");
    if (stream_find(c, arn, &s) != CALL_DONE)
        return CALL_ERROR;
    if (strcmp(shard, ddb_stream_shard_id(c->pool, s.id, s.created_ms)) != 0)
        return call_error(c, "ResourceNotFoundException", "Requested resource not found: Shard: %s in Stream: %s not found", shard,
                          arn);
    int64_t pos = 0;
    if (iterator_position(c, &s, in_str(c->in, "ShardIteratorType"), &pos) != CALL_DONE)
        return CALL_ERROR;
    jw_obj(&c->out);
    jw_kstr(&c->out, "ShardIterator", iterator_make(c, &s, pos));
    jw_end(&c->out);
    return CALL_DONE;
}

/* ---- GetRecords ---- */

typedef struct {
    call_t *c;
    int64_t last;
    size_t bytes;
    int full; /* stopped at the 1 MB cap */
} records_t;

#define API_TTL_IDENTITY ",\"userIdentity\":{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}}"

static int record_out(const ddb_stream_rec_row_t *r, void *arg)
{
    records_t *rs = arg;
    if (rs->bytes && rs->bytes + r->len > GET_RECORDS_BYTES) {
        rs->full = 1;
        return 1;
    }
    const char *text = r->record;
    size_t len = r->len;
    if (r->by_service) {
        /* the stored record without its closing brace, then the service's identity */
        char *buf = call_alloc(rs->c, len + sizeof(API_TTL_IDENTITY));
        memcpy(buf, text, len - 1);
        memcpy(buf + len - 1, API_TTL_IDENTITY, sizeof(API_TTL_IDENTITY));
        text = buf;
        len += sizeof(API_TTL_IDENTITY) - 2;
    }
    jw_raw(&rs->c->out, text, len);
    rs->bytes += len;
    rs->last = r->seq;
    return 0;
}

static int get_records(call_t *c)
{
    iterator_t it;
    ddb_stream_row_t s;
    int limit = 0;
    if (limit_of(c, "Limit", "limit", GET_RECORDS_MAX, GET_RECORDS_MAX, &limit) != CALL_DONE)
        return CALL_ERROR;
    if (iterator_parse(c, in_str(c->in, "ShardIterator"), &it) != 0)
        return call_error(c, "ValidationException", "Invalid ShardIterator");
    if (clock_now_ms() - it.issued_ms > ITERATOR_TTL_MS)
        return call_error(c, "ExpiredIteratorException", "Shard iterator has expired");
    if (stream_find(c, it.arn, &s) != CALL_DONE)
        return CALL_ERROR;
    if (s.id != it.id)
        return stream_not_found(c, it.arn);
    if (it.pos < s.trim_seq)
        return trimmed(c);
    jw_t *w = &c->out;
    jw_obj(w);
    jw_key(w, "Records");
    jw_arr(w);
    records_t rs = {c, it.pos, 0, 0};
    int n = ddb_stream_store_records(s.id, it.pos, limit, record_out, &rs);
    if (n < 0) {
        jw_reset(w);
        return internal_error(c);
    }
    jw_aend(w);
    /* A closed shard read to its end has no next iterator. */
    int drained = s.closed_ms && !rs.full && n < limit;
    if (!drained)
        jw_kstr(w, "NextShardIterator", iterator_make(c, &s, rs.last));
    jw_end(w);
    return CALL_DONE;
}

static const service_op_t streams_ops[] = {
    {"DescribeStream", describe_stream},
    {"GetRecords", get_records},
    {"GetShardIterator", get_shard_iterator},
    {"ListStreams", list_streams},
    {NULL, NULL},
};

static int streams_open(const config_t *cfg, char *err, size_t errlen)
{
    (void)cfg;
    (void)err;
    (void)errlen;
    ddb_stream_start();
    return 0;
}

const service_t dynamodbstreams_service = {"dynamodbstreams", &model_dynamodbstreams, streams_ops, streams_open, ddb_stream_stop};
