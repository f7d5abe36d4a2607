/* test_sqs_store.c - unit tests for storage/sqs_store.c: migrations 2-5 on a data dir written
 * by schema 1 (a FIFO message without a deduplication id stays receivable; each queue's bucket
 * is its id), FIFO and standard candidate order, moves into a FIFO queue, inserts and receives of
 * several rows (a new row reserves the bytes its first receive adds: migration 3), the retention
 * sweep, the counts kept per bucket (and forgotten on a rollback), a FIFO receive's two walks (by seq
 * and by group) giving SQS's order, and purged and deleted queues' buckets emptied in batches. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "storage/db.h"
#include "storage/schemas.h"
#include "storage/sqs_store.h"

/* Rows as schema 1 (sqs_store_schema.migrations[0], frozen as it shipped) wrote them. */
static const char *const v1_rows =
    "INSERT INTO queues VALUES (1, 'a', 'r', 'f.fifo', 1, '{}', '{}', 0, 0, 0), (2, 'a', 'r', 's', 0, '{}', '{}', 0, 0, 0);"
    "INSERT INTO messages (seq, queue_id, msg_id, body, md5_body, sent, visible_at, group_id, dedup_id) VALUES"
    " (1, 1, 'm1', 'one', 'x', 10, 10, 'g', 'd1'), (2, 2, 'm2', 'two', 'x', 10, 10, NULL, NULL),"
    " (3, 1, 'm3', 'three', 'x', 10, 10, 'h', NULL);"
    "PRAGMA user_version=1;";

/* The message ids a candidate read streams, joined by commas. */
static char seen[256];

static void collect(const sqs_store_msg_t *m, void *arg)
{
    (void)arg;
    if (seen[0])
        strcat(seen, ",");
    strcat(seen, m->msg_id);
}

static const char *candidates(int64_t queue_id, int fifo, int64_t now)
{
    seen[0] = '\0';
    CHECK(sqs_store_candidates(queue_id, fifo, now, 10, collect, NULL) >= 0);
    return seen;
}

static char db_path[512];

/* The first column of sql's first row, read on a connection of its own (as the checkpointer's). */
static long long count_sql(const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, DB_VFS) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

static void insert(int64_t seq, int64_t queue_id, const char *id, int64_t sent, int64_t visible_at, const char *dedup)
{
    sqs_store_msg_t m = {.seq = seq,
                         .queue_id = queue_id,
                         .msg_id = id,
                         .body = id,
                         .body_len = strlen(id),
                         .md5_body = "x",
                         .sent = sent,
                         .visible_at = visible_at,
                         .group_id = dedup ? "g" : NULL,
                         .dedup_id = dedup};
    CHECK(sqs_store_msg_insert(&m, 1) == 0, "insert %s", id);
}

