"""test_lambda_layers_boto3.py - Lambda layers with boto3 and the aws CLI: PublishLayerVersion, GetLayerVersion(ByArn),
ListLayers, ListLayerVersions, DeleteLayerVersion and the layer version permissions, with Lambda's answers and
errors (texts as LocalStack's AWS-validated provider and snapshots record them); a function's Layers (checked,
shown, kept by versions, removed by an empty list); functions running with their layers (Python modules from
python/ and python/lib/python3.x/site-packages, Node.js packages from nodejs/node_modules and
nodejs/node20/node_modules, bin on PATH, lib on LD_LIBRARY_PATH, later layers over earlier ones); restart survival."""
import io
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, Server, zip_of  # noqa: E402

ACCOUNT = "000000000000"
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
LAYER = "arn:aws:lambda:us-east-1:%s:layer:" % ACCOUNT
DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000"


def check_version(t, s, got, name, version, zip_bytes, what, description="", **optional):
    """A full layer version answer (PublishLayerVersion, GetLayerVersion): exact members and the zip served at its Location."""
    import base64
    import hashlib
    import re
    got = dict(got)
    got.pop("ResponseMetadata", None)
    content = got.pop("Content")
    created = got.pop("CreatedDate")
    t.true(re.fullmatch(DATE, created), what + " CreatedDate " + created)
    want = {"LayerArn": LAYER + name, "LayerVersionArn": "%s%s:%d" % (LAYER, name, version), "Version": version,
            "Description": description}
    want.update(optional)
    t.eq(got, want, what)
    t.eq((content["CodeSha256"], content["CodeSize"]),
         (base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode(), len(zip_bytes)), what + " Content")
    t.true(content["Location"].startswith(s.endpoint + "/_awsemu/lambda/code/"), what + " Location")
    t.eq(urllib.request.urlopen(content["Location"]).read(), zip_bytes, what + " zip served at Location")


