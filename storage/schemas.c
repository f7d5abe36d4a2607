/* schemas.c - the SQLite schema of every service's database (see schemas.h): per database, migrations[v]
 * takes a file from version v to v+1 (frozen as shipped: a data dir of any older version replays them), and
 * `current` builds the last version in one piece. tests/unit/test_db_schema.c checks that both roads, and the
 * build-time image of `current` (db_image.h), describe the same schema. */
#include "schemas.h"

#include <stddef.h>

static const char *const sqs_migrations[] = {
    "CREATE TABLE queues (id INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
    " fifo INTEGER NOT NULL, attrs TEXT NOT NULL, tags TEXT NOT NULL, created INTEGER NOT NULL,"
    " modified INTEGER NOT NULL, purged INTEGER NOT NULL DEFAULT 0, UNIQUE (account, region, name));"
    "CREATE TABLE messages (seq INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL, msg_id TEXT NOT NULL,"
    " body BLOB NOT NULL, attrs TEXT, md5_body TEXT NOT NULL, md5_attrs TEXT, trace TEXT, md5_sys TEXT,"
    " sender TEXT, sent INTEGER NOT NULL, first_recv INTEGER NOT NULL DEFAULT 0, recv_at INTEGER NOT NULL DEFAULT 0,"
    " visible_at INTEGER NOT NULL, token INTEGER NOT NULL DEFAULT 0, recv_count INTEGER NOT NULL DEFAULT 0,"
    " group_id TEXT, dedup_id TEXT, dlq_source TEXT);"
    "CREATE INDEX messages_visible ON messages (queue_id, visible_at);"
    "CREATE INDEX messages_queue ON messages (queue_id);"
    "CREATE INDEX messages_group ON messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;"
    "CREATE TABLE dedup (queue_id INTEGER NOT NULL, key TEXT NOT NULL, msg_id TEXT NOT NULL, seqnum TEXT,"
    " expires INTEGER NOT NULL, PRIMARY KEY (queue_id, key)) WITHOUT ROWID;"
    "CREATE INDEX dedup_expires ON dedup (expires);"
    "CREATE TABLE move_tasks (handle TEXT PRIMARY KEY, source_arn TEXT NOT NULL, dest_arn TEXT, rate INTEGER,"
    " status TEXT NOT NULL, moved INTEGER NOT NULL, to_move INTEGER NOT NULL, started INTEGER NOT NULL,"
    " failure TEXT);",
    /* 2: messages_queue (queue_id, seq) served only FIFO receives (and the sweep), yet every
     * send, receive and delete of every queue wrote it: a third page per commit. It becomes
     * partial, FIFO rows only (a FIFO queue's messages always carry a deduplication id). */
    "DROP INDEX messages_queue;"
    "UPDATE messages SET dedup_id = msg_id WHERE dedup_id IS NULL AND queue_id IN (SELECT id FROM queues WHERE fifo);"
    "CREATE INDEX messages_fifo ON messages (queue_id) WHERE dedup_id IS NOT NULL;",
    /* 3: a message's first receive writes 20 more bytes into its row (token, recv_at, first_recv
     * were zeros, which take no bytes). Rows sent in a run fill their leaf pages, so each first
     * receive split a page: 5.2 pages per receive of 10 on a deep queue, 2.3 on a shallow one. A
     * new row reserves the bytes in `pad`, which the first receive empties. */
    "ALTER TABLE messages ADD COLUMN pad BLOB;",
    /* 4: a FIFO receive fills from the oldest available message's group first, as SQS does: that group's
     * messages in order, read from its oldest on (storage/sqs_store.c fifo_candidates). */
    "CREATE INDEX messages_group_seq ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;",
    /* 5: PurgeQueue and DeleteQueue deleted a queue's messages in one statement: seconds on a deep queue,
     * with every other request waiting. Messages now carry their queue's bucket in queue_id (its id until
     * then); a purge gives the queue a new bucket, and the rows of dropped buckets go in the background. */
    "ALTER TABLE queues ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;"
    "UPDATE queues SET bucket = id;"
    "CREATE TABLE dropped_buckets (bucket INTEGER PRIMARY KEY);",
    /* 6: what a message was sent with moves to `bodies`; `messages` keeps what receives change, ~50 bytes a row
     * (250 with a body of 100). A receive of 10 on a deep queue dirtied ~3 pages no receive before it had, each
     * of them copied by the checkpointer; ~0.6 now. A row's body goes with it (trigger messages_gone). */
    "CREATE TABLE bodies (seq INTEGER PRIMARY KEY, msg_id TEXT NOT NULL, body BLOB NOT NULL, attrs TEXT,"
    " md5_body TEXT NOT NULL, md5_attrs TEXT, trace TEXT, md5_sys TEXT, sender TEXT, dlq_source TEXT);"
    "INSERT INTO bodies SELECT seq, msg_id, body, attrs, md5_body, md5_attrs, trace, md5_sys, sender, dlq_source"
    " FROM messages;"
    "CREATE TABLE messages_new (seq INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL, sent INTEGER NOT NULL,"
    " first_recv INTEGER NOT NULL DEFAULT 0, recv_at INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL,"
    " token INTEGER NOT NULL DEFAULT 0, recv_count INTEGER NOT NULL DEFAULT 0, group_id TEXT, dedup_id TEXT, pad BLOB);"
    "INSERT INTO messages_new SELECT seq, queue_id, sent, first_recv, recv_at, visible_at, token, recv_count, group_id,"
    " dedup_id, pad FROM messages;"
    "DROP TABLE messages;"
    "ALTER TABLE messages_new RENAME TO messages;"
    "CREATE INDEX messages_visible ON messages (queue_id, visible_at);"
    "CREATE INDEX messages_group ON messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;"
    "CREATE INDEX messages_fifo ON messages (queue_id) WHERE dedup_id IS NOT NULL;"
    "CREATE INDEX messages_group_seq ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;"
    "CREATE TRIGGER messages_gone AFTER DELETE ON messages BEGIN DELETE FROM bodies WHERE seq = old.seq; END;",
};

