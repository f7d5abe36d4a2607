"""DynamoDB with the aws CLIs: v1 (python3 -m awscli, JSON 1.0) and v2 (/usr/bin/aws): tables, waiters,
items, queries, scans with the CLI's own pagination, batches, transactions, error output, and a GSI with a
multi-attribute key."""
import json

from harness import Checks, Server

check = Checks()

with Server() as s:
    for v2 in (False, True):
        tag = "v2" if v2 else "v1"
        table = "Cli" + tag

        def cli(*args, check_rc=True):
            return s.cli("dynamodb", *args, v2=v2, check=check_rc)

        _, out, _ = cli("create-table", "--table-name", table,
                        "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                        "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                        "--billing-mode", "PAY_PER_REQUEST")
        check.eq(out["TableDescription"]["TableStatus"], "ACTIVE", tag + " create-table")
        rc, _, _ = cli("wait", "table-exists", "--table-name", table)
        check.eq(rc, 0, tag + " wait table-exists")
        _, out, _ = cli("list-tables")
        check.true(table in out["TableNames"], tag + " list-tables")
        item = {"pk": {"S": "p"}, "sk": {"N": "0"}, "v": {"S": "x0"}}
        cli("put-item", "--table-name", table, "--item", json.dumps(item))
        cli("batch-write-item", "--request-items", json.dumps({table: [
            {"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)}, "v": {"S": "x%d" % i}}}} for i in range(1, 12)]}))
        _, out, _ = cli("get-item", "--table-name", table, "--key", '{"pk":{"S":"p"},"sk":{"N":"3"}}',
                        "--projection-expression", "v")
        check.eq(out["Item"], {"v": {"S": "x3"}}, tag + " get-item")
        _, out, _ = cli("update-item", "--table-name", table, "--key", '{"pk":{"S":"p"},"sk":{"N":"3"}}',
                        "--update-expression", "SET c = :c", "--expression-attribute-values", '{":c":{"N":"1"}}',
                        "--return-values", "ALL_NEW")
        check.eq(out["Attributes"]["c"], {"N": "1"}, tag + " update-item")
        _, out, _ = cli("query", "--table-name", table, "--key-condition-expression", "pk = :p AND sk >= :s",
                        "--expression-attribute-values", '{":p":{"S":"p"},":s":{"N":"8"}}', "--no-scan-index-forward")
        check.eq([x["sk"]["N"] for x in out["Items"]], ["11", "10", "9", "8"], tag + " query")
        _, out, _ = cli("scan", "--table-name", table, "--page-size", "5")
        check.eq(out["Count"], 12, tag + " scan paginated by the CLI")
        _, out, _ = cli("batch-write-item", "--request-items",
                        json.dumps({table: [{"DeleteRequest": {"Key": {"pk": {"S": "p"}, "sk": {"N": "0"}}}}]}))
        check.eq(out["UnprocessedItems"], {}, tag + " batch-write-item")
        _, out, _ = cli("transact-get-items", "--transact-items",
                        json.dumps([{"Get": {"TableName": table, "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}}}}]))
        check.eq(out["Responses"][0]["Item"]["v"], {"S": "x1"}, tag + " transact-get-items")
        rc, _, err = cli("put-item", "--table-name", table, "--item", '{"pk":{"S":"p"},"sk":{"N":"1"}}',
                         "--condition-expression", "attribute_not_exists(pk)", check_rc=False)
        check.true(rc != 0 and "ConditionalCheckFailedException" in err and "The conditional request failed" in err,
                   tag + " condition error")
        rc, _, err = cli("describe-table", "--table-name", "Missing" + tag, check_rc=False)
        check.true(rc != 0 and "ResourceNotFoundException" in err, tag + " missing table error")
        # resources awsemu never creates: empty lists, and a describe that finds nothing
        for args, want in ((("list-global-tables",), {"GlobalTables": []}), (("list-exports",), {"ExportSummaries": []}),
                           (("list-imports",), {"ImportSummaryList": []}),
                           (("describe-kinesis-streaming-destination", "--table-name", table),
                            {"TableName": table, "KinesisDataStreamDestinations": []})):
            _, out, _ = cli(*args)
            check.eq(out, want, tag + " " + args[0])
        for args, code in ((("describe-global-table", "--global-table-name", table), "GlobalTableNotFoundException"),
                           (("describe-table-replica-auto-scaling", "--table-name", table), "ResourceNotFoundException"),
                           (("create-global-table", "--global-table-name", table, "--replication-group", "RegionName=us-east-1"),
                            "ValidationException")):
            rc, _, err = cli(*args, check_rc=False)
            check.true(rc != 0 and code in err, "%s %s: %s" % (tag, args[0], code))
        _, out, _ = cli("delete-table", "--table-name", table)
        check.eq(out["TableDescription"]["TableStatus"], "DELETING", tag + " delete-table")
        rc, _, _ = cli("wait", "table-not-exists", "--table-name", table)
        check.eq(rc, 0, tag + " wait table-not-exists")

    # A GSI with a multi-attribute key (2 partition and 2 sort key attributes) from the v1 CLI, whose model
    # knows them (Debian's v2 bounds a KeySchema at 2 elements before sending); both query it.
    _, out, _ = s.cli("dynamodb", "create-table", "--table-name", "CliMulti", "--billing-mode", "PAY_PER_REQUEST",
                      "--attribute-definitions", "AttributeName=id,AttributeType=S", "AttributeName=org,AttributeType=S",
                      "AttributeName=team,AttributeType=S", "AttributeName=lvl,AttributeType=N",
                      "AttributeName=nm,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
                      "--global-secondary-indexes", json.dumps([{
                          "IndexName": "by_team", "Projection": {"ProjectionType": "ALL"},
                          "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in
                                        (("org", "HASH"), ("team", "HASH"), ("lvl", "RANGE"), ("nm", "RANGE"))]}]))
    check.eq([k["KeyType"] for k in out["TableDescription"]["GlobalSecondaryIndexes"][0]["KeySchema"]],
             ["HASH", "HASH", "RANGE", "RANGE"], "v1 create-table with a multi-attribute GSI key")
    for i, (team, lvl, nm) in enumerate([("a", 2, "x"), ("a", 1, "z"), ("a", 1, "y"), ("b", 1, "w")]):
        s.cli("dynamodb", "put-item", "--table-name", "CliMulti", "--item", json.dumps(
            {"id": {"S": str(i)}, "org": {"S": "o"}, "team": {"S": team}, "lvl": {"N": str(lvl)}, "nm": {"S": nm}}))
    for v2 in (False, True):
        _, out, _ = s.cli("dynamodb", "query", "--table-name", "CliMulti", "--index-name", "by_team",
                          "--key-condition-expression", "org = :o AND team = :t AND lvl = :l AND nm > :n",
                          "--expression-attribute-values", '{":o":{"S":"o"},":t":{"S":"a"},":l":{"N":"1"},":n":{"S":"x"}}',
                          v2=v2)
        check.eq([x["nm"]["S"] for x in out["Items"]], ["y", "z"], ("v2" if v2 else "v1") + " query of a multi-attribute key")
    rc, _, err = s.cli("dynamodb", "query", "--table-name", "CliMulti", "--index-name", "by_team",
                       "--key-condition-expression", "org = :o AND team = :t AND nm > :n",
                       "--expression-attribute-values", '{":o":{"S":"o"},":t":{"S":"a"},":n":{"S":"x"}}', check=False)
    check.true(rc != 0 and "RANGE key attributes lvl must have equality conditions" in err, "v1 query skipping lvl")

check.done()