def api(t, s, lam):
    z1 = zip_of({"python/shared.py": "WHO = 'one'\n"})
    z2 = zip_of({"python/shared.py": "WHO = 'two'\n"})
    v1 = lam.publish_layer_version(LayerName="shared", Description="first", Content={"ZipFile": z1},
                                   CompatibleRuntimes=["python3.12", "python3.11"], LicenseInfo="MIT",
                                   CompatibleArchitectures=["x86_64"])
    t.eq(v1["ResponseMetadata"]["HTTPStatusCode"], 201, "publish status")
    check_version(t, s, v1, "shared", 1, z1, "publish 1", "first", CompatibleRuntimes=["python3.12", "python3.11"],
                  LicenseInfo="MIT", CompatibleArchitectures=["x86_64"])
    v2 = lam.publish_layer_version(LayerName="shared", Content={"ZipFile": z2})
    check_version(t, s, v2, "shared", 2, z2, "publish 2 (no optional members)")
    check_version(t, s, lam.get_layer_version(LayerName="shared", VersionNumber=1), "shared", 1, z1, "get 1", "first",
                  CompatibleRuntimes=["python3.12", "python3.11"], LicenseInfo="MIT", CompatibleArchitectures=["x86_64"])
    check_version(t, s, lam.get_layer_version(LayerName=LAYER + "shared", VersionNumber=2), "shared", 2, z2,
                  "get 2 by layer ARN")
    check_version(t, s, lam.get_layer_version_by_arn(Arn=LAYER + "shared:2"), "shared", 2, z2, "get by ARN")
    t.refuses(lambda: lam.get_layer_version(LayerName="shared", VersionNumber=3), "ResourceNotFoundException",
              "The resource you requested does not exist.", "get missing version")
    t.refuses(lambda: lam.get_layer_version(LayerName="nope", VersionNumber=1), "ResourceNotFoundException",
              "The resource you requested does not exist.", "get missing layer")
    t.refuses(lambda: lam.get_layer_version_by_arn(Arn=LAYER + "shared:7"), "ResourceNotFoundException",
              "The resource you requested does not exist.", "get missing by ARN")
    t.refuses(lambda: lam.get_layer_version(LayerName="shared", VersionNumber=0), "InvalidParameterValueException",
              "Layer Version Cannot be less than 1", "version 0")
    t.refuses(lambda: lam.publish_layer_version(LayerName="s3", Content={"S3Bucket": "bucket", "S3Key": "k.zip"}),
              "InvalidParameterValueException",
              "awsemu supports code given as ZipFile only (S3Bucket/S3Key and ImageUri are not available).", "S3 content")

    other = zip_of({"nodejs/node_modules/other/index.js": "module.exports = 1;\n"})
    lam.publish_layer_version(LayerName="alpha", Content={"ZipFile": other}, CompatibleRuntimes=["nodejs20.x"],
                              CompatibleArchitectures=["arm64"])

    def listed(**kw):
        r = lam.list_layers(**kw)
        return [(x["LayerName"], x["LayerArn"], x["LatestMatchingVersion"]["Version"],
                 x["LatestMatchingVersion"]["LayerVersionArn"]) for x in r["Layers"]], r.get("NextMarker")

    t.eq(listed(), ([("alpha", LAYER + "alpha", 1, LAYER + "alpha:1"), ("shared", LAYER + "shared", 2, LAYER + "shared:2")],
                    None), "list layers")
    t.eq(listed(CompatibleRuntime="python3.12"), ([("shared", LAYER + "shared", 1, LAYER + "shared:1")], None),
         "list layers by runtime: the latest matching version")
    t.eq(listed(CompatibleArchitecture="arm64"), ([("alpha", LAYER + "alpha", 1, LAYER + "alpha:1")], None),
         "list layers by architecture")
    t.eq(listed(CompatibleRuntime="python3.12", CompatibleArchitecture="arm64"), ([], None), "both filters")
    page1 = listed(MaxItems=1)
    t.eq(page1[0], [("alpha", LAYER + "alpha", 1, LAYER + "alpha:1")], "list layers page 1")
    t.eq(listed(MaxItems=1, Marker=page1[1]), ([("shared", LAYER + "shared", 2, LAYER + "shared:2")], None),
         "list layers page 2")
    item = lam.list_layers(CompatibleRuntime="python3.12")["Layers"][0]["LatestMatchingVersion"]
    t.eq(sorted(item), ["CompatibleArchitectures", "CompatibleRuntimes", "CreatedDate", "Description", "LayerVersionArn",
                        "LicenseInfo", "Version"], "list item members")
    t.refuses(lambda: lam.list_layers(MaxItems=51), "ValidationException",
              "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value "
              "less than or equal to 50", "MaxItems over 50")

    def versions(**kw):
        r = lam.list_layer_versions(LayerName="shared", **kw)
        return [x["Version"] for x in r["LayerVersions"]], r.get("NextMarker")

    t.eq(versions(), ([2, 1], None), "list versions newest first")
    t.eq(versions(CompatibleRuntime="python3.11"), ([1], None), "list versions by runtime")
    p1 = versions(MaxItems=1)
    t.eq(p1[0], [2], "versions page 1")
    t.eq(versions(MaxItems=1, Marker=p1[1]), ([1], None), "versions page 2")
    t.eq(lam.list_layer_versions(LayerName="none")["LayerVersions"], [], "versions of no layer")

    # permissions
    arn1 = LAYER + "shared:1"
    t.refuses(lambda: lam.get_layer_version_policy(LayerName="shared", VersionNumber=1), "ResourceNotFoundException",
              "No policy is associated with the given resource.", "no policy yet")
    a = lam.add_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="everyone",
                                         Action="lambda:GetLayerVersion", Principal="*", OrganizationId="o-abcdefghij")
    t.eq(a["Statement"], '{"Sid":"everyone","Effect":"Allow","Principal":"*","Action":"lambda:GetLayerVersion",'
         '"Resource":"%s","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}' % arn1, "add statement")
    b = lam.add_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="acct",
                                         Action="lambda:GetLayerVersion", Principal="210987654321", RevisionId=a["RevisionId"])
    t.eq(b["Statement"], '{"Sid":"acct","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},'
         '"Action":"lambda:GetLayerVersion","Resource":"%s"}' % arn1, "add account statement")
    t.true(b["RevisionId"] != a["RevisionId"], "revision changes")
    t.refuses(lambda: lam.add_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="acct",
                                                       Action="lambda:GetLayerVersion", Principal="*"),
              "ResourceConflictException", "The statement id (acct) provided already exists. Please provide a new statement "
              "id, or remove the existing statement.", "duplicate statement")
    t.refuses(lambda: lam.add_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="x",
                                                       Action="lambda:GetLayerVersion", Principal="*", RevisionId=a["RevisionId"]),
              "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the "
              "GetLayerPolicy API to retrieve the latest Revision Id", "stale revision")
    t.refuses(lambda: lam.add_layer_version_permission(LayerName="shared", VersionNumber=9, StatementId="x",
                                                       Action="lambda:GetLayerVersion", Principal="*"),
              "ResourceNotFoundException", "Layer version %sshared:9 does not exist." % LAYER, "permission on missing version")
    pol = lam.get_layer_version_policy(LayerName="shared", VersionNumber=1)
    t.eq(pol["RevisionId"], b["RevisionId"], "policy revision")
    t.eq(pol["Policy"], '{"Version":"2012-10-17","Id":"default","Statement":[%s,%s]}' % (a["Statement"], b["Statement"]),
         "policy document")
    t.refuses(lambda: lam.get_layer_version_policy(LayerName="shared", VersionNumber=5), "ResourceNotFoundException",
              "Layer version %sshared:5 does not exist." % LAYER, "policy of missing version")
    lam.remove_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="everyone")
    t.refuses(lambda: lam.remove_layer_version_permission(LayerName="shared", VersionNumber=1, StatementId="everyone"),
              "ResourceNotFoundException", "Statement everyone is not found in resource policy.", "remove twice")
    t.eq(lam.get_layer_version_policy(LayerName="shared", VersionNumber=1)["Policy"],
         '{"Version":"2012-10-17","Id":"default","Statement":[%s]}' % b["Statement"], "policy after remove")

    # deletion: idempotent, numbers never reused
    t.eq(lam.delete_layer_version(LayerName="shared", VersionNumber=2)["ResponseMetadata"]["HTTPStatusCode"], 204, "delete")
    lam.delete_layer_version(LayerName="shared", VersionNumber=2)
    lam.delete_layer_version(LayerName="never", VersionNumber=1)
    t.refuses(lambda: lam.get_layer_version(LayerName="shared", VersionNumber=2), "ResourceNotFoundException",
              "The resource you requested does not exist.", "deleted version")
    t.eq(versions(), ([1], None), "versions after delete")
    lam.delete_layer_version(LayerName="alpha", VersionNumber=1)
    t.eq([x["LayerName"] for x in lam.list_layers()["Layers"]], ["shared"], "a layer without versions is not listed")
    v3 = lam.publish_layer_version(LayerName="shared", Content={"ZipFile": z2})
    t.eq(v3["Version"], 3, "numbers are not reused after a deletion")
    t.eq(lam.publish_layer_version(LayerName="alpha", Content={"ZipFile": other})["Version"], 2,
         "not even after the last version went")
    return z1, z2


