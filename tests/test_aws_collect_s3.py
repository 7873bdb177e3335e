"""S3 collection normalizes API replies into the canonical aws_s3_bucket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_s3_001_public_acl import PublicBucketAcl
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"
ALL_ON = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"s3"}, event_hooks=list(hooks))
    )


def bucket(resources: ResourceSet, name: str) -> Any:
    found = resources.get(f"arn:aws:s3:::{name}")
    assert found is not None, f"bucket {name} not collected"
    return found


def test_public_read_acl_becomes_canned_acl_and_allusers_grant(s3: Any) -> None:
    s3.create_bucket(Bucket="public-bucket", ACL="public-read")

    found = bucket(collect(), "public-bucket")

    assert found.attributes["acl"] == "public-read"
    groups = [g for g in found.attributes["grant"] if g["type"] == "Group"]
    assert groups == [
        {
            "type": "Group",
            "uri": "http://acs.amazonaws.com/groups/global/AllUsers",
            "id": None,
            "permissions": ["READ"],
        }
    ]
    assert found.arn == "arn:aws:s3:::public-bucket"
    assert found.account == ACCOUNT and found.region == "us-east-1"


def test_private_bucket_has_private_acl_and_no_policy_or_block(s3: Any) -> None:
    s3.create_bucket(Bucket="quiet-bucket")

    attributes = bucket(collect(), "quiet-bucket").attributes

    assert attributes["acl"] == "private"
    assert attributes["policy"] is None
    assert attributes["public_access_block"] is None
    assert attributes["logging"] == []
    assert attributes["versioning"] == [{"enabled": False, "mfa_delete": False}]


def test_policy_block_versioning_logging_and_encryption_are_canonical(s3: Any) -> None:
    s3.create_bucket(Bucket="full-bucket")
    s3.create_bucket(Bucket="log-target", ACL="log-delivery-write")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::full-bucket/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket="full-bucket", Policy=json.dumps(policy))
    s3.put_public_access_block(
        Bucket="full-bucket",
        PublicAccessBlockConfiguration={**ALL_ON, "RestrictPublicBuckets": False},
    )
    s3.put_bucket_versioning(
        Bucket="full-bucket", VersioningConfiguration={"Status": "Enabled"}
    )
    s3.put_bucket_logging(
        Bucket="full-bucket",
        BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "log-target", "TargetPrefix": "logs/"}
        },
    )
    s3.put_bucket_encryption(
        Bucket="full-bucket",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": "alias/data",
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )

    attributes = bucket(collect(), "full-bucket").attributes

    assert json.loads(attributes["policy"]) == policy
    # The policy above is public. Older moto answers GetBucketPolicyStatus
    # without IsPublic, which must read as "not said" (None), never as False.
    assert attributes["policy_is_public"] in (True, None)
    assert attributes["policy_is_public"] is not False
    assert attributes["public_access_block"] == {
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": False,
    }
    assert attributes["versioning"] == [{"enabled": True, "mfa_delete": False}]
    assert attributes["logging"] == [
        {"target_bucket": "log-target", "target_prefix": "logs/"}
    ]
    assert attributes["server_side_encryption_configuration"] == [
        {
            "rule": [
                {
                    "apply_server_side_encryption_by_default": [
                        {"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/data"}
                    ],
                    "bucket_key_enabled": True,
                }
            ]
        }
    ]


def test_bucket_region_comes_from_its_location(s3: Any) -> None:
    s3.create_bucket(
        Bucket="eu-bucket",
        CreateBucketConfiguration={"LocationConstraint": "eu-west-1"},
    )

    found = bucket(collect(), "eu-bucket")

    assert found.region == "eu-west-1"
    assert found.attributes["region"] == "eu-west-1"


def test_account_public_access_block_is_collected_through_s3control(s3: Any) -> None:
    control = boto3.client("s3control", region_name="us-east-1")
    control.put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_ON
    )

    blocks = collect().of_type("aws_s3_account_public_access_block")

    assert [b.attributes["block_public_policy"] for b in blocks] == [True]
    assert blocks[0].account == ACCOUNT


def test_missing_account_block_means_every_flag_off(s3: Any) -> None:
    (block,) = collect().of_type("aws_s3_account_public_access_block")
    assert block.attributes["configured"] is False
    assert not any(
        block.attributes[f]
        for f in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )


def test_denied_acl_of_one_bucket_is_unknown_and_attached_to_it(s3: Any) -> None:
    s3.create_bucket(Bucket="denied-bucket", ACL="public-read")
    s3.create_bucket(Bucket="readable-bucket")
    hooks = api_error(
        "s3",
        "GetBucketAcl",
        "AccessDenied",
        when=lambda p: p["Bucket"] == "denied-bucket",
    )

    resources = collect(*hooks)

    denied = bucket(resources, "denied-bucket")
    assert is_unknown(denied.attributes["grant"])
    assert [(e.operation, e.code) for e in denied.errors] == [
        ("s3:GetBucketAcl", "AccessDenied")
    ]
    assert bucket(resources, "readable-bucket").errors == ()
    assert bucket(resources, "readable-bucket").attributes["acl"] == "private"


def test_denied_acl_is_an_error_result_never_a_pass(s3: Any) -> None:
    s3.create_bucket(Bucket="denied-bucket")
    resources = collect(*api_error("s3", "GetBucketAcl", "AccessDenied"))

    results = run_checks([PublicBucketAcl()], resources)

    statuses = {r.resource: r.status for r in results}
    assert statuses == {"arn:aws:s3:::denied-bucket": Status.ERROR}


def test_denied_bucket_list_records_an_error_and_the_rule_errors(s3: Any) -> None:
    s3.create_bucket(Bucket="hidden-bucket")
    resources = collect(*api_error("s3", "ListBuckets", "AccessDenied"))

    assert resources.of_type("aws_s3_bucket") == []
    (error,) = [
        e for e in resources.collection_errors if e.operation == "s3:ListBuckets"
    ]
    assert error.code == "AccessDenied" and "aws_s3_bucket" in error.resource_types
    results = run_checks([PublicBucketAcl()], resources)
    assert [r.status for r in results] == [Status.ERROR]


def test_denied_account_block_is_recorded_not_passed(s3: Any) -> None:
    resources = collect(
        *api_error("s3-control", "GetPublicAccessBlock", "AccessDenied")
    )

    assert resources.of_type("aws_s3_account_public_access_block") == []
    assert [
        (e.operation, e.code, e.resource_types) for e in resources.collection_errors
    ] == [
        (
            "s3control:GetPublicAccessBlock",
            "AccessDenied",
            ("aws_s3_account_public_access_block",),
        )
    ]
