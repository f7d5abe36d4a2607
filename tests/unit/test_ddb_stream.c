/* test_ddb_stream.c - unit tests for services/dynamodb/ddb_stream.c over an in-memory store: records of
 * inserts, changes and removals (none for an unchanged item), sequence numbers, stream life cycle, and the
 * in-process API Lambda's event source mappings use (Lambda's record shape, positions, wake-ups). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ddb_testutil.h"
#include "services/dynamodb/ddb_stream.h"
#include "services/timer.h"
#include "storage/ddb_stream_store.h"

static call_t c;
static ddb_table_t t;

static ddb_image_t image(const char *text)
{
    yajl_val item = json(text);
    return (ddb_image_t){item, NULL, 0, item ? (int64_t)ddb_item_size(item) : 0};
}

static int emit(const char *old_json, const char *new_json)
{
    ddb_image_t old_img = image(old_json), new_img = image(new_json);
    return ddb_stream_emit(&c, &t, &old_img, &new_img);
}

typedef struct {
    int n;
    char seq[8][DDB_STREAM_SEQ_LEN + 1];
    char json[8][1024];
} got_t;

static int on_rec(const ddb_stream_api_rec_t *r, void *arg)
{
    got_t *g = arg;
    if (g->n < 8) {
        snprintf(g->seq[g->n], sizeof(g->seq[0]), "%s", r->seq);
        snprintf(g->json[g->n], sizeof(g->json[0]), "%.*s", (int)r->len, r->json);
        CHECK(r->created_ms > 0 && r->size_bytes == (int64_t)r->len);
    }
    g->n++;
    return 0;
}

static int woken;
static void on_wake(void *arg)
{
    woken += *(int *)arg;
}

static int hundred = 100;
static void cancel_next(void *arg)
{
    (void)arg;
    woken += 1000;
    ddb_stream_api_wait_cancel(&hundred);
}

static void test_seq_text(void)
{
    char s[DDB_STREAM_SEQ_LEN + 1];
    int64_t n;
    ddb_stream_seq_text(42, s);
    CHECK_STR(s, "100000000000000000042");
    CHECK(ddb_stream_seq_parse(s, &n) == 0 && n == 42);
    CHECK(ddb_stream_seq_parse("10000000000000000004", &n) != 0, "too short");
    CHECK(ddb_stream_seq_parse("200000000000000000042", &n) != 0, "not ours");
    CHECK(ddb_stream_seq_parse("10000000000000000004x", &n) != 0, "not digits");
}

static void test_records_and_api(void)
{
    t.id = ddb_store_table_insert("111122223333", "us-east-1", "Music", "{}", 2, NULL);
    t.account = "111122223333";
    t.region = "us-east-1";
    t.name = "Music";
    t.arn = "arn:aws:dynamodb:us-east-1:111122223333:table/Music";
    t.hash.name = "pk";
    t.hash.type = DDB_T_S;
    t.stream_view = "NEW_AND_OLD_IMAGES";
    t.stream_label = "2024-01-01T00:00:00.000";
    const char *arn = "arn:aws:dynamodb:us-east-1:111122223333:table/Music/stream/2024-01-01T00:00:00.000";
    CHECK(ddb_stream_table_saved(&c, &t) == 0);
    int open = -1;
    CHECK(ddb_stream_api_info(arn, &open) == 1 && open == 1, "stream opened by the table's save");
    CHECK(ddb_stream_api_info("arn:aws:dynamodb:us-east-1:111122223333:table/Nope/stream/x", &open) == 0);

    char latest[DDB_STREAM_SEQ_LEN + 1], horizon[DDB_STREAM_SEQ_LEN + 1];
    CHECK(ddb_stream_api_start(arn, 0, horizon) == 0 && horizon[0] == '\0', "TRIM_HORIZON is the empty position");
    int one = 1;
    CHECK(ddb_stream_api_wait(arn, on_wake, &one) == 0);
    CHECK(emit(NULL, "{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1.0\"}}") == 0);
    CHECK(woken == 0, "never woken synchronously");
    timer_run_due();
    CHECK(woken == 1, "woken after an append");
    timer_run_due();
    CHECK(woken == 1, "wake-ups are one-shot");

    CHECK(emit("{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}", "{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1.00\"}}") == 0);
    CHECK(ddb_stream_api_start(arn, 1, latest) == 0 && strlen(latest) == DDB_STREAM_SEQ_LEN, "LATEST position");
    CHECK(emit("{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}", "{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"}}") == 0);
    c.op_name = ddb_stream_ttl_op;
    CHECK(emit("{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"2\"}}", NULL) == 0);
    c.op_name = NULL;
    CHECK(emit(NULL, NULL) == 0);

    got_t g = {0};
    CHECK(ddb_stream_api_read(arn, "", 10, on_rec, &g) == 3, "unchanged write left no record: %d", g.n);
    CHECK(strstr(g.json[0], "\"eventName\":\"INSERT\"") &&
              strstr(g.json[0], "\"NewImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}"),
          "%s", g.json[0]);
    CHECK(!strstr(g.json[0], "OldImage"));
    CHECK(strstr(g.json[0], "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\""));
    CHECK(strstr(g.json[0], "\"Keys\":{\"pk\":{\"S\":\"a\"}}") && strstr(g.json[0], "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\""));
    CHECK(strstr(g.json[1], "\"eventName\":\"MODIFY\"") &&
          strstr(g.json[1], "\"OldImage\":{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}"));
    CHECK(strstr(g.json[2], "\"eventName\":\"REMOVE\"") && !strstr(g.json[2], "NewImage"));
    CHECK(strstr(g.json[2], "\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}"), "%s", g.json[2]);
    CHECK(!strstr(g.json[1], "userIdentity"));
    char tail[256];
    snprintf(tail, sizeof(tail), ",\"eventSourceARN\":\"%s\"}", arn);
    CHECK(strlen(g.json[0]) > strlen(tail) && strcmp(g.json[0] + strlen(g.json[0]) - strlen(tail), tail) == 0,
          "eventSourceARN last");
    CHECK(strcmp(g.seq[0], g.seq[1]) < 0 && strcmp(g.seq[1], g.seq[2]) < 0, "increasing sequence numbers");
    char want[64];
    snprintf(want, sizeof(want), "\"SequenceNumber\":\"%s\"", g.seq[1]);
    CHECK(strstr(g.json[1], want) != NULL, "record carries its sequence number");

    got_t after = {0};
    CHECK(ddb_stream_api_read(arn, g.seq[0], 1, on_rec, &after) == 1 && strcmp(after.seq[0], g.seq[1]) == 0, "after + max");
    got_t from_latest = {0};
    CHECK(ddb_stream_api_read(arn, latest, 10, on_rec, &from_latest) == 2, "LATEST skips what came before");
    CHECK(ddb_stream_api_read("arn:nope", "", 10, on_rec, &after) == -1);

    /* disabling closes the stream and wakes its readers */
    int ten = 10;
    CHECK(ddb_stream_api_wait(arn, on_wake, &ten) == 0);
    t.stream_view = NULL;
    CHECK(ddb_stream_table_saved(&c, &t) == 0);
    CHECK(ddb_stream_api_info(arn, &open) == 1 && open == 0, "closed");
    timer_run_due();
    CHECK(woken == 11, "closing wakes readers");
    ddb_stream_row_t s;
    CHECK(ddb_stream_store_by_arn(c.pool, arn, &s) == 1 && s.end_seq >= 3 && s.closed_ms > 0);

    /* cancelled waits never fire */
    CHECK(ddb_stream_api_wait(arn, on_wake, &one) == 0);
    ddb_stream_api_wait_cancel(&one);
    timer_run_due();
    CHECK(woken == 11, "cancelled");
    CHECK(ddb_stream_api_wait(arn, cancel_next, NULL) == 0 && ddb_stream_api_wait(arn, on_wake, &hundred) == 0);
    timer_run_due();
    CHECK(woken == 1011, "a wake-up cancelled by an earlier one in the same turn does not fire: %d", woken);
}