const db_schema_t sqs_store_schema =
    DB_SCHEMA("sqs", 1024, sqs_migrations,
              "CREATE TABLE queues (id INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
              " fifo INTEGER NOT NULL, attrs TEXT NOT NULL, tags TEXT NOT NULL, created INTEGER NOT NULL,"
              " modified INTEGER NOT NULL, purged INTEGER NOT NULL DEFAULT 0, bucket INTEGER NOT NULL DEFAULT 0,"
              " UNIQUE (account, region, name));"
              "CREATE TABLE dropped_buckets (bucket INTEGER PRIMARY KEY);"
              "CREATE TABLE messages (seq INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL, sent INTEGER NOT NULL,"
              " first_recv INTEGER NOT NULL DEFAULT 0, recv_at INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL,"
              " token INTEGER NOT NULL DEFAULT 0, recv_count INTEGER NOT NULL DEFAULT 0, group_id TEXT, dedup_id TEXT,"
              " pad BLOB);"
              "CREATE TABLE bodies (seq INTEGER PRIMARY KEY, msg_id TEXT NOT NULL, body BLOB NOT NULL, attrs TEXT,"
              " md5_body TEXT NOT NULL, md5_attrs TEXT, trace TEXT, md5_sys TEXT, sender TEXT, dlq_source TEXT);"
              "CREATE TRIGGER messages_gone AFTER DELETE ON messages BEGIN DELETE FROM bodies WHERE seq = old.seq; END;"
              "CREATE INDEX messages_visible ON messages (queue_id, visible_at);"
              "CREATE INDEX messages_group ON messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;"
              "CREATE TABLE dedup (queue_id INTEGER NOT NULL, key TEXT NOT NULL, msg_id TEXT NOT NULL, seqnum TEXT,"
              " expires INTEGER NOT NULL, PRIMARY KEY (queue_id, key)) WITHOUT ROWID;"
              "CREATE INDEX dedup_expires ON dedup (expires);"
              "CREATE TABLE move_tasks (handle TEXT PRIMARY KEY, source_arn TEXT NOT NULL, dest_arn TEXT, rate INTEGER,"
              " status TEXT NOT NULL, moved INTEGER NOT NULL, to_move INTEGER NOT NULL, started INTEGER NOT NULL,"
              " failure TEXT);"
              "CREATE INDEX messages_fifo ON messages (queue_id) WHERE dedup_id IS NOT NULL;"
              "CREATE INDEX messages_group_seq ON messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;");