def layers_of(cfg):
    return [(x["Arn"], x["CodeSize"]) for x in cfg.get("Layers", [])]


def functions(t, s, lam, z1, z2):
    """A function's Layers: checked, shown by every configuration, kept by published versions."""
    code = zip_of({"app.py": "def handler(e, c):\n    return 1\n"})
    base = dict(Runtime="python3.12", Role=ROLE, Handler="app.handler", Code={"ZipFile": code})
    a1, s3 = LAYER + "shared:1", LAYER + "shared:3"
    alpha = LAYER + "alpha:2"
    alpha_size = lam.get_layer_version_by_arn(Arn=alpha)["Content"]["CodeSize"]
    made = lam.create_function(FunctionName="layered", Layers=[a1, alpha], **base)
    want = [(a1, len(z1)), (alpha, alpha_size)]
    t.eq(layers_of(made), want, "CreateFunction answers its Layers")
    t.eq(layers_of(lam.get_function(FunctionName="layered")["Configuration"]), want, "GetFunction")
    t.eq(layers_of(lam.get_function_configuration(FunctionName="layered")), want, "GetFunctionConfiguration")
    listed = [f for f in lam.list_functions()["Functions"] if f["FunctionName"] == "layered"]
    t.eq(layers_of(listed[0]), want, "ListFunctions")
    t.eq(lam.get_function(FunctionName="layered")["Configuration"]["Layers"][0], {"Arn": a1, "CodeSize": len(z1)},
         "a layer's members")
    plain = lam.create_function(FunctionName="plain", **base)
    t.true("Layers" not in plain and "Layers" not in lam.get_function_configuration(FunctionName="plain"),
           "no Layers member without layers")

    v1 = lam.publish_version(FunctionName="layered")
    t.eq(layers_of(v1), want, "PublishVersion keeps the layers")
    up = lam.update_function_configuration(FunctionName="layered", Layers=[s3])
    t.eq(layers_of(up), [(s3, len(z2))], "UpdateFunctionConfiguration replaces them")
    t.eq(layers_of(lam.get_function(FunctionName="layered", Qualifier="1")["Configuration"]), want,
         "version 1 keeps the layers it was published with")
    up = lam.update_function_configuration(FunctionName="layered", Description="kept")
    t.eq(layers_of(up), [(s3, len(z2))], "an update without Layers keeps them")
    up = lam.update_function_configuration(FunctionName="layered", Layers=[])
    t.true("Layers" not in up and "Layers" not in lam.get_function_configuration(FunctionName="layered"),
           "an empty list removes them")

    t.refuses(lambda: lam.create_function(FunctionName="six", Layers=[a1] * 6, **base), "InvalidParameterValueException",
              "Cannot reference more than 5 layers.", "more than 5 layers")
    t.refuses(lambda: lam.create_function(FunctionName="missing", Layers=[LAYER + "shared:2"], **base),
              "InvalidParameterValueException", "Layer version %sshared:2 does not exist." % LAYER, "a deleted version")
    t.refuses(lambda: lam.update_function_configuration(FunctionName="plain", Layers=[LAYER + "ghost:1"]),
              "InvalidParameterValueException", "Layer version %sghost:1 does not exist." % LAYER, "update: missing layer")
    t.refuses(lambda: lam.create_function(FunctionName="twice", Layers=[a1, s3], **base), "InvalidParameterValueException",
              "Two different versions of the same layer are not allowed to be referenced in the same function. %s and %s are "
              "versions of the same layer." % (a1, s3), "two versions of one layer")
    west = "arn:aws:lambda:us-west-2:%s:layer:shared:1" % ACCOUNT
    t.refuses(lambda: lam.create_function(FunctionName="west", Layers=[west], **base), "InvalidParameterValueException",
              "Layers are not in the same region as the function. Layers are expected to be in region us-east-1.",
              "a layer of another region")
    t.refuses(lambda: lam.create_function(FunctionName="bad", Layers=["not-an-arn"], **base), "ValidationException",
              "1 validation error detected: Value '[not-an-arn]' at 'layers' failed to satisfy constraint: Member must "
              "satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than "
              "or equal to 1, Member must satisfy regular expression pattern: "
              "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+, Member must not be null]",
              "a malformed ARN (the model's pattern)")
    t.refuses(lambda: lam.get_function(FunctionName="six"), "ResourceNotFoundException",
              "Function not found: arn:aws:lambda:us-east-1:%s:function:six" % ACCOUNT, "a refused create leaves nothing")

    # a deleted layer version stays with the functions that use it
    lam.update_function_configuration(FunctionName="plain", Layers=[alpha])
    lam.delete_layer_version(LayerName="alpha", VersionNumber=2)
    t.eq(layers_of(lam.get_function_configuration(FunctionName="plain")), [(alpha, alpha_size)],
         "a function keeps a deleted layer version")

    # Lambda's size limit counts the code and its layers unzipped
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.bin", b"\0" * 262000000)
    big = buf.getvalue()
    huge = lam.publish_layer_version(LayerName="huge", Content={"ZipFile": big})["LayerVersionArn"]
    t.refuses(lambda: lam.create_function(FunctionName="toobig", Layers=[huge],
                                          **dict(base, Code={"ZipFile": zip_of({"app.py": "x" * 200000})})),
              "InvalidParameterValueException", "Function code combined with layers exceeds the maximum allowed size of "
              "262144000 bytes. The actual size is 262200000 bytes.", "code and layers over 250 MB unzipped")
    lam.create_function(FunctionName="fits", Layers=[huge], **base)
    t.refuses(lambda: lam.update_function_code(FunctionName="fits", ZipFile=zip_of({"app.py": "x" * 200000})),
              "InvalidParameterValueException", "Function code combined with layers exceeds the maximum allowed size of "
              "262144000 bytes. The actual size is 262200000 bytes.", "new code that no longer fits with the layers")
    lam.delete_function(FunctionName="fits")
    lam.delete_layer_version(LayerName="huge", VersionNumber=1)


