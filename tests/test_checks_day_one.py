"""Day-one checks: messages that name the attribute and value, and decisions
that fixtures alone do not pin (accounts, applicability, severities)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from surveyor.checks.base import Check
from surveyor.checks.loader import builtin_policy_dir, load_checks
from surveyor.engine import run_checks
from surveyor.model import Location, Resource, Result, Severity, Side, Status
from surveyor.resourceset import ResourceSet

DAY_ONE = {
    "AWS-S3-001": Severity.CRITICAL,
    "AWS-S3-002": Severity.CRITICAL,
    "AWS-S3-003": Severity.HIGH,
    "AWS-IAM-001": Severity.CRITICAL,
    "AWS-IAM-002": Severity.HIGH,
    "AWS-EC2-001": Severity.HIGH,
    "AWS-EC2-002": Severity.HIGH,
    "AWS-EC2-005": Severity.HIGH,
    "AWS-RDS-001": Severity.HIGH,
    "AWS-RDS-002": Severity.MEDIUM,
    "AWS-RDS-003": Severity.CRITICAL,
    "AWS-CT-001": Severity.HIGH,
    "AWS-KMS-001": Severity.MEDIUM,
}


@lru_cache(maxsize=1)
def checks() -> dict[str, Check]:
    return {c.meta.id: c.check for c in load_checks([builtin_policy_dir()])}


def run(rule_id: str, *resources: Resource) -> list[Result]:
    return run_checks([checks()[rule_id]], ResourceSet(resources))


def iac(type_: str, address: str, attributes: dict[str, Any], **lines: int) -> Resource:
    locations = {
        k.replace("__", "."): Location("main.tf", v, v) for k, v in lines.items()
    }
    return Resource(
        type_,
        address,
        attributes,
        Side.IAC,
        location=Location("main.tf", 1, 20),
        attribute_locations=locations,
    )


def live(type_: str, arn: str, attributes: dict[str, Any], account: str) -> Resource:
    return Resource(type_, arn, attributes, Side.LIVE, arn=arn, account=account)


def test_day_one_rules_are_loaded_with_catalog_severities() -> None:
    found = {rule_id: checks()[rule_id].meta.severity for rule_id in DAY_ONE}
    assert found == DAY_ONE


def test_public_acl_message_names_the_attribute_and_value_and_its_line() -> None:
    bucket = iac("aws_s3_bucket", "aws_s3_bucket.b", {"acl": "public-read"}, acl=4)
    (result,) = run("AWS-S3-001", bucket)
    assert result.status is Status.FAIL
    assert result.message == 'acl = "public-read" grants READ to everyone'
    assert result.attribute == "acl"
    assert result.location == Location("main.tf", 4, 4)


def test_ssh_message_names_the_rule_range_and_cidr_at_the_rule_block() -> None:
    group = iac(
        "aws_security_group",
        "aws_security_group.g",
        {
            "ingress": [
                {
                    "from_port": 20,
                    "to_port": 23,
                    "protocol": "tcp",
                    "cidr_blocks": ["0.0.0.0/0"],
                }
            ]
        },
        ingress__0=5,
        ingress__0__cidr_blocks=9,
    )
    (result,) = run("AWS-EC2-001", group)
    assert result.status is Status.FAIL
    expected = 'allows tcp 20-23, which includes SSH, from cidr_blocks "0.0.0.0/0"'
    assert result.message == f"ingress.0 {expected}"
    # The rule's block is where the finding goes; the message names the cidr.
    assert result.location == Location("main.tf", 5, 5)


def test_live_account_block_of_another_account_does_not_cover_a_bucket() -> None:
    flags = dict.fromkeys(
        (
            "block_public_acls",
            "ignore_public_acls",
            "block_public_policy",
            "restrict_public_buckets",
        ),
        True,
    )
    other = live("aws_s3_account_public_access_block", "aws://999/pab", flags, "999")
    mine = live("aws_s3_account_public_access_block", "aws://111/pab", flags, "111")
    bucket = live(
        "aws_s3_bucket", "arn:aws:s3:::b", {"public_access_block": None}, "111"
    )
    assert [r.status for r in run("AWS-S3-003", other, bucket)] == [Status.FAIL]
    assert [r.status for r in run("AWS-S3-003", other, mine, bucket)] == [Status.PASS]


def test_aws_managed_policies_are_not_judged_live() -> None:
    admin = '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    managed = live(
        "aws_iam_policy",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        {"policy": admin},
        "111",
    )
    assert run("AWS-IAM-001", managed) == []


def test_iam_002_is_live_only_and_ignores_terraform_users() -> None:
    user = iac("aws_iam_user", "aws_iam_user.u", {"name": "u"})
    assert run("AWS-IAM-002", user) == []
    assert checks()["AWS-IAM-002"].meta.sides == frozenset({Side.LIVE})


def test_cloudtrail_rule_judges_live_trails_only_through_the_account() -> None:
    trail = live(
        "aws_cloudtrail",
        "arn:aws:cloudtrail:eu-west-1:111:trail/t",
        {"is_multi_region_trail": False, "enable_logging": True},
        "111",
    )
    anchor = live("aws_account", "aws://111", {}, "111")
    results = run("AWS-CT-001", trail, anchor)
    assert [(r.resource, r.status) for r in results] == [("aws://111", Status.FAIL)]
    assert "arn:aws:cloudtrail:eu-west-1:111:trail/t" in results[0].message


def test_rds_002_also_fires_on_unencrypted_storage_and_says_why() -> None:
    db = iac("aws_db_instance", "aws_db_instance.d", {"storage_encrypted": False})
    (result,) = run("AWS-RDS-002", db)
    assert result.status is Status.FAIL
    assert "no kms_key_id" in result.message


def test_kms_rule_does_not_apply_to_asymmetric_keys() -> None:
    key = iac(
        "aws_kms_key",
        "aws_kms_key.k",
        {"customer_master_key_spec": "ECC_NIST_P384", "key_usage": "SIGN_VERIFY"},
    )
    assert run("AWS-KMS-001", key) == []