static const char *const ddb_migrations[] = {
    "CREATE TABLE tables(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,"
    " name TEXT NOT NULL, meta TEXT NOT NULL, ttl_attr TEXT, item_count INTEGER NOT NULL DEFAULT 0,"
    " size_bytes INTEGER NOT NULL DEFAULT 0, UNIQUE(account, region, name));"
    "CREATE TABLE items(owner INTEGER NOT NULL, ph INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
    " item TEXT NOT NULL, size INTEGER NOT NULL, ttl INTEGER, PRIMARY KEY(owner, ph, pk, sk)) WITHOUT ROWID;"
    "CREATE INDEX items_ttl ON items(owner, ttl) WHERE ttl IS NOT NULL;"
    "CREATE TABLE index_ids(id INTEGER PRIMARY KEY AUTOINCREMENT, table_id INTEGER NOT NULL);"
    "CREATE TABLE entries(owner INTEGER NOT NULL, ph INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
    " tpk BLOB NOT NULL, tsk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL,"
    " PRIMARY KEY(owner, ph, pk, sk, tpk, tsk)) WITHOUT ROWID;"
    "CREATE TABLE txn_tokens(account TEXT NOT NULL, region TEXT NOT NULL, token TEXT NOT NULL, hash TEXT NOT NULL,"
    " response TEXT NOT NULL, expires_ms INTEGER NOT NULL, PRIMARY KEY(account, region, token)) WITHOUT ROWID;",
    /* DynamoDB Streams (storage/ddb_stream_store.c): in this database so a record commits with its write. */
    "CREATE TABLE streams(id INTEGER PRIMARY KEY AUTOINCREMENT, table_id INTEGER NOT NULL, account TEXT NOT NULL,"
    " region TEXT NOT NULL, table_name TEXT NOT NULL, label TEXT NOT NULL, arn TEXT NOT NULL, view_type TEXT NOT NULL,"
    " key_schema TEXT NOT NULL, created_ms INTEGER NOT NULL, start_seq INTEGER NOT NULL, end_seq INTEGER, closed_ms INTEGER,"
    " trim_seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX streams_arn ON streams(arn);"
    "CREATE INDEX streams_table ON streams(table_id, label);"
    "CREATE TABLE stream_records(stream_id INTEGER NOT NULL, seq INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
    " by_service INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY(stream_id, seq)) WITHOUT ROWID;",
    /* Per-index counters, kept by every entry write, so DescribeTable does not count entries. */
    "ALTER TABLE index_ids ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE index_ids ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;"
    "UPDATE index_ids SET item_count=(SELECT count(*) FROM entries WHERE owner=index_ids.id),"
    " size_bytes=(SELECT coalesce(sum(size), 0) FROM entries WHERE owner=index_ids.id);",
    /* The counters live in memory now (services/dynamodb/ddb_counts.c). */
    "ALTER TABLE tables DROP COLUMN item_count; ALTER TABLE tables DROP COLUMN size_bytes;"
    "ALTER TABLE index_ids DROP COLUMN item_count; ALTER TABLE index_ids DROP COLUMN size_bytes;",
    /* Stream records under one integer key, the stream id above the sequence number (ddb_stream_store.c): a stream's
     * records are one key range, and a write to the newest stream appends at the end of the table (no index to keep,
     * no page split in two). */
    "CREATE TABLE stream_records_new(key INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, by_service INTEGER NOT NULL,"
    " record TEXT NOT NULL);"
    "INSERT INTO stream_records_new SELECT (stream_id << 40) | seq, created_ms, by_service, record FROM stream_records"
    " ORDER BY stream_id, seq;"
    "DROP TABLE stream_records; ALTER TABLE stream_records_new RENAME TO stream_records;",
    /* On-demand backups (services/dynamodb/ddb_backup.c): the source table's definition and a description in `doc`;
     * the copied items live in items under owner DDB_BACKUP_OWNER(id) (storage/ddb_store.h). */
    "CREATE TABLE backups(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,"
    " arn TEXT NOT NULL UNIQUE, table_name TEXT NOT NULL, created_ms INTEGER NOT NULL, doc TEXT NOT NULL);",
};

