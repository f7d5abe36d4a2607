"""test_sqs_deep_boto3.sys.py - the deep-queue SQS checks under Debian's python3-boto3 1.26, which speaks
the SQS query protocol (form in, XML out)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_sqs_deep_boto3  # noqa: E402

test_sqs_deep_boto3.main()
