"""test_sqs_boto3.sys.py - the SQS boto3 test under Debian's python3-boto3 1.26, which speaks
the SQS query protocol (form in, XML out): same semantics, same error codes."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_sqs_boto3  # noqa: E402

test_sqs_boto3.main()