def run(lam, name, qualifier=None):
    r = lam.invoke(FunctionName=name, **({"Qualifier": qualifier} if qualifier else {}))
    return r.get("FunctionError"), json.loads(r["Payload"].read())


PY_APP = """import os, subprocess, shared
def handler(event, context):
    out = {"who": shared.WHO}
    try:
        import sitepkg
        out["site"] = sitepkg.WHERE
    except ImportError:
        pass
    if event.get("tool"):
        out["tool"] = subprocess.run(["tool"], capture_output=True, text=True).stdout
        lib = os.environ["LD_LIBRARY_PATH"].split(":")[-1]
        out["lib"] = open(os.path.join(lib, "data.txt")).read()
    return out
"""


def execution(t, s, lam):
    """Functions run with their layers: /opt's paths point at the layers unpacked in order."""
    la = lam.publish_layer_version(LayerName="py-a", Content={"ZipFile": zip_of({
        "python/shared.py": "WHO = 'a'\n", "python/lib/python3.12/site-packages/sitepkg.py": "WHERE = 'site-packages'\n"})})
    lb = lam.publish_layer_version(LayerName="py-b", Content={"ZipFile": zip_of({
        "python/shared.py": ("WHO = 'b'\n", 0o644), "bin/tool": ("#!/bin/sh\necho from-bin\n", 0o755),
        "lib/data.txt": ("from-lib", 0o644)})})
    a, b = la["LayerVersionArn"], lb["LayerVersionArn"]
    lam.create_function(FunctionName="py", Runtime="python3.12", Role=ROLE, Handler="app.handler", Timeout=10,
                        Code={"ZipFile": zip_of({"app.py": PY_APP})}, Layers=[a, b])
    t.eq(run(lam, "py"), (None, {"who": "b", "site": "site-packages"}),
         "Python: a module of python/, one of site-packages, the later layer's file over the earlier one's")
    r = lam.invoke(FunctionName="py", Payload=b'{"tool": true}')
    t.eq(json.loads(r["Payload"].read()), {"who": "b", "site": "site-packages", "tool": "from-bin\n", "lib": "from-lib"},
         "bin on PATH, lib on LD_LIBRARY_PATH")
    lam.publish_version(FunctionName="py")
    lam.update_function_configuration(FunctionName="py", Layers=[b, a])
    t.eq(run(lam, "py"), (None, {"who": "a", "site": "site-packages"}), "the other order: the other file")
    t.eq(run(lam, "py", "1"), (None, {"who": "b", "site": "site-packages"}), "version 1 runs with its own layers")
    lam.update_function_configuration(FunctionName="py", Layers=[])
    err, body = run(lam, "py")
    t.eq((err, body.get("errorType"), body.get("errorMessage")),
         ("Unhandled", "Runtime.ImportModuleError", "Unable to import module 'app': No module named 'shared'"),
         "without its layers the module is gone")
    lam.update_function_configuration(FunctionName="py", Layers=[a])

    ln = lam.publish_layer_version(LayerName="node-libs", Content={"ZipFile": zip_of({
        "nodejs/node_modules/greet/index.js": "module.exports = (n) => 'hello ' + n;\n",
        "nodejs/node20/node_modules/major/index.js": "module.exports = 'node20 dir';\n"})})
    lam.create_function(FunctionName="js", Runtime="nodejs20.x", Role=ROLE, Handler="index.handler", Timeout=10,
                        Layers=[ln["LayerVersionArn"]], Code={"ZipFile": zip_of({"index.js":
                        "exports.handler = async () => ({greet: require('greet')('layer'), major: require('major')});\n"})})
    t.eq(run(lam, "js"), (None, {"greet": "hello layer", "major": "node20 dir"}),
         "Node.js: packages of nodejs/node_modules and nodejs/node20/node_modules")

    # a deleted layer version keeps running in the functions that use it; its zip stays while they do
    loc = la["Content"]["Location"]
    lam.delete_layer_version(LayerName="py-a", VersionNumber=1)
    t.eq(urllib.request.urlopen(loc).read()[:2], b"PK", "a deleted version's zip is kept while a function uses it")
    gone = lam.publish_layer_version(LayerName="unused", Content={"ZipFile": zip_of({"x": "unused"})})
    lam.delete_layer_version(LayerName="unused", VersionNumber=1)
    try:
        urllib.request.urlopen(gone["Content"]["Location"])
        t.eq("served", "404", "an unused deleted version's zip")
    except urllib.error.HTTPError as e:
        t.eq(e.code, 404, "an unused deleted version's zip is dropped")


