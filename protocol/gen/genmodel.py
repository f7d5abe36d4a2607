#!/usr/bin/env python3
"""genmodel.py - writes protocol/model_gen.c, the C tables of protocol/model.h.

Regenerate (from the repository root, with the pyenv python3 whose botocore
holds the current models):

    python3 protocol/gen/genmodel.py > protocol/model_gen.c

Sources: the botocore service models sqs 2012-11-05, dynamodb 2012-08-10,
dynamodbstreams 2012-08-10 and lambda 2015-03-31 of the botocore that python3
imports. Documentation text is dropped.

SQS: botocore's current SQS model is JSON-only and has lost the query-protocol
details. They are merged back from Debian's older query model
(/usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json):
locationName and flattened of members, lists and maps, the resultWrapper of
each operation and the `error` trait (query code, HTTP status, sender fault) of
each exception. Shapes and errors the old model lacks follow the same
conventions, taken from the awsQueryError traits of the SQS Smithy model
(SQS_QUERY_ERRORS and SQS_QUERY_NAMES below).

Conventions of the tables:
- shapes are sorted by name (model_find_shape bisects), operations too;
- a member's location_name is its own locationName, else its target shape's
  (botocore merges the two the same way: QueueAttributeMap -> "Attribute");
- a member's flattened bit is the member-level flag only; the shape's own flag
  is in model_shape_t.flattened.
"""
import gzip
import json
import os
import sys

import botocore

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
OLD_SQS = "/usr/lib/python3/dist-packages/botocore/data/sqs/2012-11-05/service-2.json"

SERVICES = [
    # C name, botocore name, version
    ("sqs", "sqs", "2012-11-05"),
    ("dynamodb", "dynamodb", "2012-08-10"),
    ("dynamodbstreams", "dynamodbstreams", "2012-08-10"),
    ("lambda", "lambda", "2015-03-31"),
]

# SQS exceptions the old query model has no error trait for: (query code, HTTP
# status), from the awsQueryError traits of the SQS Smithy model. Those without
# an awsQueryError trait there (InvalidAttributeName, InvalidAttributeValue,
# InvalidIdFormat, InvalidMessageContents) use their own name and 400.
SQS_QUERY_ERRORS = {
    "InvalidAddress": ("InvalidAddress", 404),
    "InvalidAttributeName": ("InvalidAttributeName", 400),
    "InvalidAttributeValue": ("InvalidAttributeValue", 400),
    "InvalidIdFormat": ("InvalidIdFormat", 400),
    "InvalidMessageContents": ("InvalidMessageContents", 400),
    "InvalidSecurity": ("InvalidSecurity", 403),
    "KmsAccessDenied": ("KMS.AccessDeniedException", 400),
    "KmsDisabled": ("KMS.DisabledException", 400),
    "KmsInvalidKeyUsage": ("KMS.InvalidKeyUsageException", 400),
    "KmsInvalidState": ("KMS.InvalidStateException", 400),
    "KmsNotFound": ("KMS.NotFoundException", 400),
    "KmsOptInRequired": ("KMS.OptInRequired", 403),
    "KmsThrottled": ("KMS.ThrottlingException", 400),
    "ReceiptHandleIsInvalid": ("ReceiptHandleIsInvalid", 404),
    "RequestThrottled": ("RequestThrottled", 403),
    "ResourceNotFoundException": ("ResourceNotFoundException", 404),
}

# Query names of SQS lists the old model lacks (Smithy xmlName/xmlFlattened).
SQS_QUERY_NAMES = {
    "MessageSystemAttributeList": {"member": "AttributeName"},
    "ListMessageMoveTasksResultEntryList": {"member": "ListMessageMoveTasksResultEntry"},
}

SHAPE_TYPES = {
    "structure": "SHAPE_STRUCTURE",
    "list": "SHAPE_LIST",
    "map": "SHAPE_MAP",
    "string": "SHAPE_STRING",
    "integer": "SHAPE_INTEGER",
    "long": "SHAPE_LONG",
    "boolean": "SHAPE_BOOLEAN",
    "blob": "SHAPE_BLOB",
    "timestamp": "SHAPE_TIMESTAMP",
    "double": "SHAPE_DOUBLE",
    "float": "SHAPE_FLOAT",
}

