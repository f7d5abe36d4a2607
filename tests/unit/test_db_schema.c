/* test_db_schema.c - each service's schema, built the two ways storage/db.c builds it: by its
 * migrations one after another (an older file) and in one piece from `current` (a new file).
 * Both must give the same tables, columns (types, NOT NULL, defaults, keys), WITHOUT ROWID
 * tables, AUTOINCREMENT, indexes (columns, uniqueness, WHERE clauses). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "storage/ddb_store.h"
#include "storage/lambda_store.h"
#include "storage/sqs_store.h"

/* One line per schema fact, sorted, so that two databases compare as strings. */
static const char DESCRIBE[] =
    "SELECT group_concat(line, char(10)) FROM (SELECT line FROM ("
    " SELECT m.type || ' ' || m.name || ' on ' || m.tbl_name || ' ai=' || (m.sql LIKE '%AUTOINCREMENT%') AS line"
    "  FROM sqlite_master m"
    " UNION ALL SELECT 'col ' || m.name || '.' || p.name || ' ' || p.type || ' nn=' || p.\"notnull\" || ' d='"
    "  || ifnull(p.dflt_value, '-') || ' pk=' || p.pk FROM sqlite_master m, pragma_table_xinfo(m.name) p"
    "  WHERE m.type = 'table'"
    " UNION ALL SELECT 'tab ' || name || ' wr=' || wr || ' ncol=' || ncol FROM pragma_table_list WHERE schema = 'main'"
    " UNION ALL SELECT 'ix ' || m.name || ' ' || l.name || ' u=' || l.\"unique\" || ' ' || l.origin || ' p=' || l.partial"
    "  FROM sqlite_master m, pragma_index_list(m.name) l WHERE m.type = 'table'"
    " UNION ALL SELECT 'ixcol ' || m.name || ' ' || i.seqno || ' ' || ifnull(i.name, '-') || ' desc=' || i.desc || ' key='"
    "  || i.key FROM sqlite_master m, pragma_index_xinfo(m.name) i WHERE m.type = 'index'"
    " UNION ALL SELECT 'where ' || name || substr(sql, instr(sql, ' WHERE ')) FROM sqlite_master"
    "  WHERE type = 'index' AND sql LIKE '% WHERE %'"
    ") ORDER BY line)";

/* The schema facts of a new in-memory database after the scripts, or NULL on an SQL error. */
static char *build(const char *const *scripts, int n)
{
    sqlite3 *db;
    char *out = NULL, *err = NULL;
    sqlite3_open(":memory:", &db);
    for (int i = 0; i < n; i++)
        if (sqlite3_exec(db, scripts[i], NULL, NULL, &err) != SQLITE_OK) {
            printf("script %d: %s\n", i + 1, err);
            sqlite3_free(err);
            sqlite3_close(db);
            return NULL;
        }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, DESCRIBE, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    else
        printf("describe: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void same_both_ways(const char *name, const db_schema_t *s)
{
    char *migrated = build(s->migrations, s->count);
    char *current = build(&s->current, 1);
    CHECK(migrated && current, "%s: both build", name);
    if (migrated && current) {
        CHECK(strcmp(migrated, current) == 0, "%s: migrations and current differ:\n--- migrated\n%s\n--- current\n%s", name,
              migrated, current);
        CHECK(strstr(current, "col ") != NULL, "%s: the description lists columns", name);
    }
    free(migrated);
    free(current);
}

int main(void)
{
    same_both_ways("sqs", &sqs_store_schema);
    same_both_ways("dynamodb", &ddb_store_schema);
    same_both_ways("lambda", &lambda_store_schema);
    /* the comparison sees a difference: a column default */
    const char *a = "CREATE TABLE t(x INTEGER NOT NULL DEFAULT 0);", *b = "CREATE TABLE t(x INTEGER NOT NULL DEFAULT 1);";
    char *da = build(&a, 1), *dbb = build(&b, 1);
    CHECK(da && dbb && strcmp(da, dbb) != 0, "a changed default is seen");
    free(da);
    free(dbb);
    return check_summary();
}