static int on_row(const ddb_stream_rec_row_t *r, void *arg)
{
    got_t *g = arg;
    if (g->n < 8) {
        snprintf(g->seq[g->n], sizeof(g->seq[0]), "%lld", (long long)r->seq);
        snprintf(g->json[g->n], sizeof(g->json[0]), "%.*s", (int)r->len, r->record);
    }
    g->n++;
    return 0;
}

static ddb_stream_row_t stream_row(int64_t table_id, const char *label)
{
    ddb_stream_row_t s = {0, table_id, "111122223333", "us-east-1", "Old", label, label, "KEYS_ONLY", "[]", 1000, 1, -1, 0, 0};
    CHECK(ddb_stream_store_insert(&s) == 0);
    return s;
}

/* Records written by the schema before migration 5 (keyed (stream_id, seq) WITHOUT ROWID) are read, trimmed and
 * counted after it, two streams interleaved. The file is taken back to version 4 (without the later backups table). */
static void test_migrated_records(void)
{
    char dir[] = "/tmp/test_ddb_stream_XXXXXX", err[256];
    CHECK(mkdtemp(dir) != NULL);
    config_t cfg = {.data_dir = dir};
    CHECK(ddb_store_open(&cfg, err, sizeof(err)) == 0, "%s", err);
    ddb_stream_row_t a = stream_row(1, "a"), b = stream_row(2, "b");
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "DROP TABLE backups; DROP TABLE stream_records; CREATE TABLE stream_records(stream_id INTEGER NOT NULL, seq INTEGER "
             "NOT NULL,"
             " created_ms INTEGER NOT NULL, by_service INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY(stream_id, seq))"
             " WITHOUT ROWID; INSERT INTO stream_records VALUES(%lld, 1, 100, 0, '{\"a\":1}'), (%lld, 2, 200, 0, '{\"b\":2}'),"
             " (%lld, 3, 300, 1, '{\"a\":3}'), (%lld, 4, 400, 0, '{\"b\":4}'); PRAGMA user_version=4;",
             (long long)a.id, (long long)b.id, (long long)a.id, (long long)b.id);
    CHECK(sqlite3_exec(db_handle(ddb_store_db()), sql, NULL, NULL, NULL) == SQLITE_OK);
    ddb_store_close();
    CHECK(ddb_store_open(&cfg, err, sizeof(err)) == 0, "migrated: %s", err);

    got_t ga = {0}, gb = {0};
    CHECK(ddb_stream_store_records(a.id, 0, 10, on_row, &ga) == 2 && strcmp(ga.seq[0], "1") == 0 && strcmp(ga.seq[1], "3") == 0);
    CHECK(strcmp(ga.json[1], "{\"a\":3}") == 0, "%s", ga.json[1]);
    CHECK(ddb_stream_store_records(b.id, 2, 10, on_row, &gb) == 1 && strcmp(gb.seq[0], "4") == 0, "after a position");
    CHECK(ddb_stream_store_high_water() == 4);
    CHECK(ddb_stream_store_record_put(a.id, 5, 500, 0, "{\"a\":5}", 7) == 0);
    CHECK(ddb_stream_store_high_water() == 5, "the newest record of any stream");

    CHECK(ddb_stream_store_trim(250, 100) == 2, "records before the cutoff, per stream");
    ddb_stream_row_t s;
    CHECK(ddb_stream_store_by_arn(&pool, "a", &s) == 1 && s.trim_seq == 1 && ddb_stream_store_by_arn(&pool, "b", &s) == 1 &&
          s.trim_seq == 2);
    got_t rest = {0};
    CHECK(ddb_stream_store_records(a.id, 0, 10, on_row, &rest) == 2 && strcmp(rest.seq[0], "3") == 0);
    CHECK(ddb_stream_store_close(2, NULL, 4, 300) == 1);
    CHECK(ddb_stream_store_trim(350, 100) == 2, "a stream closed before the cutoff goes with its records");
    got_t none = {0};
    CHECK(ddb_stream_store_records(b.id, 0, 10, on_row, &none) == 0 && ddb_stream_store_by_arn(&pool, "b", &s) == 0);
    CHECK(ddb_stream_store_records(a.id, 0, 10, on_row, &none) == 1, "the open stream keeps its newer record");
    ddb_store_close();
    snprintf(sql, sizeof(sql), "rm -rf %s", dir);
    CHECK(system(sql) == 0);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    if (ddb_test_store_open() != 0)
        return 1;
    c.pool = &pool;
    c.account = "111122223333";
    c.region = "us-east-1";
    ddb_stream_start();
    test_seq_text();
    test_records_and_api();
    ddb_stream_stop();
    ddb_store_close();
    test_migrated_records();
    ddb_test_cleanup();
    return check_summary();
}