static void test_migration(const char *dir)
{
    char path[512], err[256];
    snprintf(path, sizeof(path), "%s/sqs.db", dir);
    snprintf(db_path, sizeof(db_path), "%s", path);
    sqlite3 *h;
    CHECK(sqlite3_open(path, &h) == SQLITE_OK && sqlite3_exec(h, sqs_store_schema.migrations[0], NULL, NULL, NULL) == SQLITE_OK &&
          sqlite3_exec(h, v1_rows, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(h);
    CHECK(sqs_store_open(dir, 0, 0, err, sizeof(err)) == 0, "%s", err);
    CHECK(count_sql("SELECT count(*) FROM queues WHERE bucket = id") == 2, "migration 5: each queue's bucket is its id");
    CHECK_STR(candidates(1, 1, 100), "m1,m3");
    CHECK_STR(candidates(2, 0, 100), "m2");
    CHECK(sqs_store_max_seq() == 3);
    CHECK(count_sql("SELECT count(*) FROM bodies WHERE body IN ('one', 'two', 'three')") == 3, "migration 6: the bodies moved");
}

/* Every message has its body and every body its message (moves, expiry and drops delete them with the row). */
static void bodies_match(const char *after)
{
    CHECK(count_sql("SELECT count(*) FROM bodies WHERE seq NOT IN (SELECT seq FROM messages)") == 0, "%s: a body left", after);
    CHECK(count_sql("SELECT count(*) FROM messages WHERE seq NOT IN (SELECT seq FROM bodies)") == 0, "%s: a body missing", after);
}

static void test_order_and_moves(void)
{
    CHECK(sqs_store_write_begin() == 0);
    insert(10, 2, "late", 20, 50, NULL);
    insert(11, 2, "early", 20, 30, NULL);
    insert(12, 1, "f4", 20, 20, "d4");
    /* a standard message moved into the FIFO queue gets its message id as deduplication id */
    CHECK(sqs_store_msg_move(2, 2, 13, 1, 40, NULL, NULL, 1) == 0);
    /* a redriven message is a new one: its new id */
    CHECK(sqs_store_msg_move(2, 10, 14, 5, 40, NULL, "n1", 0) == 0);
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK_STR(candidates(5, 0, 100), "n1");
    CHECK_STR(candidates(2, 0, 100), "early");
    /* the oldest message's group (g: m1, f4) first, then the other groups by seq (h: m3; none: m2) */
    CHECK_STR(candidates(1, 1, 100), "m1,f4,m3,m2");
    seen[0] = '\0';
    CHECK(sqs_store_candidates(1, 1, 100, 2, collect, NULL) == 2);
    CHECK_STR(seen, "m1,f4");
    CHECK_STR(candidates(1, 1, 15), "m1,m3"); /* the moved message is visible from the move on */
    bodies_match("moves");
}

/* Several rows in one insert (one that fails leaves nothing once the write is rolled back),
 * and received by one update. */
static void test_multi_insert(void)
{
    sqs_store_msg_t rows[3] = {
        {.seq = 30, .queue_id = 4, .msg_id = "r1", .body = "1", .body_len = 1, .md5_body = "x", .sent = 1, .visible_at = 1},
        {.seq = 31, .queue_id = 4, .msg_id = "r2", .body = "2", .body_len = 1, .md5_body = "x", .sent = 1, .visible_at = 2},
        {.seq = 30, .queue_id = 4, .msg_id = "r3", .body = "3", .body_len = 1, .md5_body = "x", .sent = 1, .visible_at = 3},
    };
    CHECK(sqs_store_write_begin() == 0);
    CHECK(sqs_store_msg_insert(rows, 3) != 0, "a repeated seq fails the insert");
    sqs_store_write_end(0);
    db_commit_turn();
    CHECK_STR(candidates(4, 0, 100), "");
    CHECK(sqs_store_write_begin() == 0);
    CHECK(sqs_store_msg_insert(rows, 2) == 0);
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK_STR(candidates(4, 0, 100), "r1,r2");
    CHECK(count_sql("SELECT count(*) FROM messages WHERE queue_id = 4 AND length(pad) = 21") == 2, "a new row reserves 21 bytes");
    /* both received by one statement: tokens base + seq, in flight, counted */
    int64_t seqs[] = {30, 31}, token, visible_at, recv_at;
    int count;
    CHECK(sqs_store_write_begin() == 0);
    CHECK(sqs_store_msg_receive(seqs, 2, 1000, 50, 80) == 0);
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK(sqs_store_msg_state(4, 31, &token, &visible_at, &recv_at, &count) == 1 && token == 1031 && visible_at == 80 &&
          recv_at == 50 && count == 1);
    CHECK_STR(candidates(4, 0, 79), "");
    CHECK(count_sql("SELECT count(*) FROM messages WHERE queue_id = 4 AND pad IS NULL") == 2, "the first receive takes them");
}

static void test_expire(void)
{
    CHECK(sqs_store_write_begin() == 0);
    insert(20, 3, "old", 100, 100, NULL);
    insert(21, 3, "old-inflight", 100, 900, NULL);
    insert(22, 3, "new", 600, 600, NULL);
    CHECK(sqs_store_expire(3, 500, 1000) == 1, "only the message visible since before the cutoff");
    CHECK(sqs_store_expire(3, 1000, 1000) == 2, "the in-flight one once its visibility ends before the cutoff, and the newer one");
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK_STR(candidates(3, 0, 2000), "");
    bodies_match("expiry");
}

/* A FIFO queue of three groups, one in flight: the oldest available message's group, then the others' messages by
 * seq. */
static void test_fifo_groups(void)
{
    const char *rows[][2] = {{"a", "a1"}, {"b", "b1"}, {"c", "c1"}, {"d", "d1"}, {"b", "b2"},
                             {"a", "a2"}, {"c", "c2"}, {"d", "d2"}, {"b", "b3"}};
    CHECK(sqs_store_write_begin() == 0);
    for (int i = 0; i < 9; i++) {
        sqs_store_msg_t m = {.seq = 200 + i,
                             .queue_id = 8,
                             .msg_id = rows[i][1],
                             .body = "x",
                             .body_len = 1,
                             .md5_body = "x",
                             .sent = 10,
                             .visible_at = 10,
                             .group_id = rows[i][0],
                             .dedup_id = rows[i][1]};
        CHECK(sqs_store_msg_insert(&m, 1) == 0);
    }
    CHECK_STR(candidates(8, 1, 100), "a1,a2,b1,c1,d1,b2,c2,d2,b3");
    int64_t in_flight = 200;
    CHECK(sqs_store_msg_receive(&in_flight, 1, 7, 100, 9999) == 0); /* group a in flight */
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK_STR(candidates(8, 1, 150), "b1,b2,b3,c1,d1,c2,d2");
    seen[0] = '\0';
    CHECK(sqs_store_candidates(8, 1, 150, 4, collect, NULL) == 4);
    CHECK_STR(seen, "b1,b2,b3,c1");
    seen[0] = '\0';
    CHECK(sqs_store_candidates(8, 1, 150, 5, collect, NULL) == 5);
    CHECK_STR(seen, "b1,b2,b3,c1,d1");
    seen[0] = '\0';
    CHECK(sqs_store_candidates(8, 1, 150, 2, collect, NULL) == 2);
    CHECK_STR(seen, "b1,b2");
}

/* ---- a FIFO receive's two walks (sqs_store.c fifo_candidates) against SQS's order worked out here ---- */
#define WALK_ROWS 1200
#define WALK_GROUPS 400

typedef struct {
    int group, delayed;
} walk_row_t;

static walk_row_t wrows[WALK_ROWS];
static int (*walk_locked)(int group);

static int walk_available(int i)
{
    return !wrows[i].delayed && !walk_locked(wrows[i].group);
}

/* The ids of up to max messages in SQS's order: the oldest available row, the rest of its group, then the other
 * available rows by seq. */
static void walk_expected(int n, int max, char *out)
{
    int first = 0, got = 0;
    out[0] = '\0';
    while (first < n && !walk_available(first))
        first++;
    for (int pass = 0; pass < 2 && first < n; pass++)
        for (int i = first; i < n && got < max; i++)
            if (walk_available(i) && (wrows[i].group == wrows[first].group) == (pass == 0))
                sprintf(out + strlen(out), "%sw%d", got++ ? "," : "", i);
}

/* n rows in bucket, row i in group group(i) (every group two rows or more), every ninth row delayed; the groups
 * for which locked() holds have their first undelayed row in flight. Then each max's candidates against
 * walk_expected. */
static void walk_case(int64_t bucket, int n, int (*group)(int i), int (*locked)(int g))
{
    static char ids[WALK_ROWS][16], names[WALK_ROWS][16];
    static char want[WALK_ROWS * 8];
    int received[WALK_GROUPS] = {0};
    walk_locked = locked;
    CHECK(sqs_store_write_begin() == 0);
    for (int i = 0; i < n; i++) {
        wrows[i] = (walk_row_t){group(i), i % 9 == 8};
        snprintf(ids[i], sizeof(ids[i]), "w%d", i);
        snprintf(names[i], sizeof(names[i]), "%c%03d", 'z' - wrows[i].group * 7 % 26, wrows[i].group); /* not in seq order */
        sqs_store_msg_t m = {.seq = bucket * 10000 + i,
                             .queue_id = bucket,
                             .msg_id = ids[i],
                             .body = "x",
                             .body_len = 1,
                             .md5_body = "x",
                             .sent = 10,
                             .visible_at = wrows[i].delayed ? 9999 : 10,
                             .group_id = names[i],
                             .dedup_id = ids[i]};
        CHECK(sqs_store_msg_insert(&m, 1) == 0);
    }
    for (int i = 0; i < n; i++) {
        int64_t seq = bucket * 10000 + i;
        if (!wrows[i].delayed && locked(wrows[i].group) && !received[wrows[i].group]++)
            CHECK(sqs_store_msg_receive(&seq, 1, 7, 100, 9999) == 0);
    }
    sqs_store_write_end(1);
    db_commit_turn();
    int maxes[] = {1, 2, 4, 10};
    for (int k = 0; k < 4; k++) {
        walk_expected(n, maxes[k], want);
        seen[0] = '\0';
        CHECK(sqs_store_candidates(bucket, 1, 150, maxes[k], collect, NULL) >= 0);
        CHECK_STR(seen, want);
    }
}

static int blocks_of_30(int i)
{
    return i / 30;
}
static int blocks_then_mixed(int i)
{
    return i < 900 ? i / 30 : i < 903 ? 30 + (i == 901) : 31 + i % 8;
}
static int blocks_of_400(int i)
{
    return i / 400;
}
static int round_robin_300(int i)
{
    return i % 300;
}
static int first_30(int g)
{
    return g < 30;
}
static int first_2(int g)
{
    return g < 2;
}
static int every_third(int g)
{
    return g % 3 != 1;
}
static int none(int g)
{
    return g < 0;
}

/* 30 groups of 30 sent one after another and in flight, then 9 groups sent in turn, the oldest of them with two
 * messages (900 rows before the first available: the walk by group answers, its first group then the others by
 * seq); 3 groups of 400, 2 in flight (the walk by group, at its first turn); 300 groups of 4 sent in turn, two
 * thirds in flight (the walk by seq); and nothing in flight. */
static void test_fifo_walks(void)
{
    walk_case(9, 1200, blocks_then_mixed, first_30);
    walk_case(10, 1200, blocks_of_400, first_2);
    walk_case(11, 1200, round_robin_300, every_third);
    walk_case(12, 1200, blocks_of_30, none);
}

/* Checks bucket's counts at now. */
static void counts_are(int64_t bucket, int64_t now, int64_t visible, int64_t inflight, int64_t delayed)
{
    int64_t v = -1, i = -1, d = -1;
    CHECK(sqs_store_counts(bucket, now, &v, &i, &d) == 0 && v == visible && i == inflight && d == delayed,
          "bucket %lld at %lld: %lld/%lld/%lld, want %lld/%lld/%lld", (long long)bucket, (long long)now, (long long)v, (long long)i,
          (long long)d, (long long)visible, (long long)inflight, (long long)delayed);
}

static void test_counts(void)
{
    counts_are(4, 50, 0, 2, 0); /* test_multi_insert's two, in flight until 80 */
    counts_are(4, 100, 2, 0, 0);
    CHECK(sqs_store_write_begin() == 0);
    insert(40, 4, "c1", 60, 60, NULL);
    insert(41, 4, "c2", 60, 500, NULL);
    sqs_store_write_end(1);
    counts_are(4, 100, 3, 0, 1); /* the kept total moved with the inserts */
    CHECK(sqs_store_write_begin() == 0);
    CHECK(sqs_store_msg_delete_received(4, 40, 0) == 0 && sqs_store_msg_delete(4, 41) == 0);
    counts_are(4, 100, 2, 0, 0);
    sqs_store_write_end(0); /* rolled back: the deletes did not happen, and the kept totals are forgotten */
    counts_are(4, 100, 3, 0, 1);
    db_commit_turn();
}

/* The rows of bucket, read on a connection of its own. */
static long long rows_of(int64_t bucket)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM messages WHERE queue_id = %lld", (long long)bucket);
    return count_sql(sql);
}

static void test_purge_and_delete(void)
{
    sqs_store_queue_t q = {.account = "a", .region = "r", .name = "p", .attrs = "{}", .tags = "{}"};
    int64_t fresh = 0;
    int deleted = 0, found;
    CHECK(sqs_store_write_begin() == 0);
    /* the buckets the tests above used without queues (3 to 5) go to queues first */
    const char *names[] = {"b3", "b4", "b5"};
    for (int i = 0; i < 3; i++) {
        sqs_store_queue_t b = q;
        b.name = names[i];
        CHECK(sqs_store_queue_insert(&b) == 0 && b.bucket == 3 + i, "%s: bucket %lld", names[i], (long long)b.bucket);
    }
    CHECK(sqs_store_queue_insert(&q) == 0 && q.bucket == 6, "a new queue's bucket is above every other: %lld", (long long)q.bucket);
    for (int i = 0; i < 5; i++)
        insert(50 + i, q.bucket, "p", 1, 1, NULL);
    CHECK(sqs_store_queue_purge(q.id, q.bucket, 1000, &fresh) == 0 && fresh == 7);
    insert(60, fresh, "after", 1, 1, NULL);
    sqs_store_write_end(1);
    db_commit_turn();
    counts_are(fresh, 100, 1, 0, 0);
    CHECK(rows_of(6) == 5 && count_sql("SELECT count(*) FROM dropped_buckets WHERE bucket = 6") == 1, "purged: rows still there");
    CHECK(sqs_store_write_begin() == 0);
    CHECK(sqs_store_drop_some(2, &deleted) == 1 && deleted == 2);
    CHECK(sqs_store_drop_some(2, &deleted) == 1 && deleted == 2);
    CHECK(sqs_store_drop_some(2, &deleted) == 1 && deleted == 1, "the last row, and the bucket forgotten");
    CHECK(sqs_store_drop_some(2, &deleted) == 0 && deleted == 0, "nothing left");
    CHECK(sqs_store_queue_delete(q.id, fresh) == 0);
    found = sqs_store_drop_some(10, &deleted);
    CHECK(found == 1 && deleted == 1, "DeleteQueue dropped its bucket");
    sqs_store_write_end(1);
    db_commit_turn();
    CHECK(rows_of(6) == 0 && rows_of(7) == 0 && count_sql("SELECT count(*) FROM dropped_buckets") == 0);
    CHECK(count_sql("SELECT count(*) FROM queues WHERE name = 'p'") == 0);
    bodies_match("purge and delete");
}

int main(void)
{
    char dir[] = "/tmp/test_sqs_store.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    test_migration(dir);
    test_order_and_moves();
    test_multi_insert();
    test_expire();
    test_counts();
    test_fifo_groups();
    test_fifo_walks();
    test_purge_and_delete();
    sqs_store_close();
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_summary();
}