const db_schema_t ddb_store_schema = DB_SCHEMA(
    "dynamodb", 2048, ddb_migrations,
    "CREATE TABLE tables(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,"
    " name TEXT NOT NULL, meta TEXT NOT NULL, ttl_attr TEXT, UNIQUE(account, region, name));"
    "CREATE TABLE items(owner INTEGER NOT NULL, ph INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
    " item TEXT NOT NULL, size INTEGER NOT NULL, ttl INTEGER, PRIMARY KEY(owner, ph, pk, sk)) WITHOUT ROWID;"
    "CREATE INDEX items_ttl ON items(owner, ttl) WHERE ttl IS NOT NULL;"
    "CREATE TABLE index_ids(id INTEGER PRIMARY KEY AUTOINCREMENT, table_id INTEGER NOT NULL);"
    "CREATE TABLE entries(owner INTEGER NOT NULL, ph INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
    " tpk BLOB NOT NULL, tsk BLOB NOT NULL, item TEXT NOT NULL, size INTEGER NOT NULL,"
    " PRIMARY KEY(owner, ph, pk, sk, tpk, tsk)) WITHOUT ROWID;"
    "CREATE TABLE txn_tokens(account TEXT NOT NULL, region TEXT NOT NULL, token TEXT NOT NULL, hash TEXT NOT NULL,"
    " response TEXT NOT NULL, expires_ms INTEGER NOT NULL, PRIMARY KEY(account, region, token)) WITHOUT ROWID;"
    "CREATE TABLE streams(id INTEGER PRIMARY KEY AUTOINCREMENT, table_id INTEGER NOT NULL, account TEXT NOT NULL,"
    " region TEXT NOT NULL, table_name TEXT NOT NULL, label TEXT NOT NULL, arn TEXT NOT NULL, view_type TEXT NOT NULL,"
    " key_schema TEXT NOT NULL, created_ms INTEGER NOT NULL, start_seq INTEGER NOT NULL, end_seq INTEGER, closed_ms INTEGER,"
    " trim_seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX streams_arn ON streams(arn);"
    "CREATE INDEX streams_table ON streams(table_id, label);"
    "CREATE TABLE stream_records(key INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, by_service INTEGER NOT NULL,"
    " record TEXT NOT NULL);"
    "CREATE TABLE backups(id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,"
    " arn TEXT NOT NULL UNIQUE, table_name TEXT NOT NULL, created_ms INTEGER NOT NULL, doc TEXT NOT NULL);");

static const char *const lambda_migrations[] = {
    "CREATE TABLE functions (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,"
    " PRIMARY KEY (account, region, name));"
    "CREATE TABLE code (hex TEXT PRIMARY KEY, zip BLOB NOT NULL);"
    "CREATE TABLE mappings (uuid TEXT PRIMARY KEY, doc TEXT NOT NULL);",
    /* 2: a stream mapping's checkpoint (the sequence number of the last record done, "" = none), written apart from
     * the document because it moves with every batch */
    "ALTER TABLE mappings ADD COLUMN position TEXT NOT NULL DEFAULT '';",
    /* 3: layers (services/lambda/lambda_layer.c): one JSON document per layer name, its versions and the number the
     * next one takes (never reused), kept when its last version is deleted; the zips live in `code` */
    "CREATE TABLE layers (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,"
    " PRIMARY KEY (account, region, name));",
    /* 4: code signing configurations (services/lambda/lambda_csc.c): one JSON document per configuration, by its id
     * (csc-...); the rowid keeps creation order, ListCodeSigningConfigs's */
    "CREATE TABLE code_signing_configs (account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
    " UNIQUE (account, region, id));",
};

const db_schema_t lambda_store_schema =
    DB_SCHEMA("lambda", 4096, lambda_migrations,
              "CREATE TABLE functions (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,"
              " PRIMARY KEY (account, region, name));"
              "CREATE TABLE code (hex TEXT PRIMARY KEY, zip BLOB NOT NULL);"
              "CREATE TABLE mappings (uuid TEXT PRIMARY KEY, doc TEXT NOT NULL, position TEXT NOT NULL DEFAULT '');"
              "CREATE TABLE layers (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,"
              " PRIMARY KEY (account, region, name));"
              "CREATE TABLE code_signing_configs (account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,"
              " UNIQUE (account, region, id));");

const db_schema_t *const schemas_all[] = {&sqs_store_schema, &ddb_store_schema, &lambda_store_schema, NULL};