LOCATIONS = {
    None: "LOC_BODY",
    "uri": "LOC_URI",
    "querystring": "LOC_QUERYSTRING",
    "header": "LOC_HEADER",
    "headers": "LOC_HEADERS",
    "statusCode": "LOC_STATUS_CODE",
}


# DynamoDB members whose constraint the operation checks itself, in words its model validation does
# not give (see the handler), and the unconstrained shape they take here instead: a Query's Limit
# below 1 is "Value at 'Limit' failed to satisfy constraint: ..." (ddb_query.c), a Scan's the model's.
HANDLER_CHECKED = {("dynamodb", "QueryInput", "Limit"): "IntegerObject"}

# Constraints the service's own model has and botocore's lacks: DynamoDB refuses an empty KMSMasterKeyId
# with "Value '' at 'sSESpecification.kMSMasterKeyId' failed to satisfy constraint: Member must have length greater
# than or equal to 1" (the ack-api-quirks lab's DDB-TABLE-457, October 2026).
SERVICE_CONSTRAINTS = {("dynamodb", "KMSMasterKeyId"): {"min": 1}}

# Enums whose values the service lists in another order than botocore's model (same values; checked below):
# Lambda's StartingPosition error reads "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"
# (LocalStack's AWS-validated snapshot test_api.snapshot.json, create_invalid_starting_position_param, 2025-02-17).
ENUM_ORDER = {("lambda", "EventSourcePosition"): ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"]}


def load_model(name, version):
    base = os.path.join(DATA, name, version, "service-2.json")
    if os.path.exists(base):
        with open(base, encoding="utf-8") as f:
            return json.load(f)
    with gzip.open(base + ".gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def merge_sqs_query(model):
    """Copies the query-protocol details of the old SQS model into the new one."""
    with open(OLD_SQS, encoding="utf-8") as f:
        old = json.load(f)
    for name, shape in model["shapes"].items():
        prev = old["shapes"].get(name)
        if prev and prev["type"] == shape["type"]:
            for key in ("locationName", "flattened", "error"):
                if key in prev:
                    shape[key] = prev[key]
            for part in ("member", "key", "value"):
                if part in prev and "locationName" in prev[part]:
                    shape[part]["locationName"] = prev[part]["locationName"]
            for mname, member in shape.get("members", {}).items():
                pm = prev.get("members", {}).get(mname, {})
                for key in ("locationName", "flattened"):
                    if key in pm:
                        member[key] = pm[key]
        if name in SQS_QUERY_NAMES:
            shape["member"]["locationName"] = SQS_QUERY_NAMES[name]["member"]
            shape["flattened"] = True
        if shape.get("exception") and "error" not in shape:
            code, status = SQS_QUERY_ERRORS[name]
            shape["error"] = {"code": code, "httpStatusCode": status, "senderFault": True}
    for name, op in model["operations"].items():
        prev = old["operations"].get(name, {}).get("output", {})
        if "output" in op:
            op["output"]["resultWrapper"] = prev.get("resultWrapper", name + "Result")
    model["metadata"]["xmlNamespace"] = old["metadata"]["xmlNamespace"]


def cstr(s):
    """A C string literal (UTF-8 bytes, octal escapes for anything unusual), or NULL."""
    if s is None:
        return "NULL"
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif c == "?":
            out.append("\\?")  # no trigraphs
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def cint(v):
    """Integer bound of the model (some are written as floats)."""
    return int(v)


def gen_service(cname, model, out):
    shapes = model["shapes"]
    names = sorted(shapes)
    index = {n: i for i, n in enumerate(names)}
    out.append("/* ---- %s ---- */\n" % cname)

    for i, n in enumerate(names):
        s = shapes[n]
        if s.get("enum"):
            vals = ", ".join(cstr(v) for v in s["enum"])
            out.append("static const char *const %s_enum%d[] = {%s};\n" % (cname, i, vals))
        if s["type"] == "structure" and s.get("members"):
            req = set(s.get("required", []))
            rows = []
            for mname, m in s["members"].items():
                target = shapes[m["shape"]]
                locname = m.get("locationName", target.get("locationName"))
                rows.append(
                    "    {%s, %s, %d, %s, %d, %d, %d},\n"
                    % (
                        cstr(mname),
                        cstr(locname),
                        index[m["shape"]],
                        LOCATIONS[m.get("location")],
                        mname in req,
                        s.get("payload") == mname,
                        bool(m.get("flattened")),
                    )
                )
            out.append("static const model_member_t %s_members%d[] = {\n%s};\n" % (cname, i, "".join(rows)))

    out.append("static const model_shape_t %s_shapes[] = {\n" % cname)
    for i, n in enumerate(names):
        s = shapes[n]
        f = [".name = %s" % cstr(n), ".type = %s" % SHAPE_TYPES[s["type"]]]
        if s["type"] == "structure" and s.get("members"):
            f += [".members = %s_members%d" % (cname, i), ".nmembers = %d" % len(s["members"])]
        for part in ("member", "key", "value"):
            ref = s.get(part)
            f.append(".%s = %d" % (part, index[ref["shape"]] if ref else -1))
            if ref and ref.get("locationName"):
                f.append(".%s_name = %s" % (part, cstr(ref["locationName"])))
        if s.get("flattened"):
            f.append(".flattened = 1")
        if s.get("sensitive"):
            f.append(".sensitive = 1")
        if "min" in s:
            f += [".has_min = 1", ".min = %dLL" % cint(s["min"])]
        if "max" in s:
            f += [".has_max = 1", ".max = %dLL" % cint(s["max"])]
        if s.get("pattern") is not None:
            f.append(".pattern = %s" % cstr(s["pattern"]))
        if s.get("enum"):
            f += [".enums = %s_enum%d" % (cname, i), ".nenums = %d" % len(s["enum"])]
        if s.get("exception"):
            err = s.get("error", {})
            f.append(".exception = 1")
            if err.get("httpStatusCode"):
                f.append(".error_status = %d" % err["httpStatusCode"])
            if err.get("code"):
                f.append(".query_code = %s" % cstr(err["code"]))
            sender = err.get("senderFault", not s.get("fault", False))
            if sender:
                f.append(".sender_fault = 1")
        out.append("    {%s},\n" % ", ".join(f))
    out.append("};\n")

    out.append("static const model_op_t %s_ops[] = {\n" % cname)
    ops = model["operations"]
    for n in sorted(ops):
        op = ops[n]
        http = op.get("http", {})
        f = [
            cstr(n),
            str(index[op["input"]["shape"]] if "input" in op else -1),
            str(index[op["output"]["shape"]] if "output" in op else -1),
            cstr(http.get("method", "POST")),
            cstr(http.get("requestUri", "/")),
            str(http.get("responseCode", 200)),
            cstr(op.get("output", {}).get("resultWrapper")),
        ]
        out.append("    {%s},\n" % ", ".join(f))
    out.append("};\n")

    md = model["metadata"]
    out.append(
        "const model_service_t model_%s = {%s, %s, %s, %s, %s_shapes, %d, %s_ops, %d};\n\n"
        % (
            cname,
            cstr(cname),
            cstr(md["apiVersion"]),
            cstr(md.get("targetPrefix")),
            cstr(md.get("xmlNamespace")),
            cname,
            len(names),
            cname,
            len(ops),
        )
    )


def main():
    out = [
        "/* model_gen.c - GENERATED by protocol/gen/genmodel.py from the botocore service models\n"
        " * (botocore %s); do not edit. The tables behind protocol/model.h.\n"
        " * Regenerate: python3 protocol/gen/genmodel.py > protocol/model_gen.c */\n"
        "/* clang-format off */\n"
        '#include "model.h"\n\n' % botocore.__version__
    ]
    for cname, bname, version in SERVICES:
        model = load_model(bname, version)
        if cname == "sqs":
            merge_sqs_query(model)
        for (svc, shape, member), target in HANDLER_CHECKED.items():
            if svc == cname:
                model["shapes"][shape]["members"][member]["shape"] = target
        for (svc, shape), constraints in SERVICE_CONSTRAINTS.items():
            if svc == cname:
                model["shapes"][shape].update(constraints)
        for (svc, shape), order in ENUM_ORDER.items():
            if svc == cname:
                assert sorted(order) == sorted(model["shapes"][shape]["enum"]), shape
                model["shapes"][shape]["enum"] = order
        gen_service(cname, model, out)
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
