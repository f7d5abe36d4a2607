"""test_lambda_moto_verified_boto3.py - ListFunctions as moto's AWS-verified test of it shows real Lambda
answering (getmoto/moto tests/test_awslambda/test_lambda.py::test_list_functions, run against AWS by moto's
developers and replayed against awsemu): by default one entry per function, its $LATEST with an unqualified
ARN; FunctionVersion=ALL lists $LATEST and every published version, each ARN qualified (":$LATEST", ":1"), a
version with the description PublishVersion gave it while $LATEST keeps its own (""), all with PackageType Zip;
ARNs carry the client's region. The function_active waiter returns at once."""
from harness import Checks, Server, zip_of

t = Checks()
ROLE = "arn:aws:iam::000000000000:role/lambda-role"
REGION = "us-west-2"
ARN = "arn:aws:lambda:%s:000000000000:function:" % REGION
CODE = {"ZipFile": zip_of({"lambda_function.py": "def lambda_handler(event, context):\n    return event\n"})}


def mine(functions, name):
    """The entries of functions that belong to name, as (Version, FunctionArn, Description, PackageType)."""
    return sorted((f["Version"], f["FunctionArn"], f["Description"], f.get("PackageType"))
                  for f in functions if f["FunctionName"] == name)


with Server(in_memory=True) as s:
    lam = s.client("lambda", region_name=REGION)
    t.eq(lam.list_functions()["Functions"], [], "nothing listed before any function exists")

    lam.create_function(FunctionName="lister", Runtime="python3.11", Role=ROLE,
                        Handler="lambda_function.lambda_handler", Code=CODE)
    lam.get_waiter("function_active").wait(FunctionName="lister", WaiterConfig={"Delay": 1, "MaxAttempts": 1})
    t.eq(mine(lam.list_functions()["Functions"], "lister"), [("$LATEST", ARN + "lister", "", "Zip")],
         "a new function is listed once, its ARN unqualified")

    t.eq(lam.publish_version(FunctionName="lister", Description="v2")["Version"], "1", "PublishVersion makes 1")
    t.eq(mine(lam.list_functions()["Functions"], "lister"), [("$LATEST", ARN + "lister", "", "Zip")],
         "the default listing still shows the function once")
    t.eq(mine(lam.list_functions(FunctionVersion="ALL")["Functions"], "lister"),
         [("$LATEST", ARN + "lister:$LATEST", "", "Zip"), ("1", ARN + "lister:1", "v2", "Zip")],
         "FunctionVersion=ALL: $LATEST and version 1, qualified ARNs, the version's own description")

    lam.delete_function(FunctionName="lister")
    t.eq([mine(lam.list_functions(**kw)["Functions"], "lister") for kw in ({}, {"FunctionVersion": "ALL"})], [[], []],
         "DeleteFunction removes the function and its versions from both listings")
t.done()
