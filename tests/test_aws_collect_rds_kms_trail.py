"""RDS, KMS and CloudTrail collection in the canonical shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_kms_001_rotation_disabled import KeyRotationDisabled
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

REGION = "us-east-1"


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


def collect(services: set[str], *hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=[REGION], services=services, event_hooks=list(hooks))
    )


def test_db_instance_attributes_use_terraform_names(mocked: None) -> None:
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin",
        MasterUserPassword="Sup3r-secret-pw",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        StorageEncrypted=False,
        BackupRetentionPeriod=0,
    )

    (db,) = collect({"rds"}).of_type("aws_db_instance")

    assert db.arn == "arn:aws:rds:us-east-1:123456789012:db:orders"
    assert db.name == "orders"
    assert db.attributes["identifier"] == "orders"
    assert db.attributes["publicly_accessible"] is True
    assert db.attributes["storage_encrypted"] is False
    assert db.attributes["backup_retention_period"] == 0
    assert "Sup3r-secret-pw" not in repr(dict(db.attributes))


def test_db_cluster_is_an_rds_cluster(mocked: None) -> None:
    rds = boto3.client("rds", region_name=REGION)
    rds.create_db_cluster(
        DBClusterIdentifier="aurora",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="Sup3r-secret-pw",
        StorageEncrypted=True,
    )

    (cluster,) = collect({"rds"}).of_type("aws_rds_cluster")

    assert cluster.attributes["cluster_identifier"] == "aurora"
    assert cluster.attributes["storage_encrypted"] is True


def test_key_rotation_spec_and_alias_are_collected(mocked: None) -> None:
    kms = boto3.client("kms", region_name=REGION)
    rotating = kms.create_key(Description="rotating")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotating)
    still = kms.create_key(Description="still")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/still", TargetKeyId=still)
    signing = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048")["KeyMetadata"][
        "KeyId"
    ]
    calls: list[str] = []

    keys = {
        k.attributes["key_id"]: k.attributes
        for k in collect(
            {"kms"}, ("before-call.kms", lambda model, **_: calls.append(model.name))
        ).of_type("aws_kms_key")
    }

    assert keys[rotating]["enable_key_rotation"] is True
    assert keys[still]["enable_key_rotation"] is False
    assert keys[still]["aliases"] == ["alias/still"]
    assert keys[still]["customer_master_key_spec"] == "SYMMETRIC_DEFAULT"
    assert keys[signing]["customer_master_key_spec"] == "RSA_2048"
    assert keys[signing]["key_usage"] == "SIGN_VERIFY"
    # Asymmetric keys cannot rotate, so their status is never asked.
    assert calls.count("GetKeyRotationStatus") == 2


def test_denied_rotation_status_is_an_error_for_that_key(mocked: None) -> None:
    kms = boto3.client("kms", region_name=REGION)
    kms.create_key(Description="k")

    resources = collect(
        {"kms"}, *api_error("kms", "GetKeyRotationStatus", "AccessDenied")
    )

    (key,) = resources.of_type("aws_kms_key")
    assert is_unknown(key.attributes["enable_key_rotation"])
    results = run_checks([KeyRotationDisabled()], resources)
    assert [r.status for r in results] == [Status.ERROR]


def test_trail_status_and_settings_are_merged(mocked: None) -> None:
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="trail-logs")
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(
        Name="org-trail",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
    )
    trail.start_logging(Name="org-trail")
    trail.create_trail(Name="quiet-trail", S3BucketName="trail-logs")

    trails = {t.name: t for t in collect({"cloudtrail"}).of_type("aws_cloudtrail")}

    assert trails["org-trail"].attributes["is_multi_region_trail"] is True
    assert trails["org-trail"].attributes["enable_logging"] is True
    assert trails["org-trail"].attributes["enable_log_file_validation"] is True
    assert trails["quiet-trail"].attributes["enable_logging"] is False
    assert trails["quiet-trail"].attributes["s3_bucket_name"] == "trail-logs"


def test_multi_region_trail_is_one_resource_across_regions(mocked: None) -> None:
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="trail-logs")
    trail = boto3.client("cloudtrail", region_name=REGION)
    trail.create_trail(
        Name="everywhere", S3BucketName="trail-logs", IsMultiRegionTrail=True
    )

    resources = collect_aws(
        AwsOptions(regions=[REGION, "eu-west-1"], services={"cloudtrail"})
    )

    assert [t.name for t in resources.of_type("aws_cloudtrail")] == ["everywhere"]
    assert resources.of_type("aws_cloudtrail")[0].region == REGION