def cli(t, s):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "layer.zip")
        with open(path, "wb") as f:
            f.write(zip_of({"bin/tool": "#!/bin/sh\necho tool\n"}))
        for v2 in (True, False):
            tag = "cli v2" if v2 else "cli v1"
            _, out, _ = s.cli("lambda", "publish-layer-version", "--layer-name", "clitools", "--zip-file", "fileb://" + path,
                              "--compatible-runtimes", "provided.al2023", "--description", tag, v2=v2)
            want = 1 if v2 else 2
            t.eq((out["LayerVersionArn"], out["Version"], out["Description"], out["CompatibleRuntimes"]),
                 (LAYER + "clitools:%d" % want, want, tag, ["provided.al2023"]), tag + " publish-layer-version")
            _, out, _ = s.cli("lambda", "list-layers", "--compatible-runtime", "provided.al2023", v2=v2)
            t.eq([(x["LayerName"], x["LatestMatchingVersion"]["Version"]) for x in out["Layers"]], [("clitools", want)],
                 tag + " list-layers")
            rc, _, err = s.cli("lambda", "get-layer-version", "--layer-name", "clitools", "--version-number", "9", v2=v2,
                               check=False)
            t.true(rc != 0 and "ResourceNotFoundException" in err and "The resource you requested does not exist." in err,
                   tag + " missing version: " + err)


