"""Day-one checks against what the live collectors really emit (moto in-process).

Seeds one misconfigured and one clean resource per rule, collects them with the
real collectors and asserts each rule's verdicts: the contract between the
collectors' canonical shape and the checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache

import boto3
import pytest
from moto import mock_aws
from test_aws_support import fake_credentials

from surveyor.checks.base import Check
from surveyor.checks.loader import builtin_policy_dir, load_checks
from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

REGION = "us-east-1"
ACCOUNT = "123456789012"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


@lru_cache(maxsize=1)
def checks() -> dict[str, Check]:
    return {c.meta.id: c.check for c in load_checks([builtin_policy_dir()])}


def verdicts(rule_id: str, resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([checks()[rule_id]], resources)
    return {r.resource: r.status for r in results}


def collect(*services: str) -> ResourceSet:
    return collect_aws(AwsOptions(regions=[REGION], services=set(services)))


def test_security_groups_open_to_ssh_and_rdp(aws: None) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    open_ = ec2.create_security_group(GroupName="open", Description="o", VpcId=vpc)
    closed = ec2.create_security_group(GroupName="closed", Description="c", VpcId=vpc)
    ec2.authorize_security_group_ingress(
        GroupId=open_["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 20,
                "ToPort": 3400,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    ec2.authorize_security_group_ingress(
        GroupId=closed["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            }
        ],
    )

    resources = collect("ec2")
    for rule_id in ("AWS-EC2-001", "AWS-EC2-002"):
        found = verdicts(rule_id, resources)
        by_id = {arn.rsplit("/", 1)[1]: status for arn, status in found.items()}
        assert by_id[open_["GroupId"]] is Status.FAIL, rule_id
        assert by_id[closed["GroupId"]] is Status.PASS, rule_id


def test_console_user_without_mfa_and_admin_policy(aws: None) -> None:
    iam = boto3.client("iam", region_name=REGION)
    for name in ("no-mfa", "with-mfa", "api-only"):
        iam.create_user(UserName=name)
    for name in ("no-mfa", "with-mfa"):
        iam.create_login_profile(UserName=name, Password="Correct-Horse-9")
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="with-mfa")
    iam.enable_mfa_device(
        UserName="with-mfa",
        SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    admin = {"Version": "2012-10-17", "Statement": [ALLOW_ALL]}
    iam.create_policy(PolicyName="admin", PolicyDocument=json.dumps(admin))
    iam.put_user_policy(
        UserName="api-only",
        PolicyName="read",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{**ALLOW_ALL, "Action": "s3:Get*"}]}
        ),
    )

    resources = collect("iam")
    users = verdicts("AWS-IAM-002", resources)
    assert users[f"arn:aws:iam::{ACCOUNT}:user/no-mfa"] is Status.FAIL
    assert users[f"arn:aws:iam::{ACCOUNT}:user/with-mfa"] is Status.PASS
    assert users[f"arn:aws:iam::{ACCOUNT}:user/api-only"] is Status.PASS
    policies = verdicts("AWS-IAM-001", resources)
    assert policies[f"arn:aws:iam::{ACCOUNT}:policy/admin"] is Status.FAIL
    inline = f"arn:aws:iam::{ACCOUNT}:user/api-only/inline-policy/read"
    assert policies[inline] is Status.PASS


ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def test_volumes_keys_databases_and_trails(aws: None) -> None:
    ec2 = boto3.client("ec2", region_name=REGION)
    plain = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
    sealed = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True)
    kms = boto3.client("kms", region_name=REGION)
    stale = kms.create_key()["KeyMetadata"]["Arn"]
    rotating = kms.create_key()["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotating["KeyId"])
    rds = boto3.client("rds", region_name=REGION)
    for name, public, encrypted in (("open", True, False), ("shut", False, True)):
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            AllocatedStorage=20,
            MasterUsername="app",
            MasterUserPassword="Correct-Horse-9",
            PubliclyAccessible=public,
            StorageEncrypted=encrypted,
            **({"KmsKeyId": rotating["Arn"]} if encrypted else {}),
        )

    resources = collect("ec2", "kms", "rds", "cloudtrail")
    volumes = verdicts("AWS-EC2-005", resources)
    assert volumes[f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{plain}"] is Status.FAIL
    sealed_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{sealed['VolumeId']}"
    assert volumes[sealed_arn] is Status.PASS
    keys = verdicts("AWS-KMS-001", resources)
    assert keys[stale] is Status.FAIL
    assert keys[rotating["Arn"]] is Status.PASS
    open_db = f"arn:aws:rds:{REGION}:{ACCOUNT}:db:open"
    shut_db = f"arn:aws:rds:{REGION}:{ACCOUNT}:db:shut"
    for rule_id in ("AWS-RDS-001", "AWS-RDS-002", "AWS-RDS-003"):
        found = verdicts(rule_id, resources)
        assert found[open_db] is Status.FAIL, rule_id
        assert found[shut_db] is Status.PASS, rule_id
    # No trail at all: the account fails.
    assert verdicts("AWS-CT-001", resources) == {f"aws://{ACCOUNT}": Status.FAIL}


def test_buckets_public_by_acl_policy_and_missing_block(aws: None) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    for name in ("acme-open", "acme-locked"):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_ownership_controls(
        Bucket="acme-open",
        OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
    )
    s3.put_bucket_acl(Bucket="acme-open", ACL="public-read")
    public = {**ALLOW_ALL, "Principal": "*", "Action": "s3:GetObject"}
    s3.put_bucket_policy(
        Bucket="acme-open",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{**public, "Resource": "arn:aws:s3:::acme-open/*"}],
            }
        ),
    )
    s3.put_public_access_block(
        Bucket="acme-locked",
        PublicAccessBlockConfiguration=dict.fromkeys(
            (
                "BlockPublicAcls",
                "IgnorePublicAcls",
                "BlockPublicPolicy",
                "RestrictPublicBuckets",
            ),
            True,
        ),
    )

    resources = collect("s3")
    for rule_id in ("AWS-S3-001", "AWS-S3-002", "AWS-S3-003"):
        found = verdicts(rule_id, resources)
        assert found["arn:aws:s3:::acme-open"] is Status.FAIL, rule_id
        assert found["arn:aws:s3:::acme-locked"] is Status.PASS, rule_id