def main():
    t = Checks()
    with Server() as s:
        lam = s.client("lambda")
        z1, z2 = api(t, s, lam)
        functions(t, s, lam, z1, z2)
        execution(t, s, lam)
        cli(t, s)
        s.restart(kill=True)
        t.eq([(x["LayerName"], x["LatestMatchingVersion"]["Version"]) for x in lam.list_layers()["Layers"]],
             [("clitools", 2), ("node-libs", 1), ("py-b", 1), ("shared", 3)], "layers after kill -9 and restart")
        t.eq(lam.publish_layer_version(LayerName="shared", Content={"ZipFile": zip_of({"a": "b"})})["Version"], 4,
             "the next number survives a restart")
        t.eq(lam.get_layer_version_policy(LayerName="shared", VersionNumber=1)["Policy"].count('"Sid"'), 1,
             "policy after restart")
        t.eq(layers_of(lam.get_function_configuration(FunctionName="layered", Qualifier="1")),
             [(LAYER + "shared:1", len(z1)), (LAYER + "alpha:2", len(zip_of({"nodejs/node_modules/other/index.js":
                                                                               "module.exports = 1;\n"})))],
             "a version's layers after restart")
        t.eq(run(lam, "py"), (None, {"who": "a", "site": "site-packages"}), "a function runs with its layers after restart")
        t.eq(run(lam, "py", "1"), (None, {"who": "b", "site": "site-packages"}), "and its version 1")
    t.done()


if __name__ == "__main__":
    main()
