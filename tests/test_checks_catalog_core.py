"""Catalog checks: the decisions fixtures cannot pin (time, reference forms),
and the IAM rules over what the IAM collector really emits (moto)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_ec2_003_all_traffic_from_internet import (
    AllTrafficFromInternet,
    admits_every_port,
)
from surveyor.policies.aws_iam_004_multiple_active_access_keys import (
    MultipleActiveAccessKeys,
)
from surveyor.policies.aws_iam_005_weak_password_policy import WeakPasswordPolicy
from surveyor.policies.aws_iam_006_open_role_trust import OpenRoleTrust
from surveyor.policies.aws_iam_007_stale_access_key import StaleAccessKey
from surveyor.policies.aws_s3_007_default_encryption_not_cmk import is_declared_key
from test_aws_support import api_error, fake_credentials

from surveyor.checks.base import Check
from surveyor.engine import run_checks
from surveyor.model import Resource, Side, Status, Unknown, contains_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "111122223333"


class Ref(Unknown):
    """A stand-in for the Terraform source's reference unknown."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        super().__init__(f"computed by {address}")
        self.address = address


def live(type_: str, address: str, **attributes: Any) -> Resource:
    return Resource(
        type=type_,
        address=address,
        attributes=attributes,
        side=Side.LIVE,
        account=ACCOUNT,
        region="global",
    )


def status_of(check: Check, *resources: Resource) -> dict[str, Status]:
    results = run_checks([check], ResourceSet(resources))
    return {r.resource: r.status for r in results}


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def test_key_age_is_measured_from_now_without_a_collection_time() -> None:
    now = datetime.now(timezone.utc)
    fresh = live(
        "aws_iam_access_key",
        "k/fresh",
        status="Active",
        create_date=iso(now - timedelta(days=10)),
    )
    stale = live(
        "aws_iam_access_key",
        "k/stale",
        status="Active",
        create_date=iso(now - timedelta(days=91)),
    )

    assert status_of(StaleAccessKey(), fresh, stale) == {
        "k/fresh": Status.PASS,
        "k/stale": Status.FAIL,
    }


def test_key_age_is_measured_from_the_collection_time_when_known() -> None:
    anchor = live(
        "aws_account", f"aws://{ACCOUNT}", collected_at="2025-03-01T00:00:00Z"
    )
    key = live(
        "aws_iam_access_key", "k/1", status="Active", create_date="2025-01-15T00:00:00Z"
    )

    assert status_of(StaleAccessKey(), anchor, key) == {"k/1": Status.PASS}


def test_key_with_unknown_status_or_date_is_unknown() -> None:
    no_status = live(
        "aws_iam_access_key",
        "k/a",
        status=Unknown("denied"),
        create_date="2020-01-01T00:00:00Z",
    )
    bad_date = live("aws_iam_access_key", "k/b", status="Active", create_date="soon")

    assert status_of(StaleAccessKey(), no_status, bad_date) == {
        "k/a": Status.UNKNOWN,
        "k/b": Status.UNKNOWN,
    }


@pytest.mark.parametrize(
    ("address", "declared"),
    [
        ("aws_kms_key.s3", True),
        ('module.data.aws_kms_key.this["eu"]', True),
        ("aws_kms_alias.s3", True),
        ("data.aws_kms_key.shared", False),
        ("module.lookup.data.aws_kms_alias.s3", False),
        ("aws_s3_bucket.logs", False),
    ],
)
def test_only_keys_declared_in_the_configuration_count_as_customer_managed(
    address: str, declared: bool
) -> None:
    assert is_declared_key(Ref(address)) is declared
    assert is_declared_key(Unknown("var.key has no value")) is False


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"protocol": "udp", "from_port": 0, "to_port": 65535}, True),
        ({"protocol": "6", "from_port": 1, "to_port": 65535}, True),
        ({"protocol": "tcp", "from_port": 1024, "to_port": 65535}, False),
        ({"protocol": "icmp", "from_port": -1, "to_port": -1}, False),
        ({"protocol": "-1"}, True),
    ],
)
def test_every_port_means_all_protocols_or_a_full_range(
    rule: dict[str, Any], expected: bool
) -> None:
    assert admits_every_port(rule) is expected


def test_open_security_group_from_a_reference_source_stays_unknown() -> None:
    group = live(
        "aws_security_group",
        "sg-1",
        ingress=[{"protocol": Unknown("var.protocol"), "cidr_blocks": ["0.0.0.0/0"]}],
    )

    assert status_of(AllTrafficFromInternet(), group) == {"sg-1": Status.UNKNOWN}


def trust(condition: dict[str, Any] | None, principal: Any) -> Resource:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    document: Any = {"Version": "2012-10-17", "Statement": [statement]}
    # jsonencode() of a partly unknown value stays a structure (see the brief).
    text = document if contains_unknown(document) else json.dumps(document)
    return live("aws_iam_role", "role", assume_role_policy=text)


OTHER_ROOT = {"AWS": "arn:aws:iam::444455556666:root"}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"StringEquals": {"sts:ExternalId": "x1"}}, Status.PASS),
        ({"StringEquals": {"sts:ExternalId": Unknown("var.external_id")}}, Status.PASS),
        ({"StringLike": {"aws:PrincipalOrgID": "o-abc123"}}, Status.PASS),
        ({"StringNotEquals": {"sts:ExternalId": "x1"}}, Status.FAIL),
        ({"StringEqualsIfExists": {"sts:ExternalId": "x1"}}, Status.FAIL),
        ({"StringLike": {"sts:ExternalId": "*"}}, Status.FAIL),
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, Status.FAIL),
        (None, Status.FAIL),
    ],
)
def test_cross_account_trust_needs_a_concrete_external_id_or_org(
    condition: dict[str, Any] | None, expected: Status
) -> None:
    assert status_of(OpenRoleTrust(), trust(condition, OTHER_ROOT)) == {
        "role": expected
    }


def test_same_account_and_service_principals_are_trusted_live() -> None:
    own = trust(None, {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"})
    service = trust(None, {"Service": "ec2.amazonaws.com"})

    assert status_of(OpenRoleTrust(), own) == {"role": Status.PASS}
    assert status_of(OpenRoleTrust(), service) == {"role": Status.PASS}


# --- over the live IAM collector (moto) ---------------------------------

MOTO_ACCOUNT = "123456789012"


@pytest.fixture
def iam(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("iam", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"iam"}, event_hooks=list(hooks))
    )


def statuses(check: Check, resources: ResourceSet) -> dict[str, Status]:
    return {r.resource: r.status for r in run_checks([check], resources)}


def test_two_active_keys_fail_and_fresh_keys_are_not_stale(iam: Any) -> None:
    iam.create_user(UserName="ci")
    iam.create_user(UserName="deploy")
    iam.create_access_key(UserName="ci")
    iam.create_access_key(UserName="ci")
    old = iam.create_access_key(UserName="deploy")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="deploy", AccessKeyId=old, Status="Inactive")
    iam.create_access_key(UserName="deploy")

    resources = collect()

    assert statuses(MultipleActiveAccessKeys(), resources) == {
        f"arn:aws:iam::{MOTO_ACCOUNT}:user/ci": Status.FAIL,
        f"arn:aws:iam::{MOTO_ACCOUNT}:user/deploy": Status.PASS,
    }
    ages = statuses(StaleAccessKey(), resources)
    assert len(ages) == 4
    assert set(ages.values()) == {Status.PASS}  # created just now, or inactive


def test_password_policy_absent_then_weak_then_strong(iam: Any) -> None:
    anchor = f"aws://{MOTO_ACCOUNT}"
    assert statuses(WeakPasswordPolicy(), collect()) == {anchor: Status.FAIL}

    iam.update_account_password_policy(MinimumPasswordLength=8)
    weak = statuses(WeakPasswordPolicy(), collect())
    assert set(weak.values()) == {Status.FAIL} and anchor not in weak

    iam.update_account_password_policy(
        MinimumPasswordLength=14, PasswordReusePrevention=24
    )
    assert set(statuses(WeakPasswordPolicy(), collect()).values()) == {Status.PASS}


def test_denied_password_policy_is_an_error_not_a_missing_policy(iam: Any) -> None:
    found = statuses(
        WeakPasswordPolicy(),
        collect(*api_error("iam", "GetAccountPasswordPolicy", "AccessDenied")),
    )

    assert set(found.values()) == {Status.ERROR}


def test_trust_of_another_account_fails_and_own_account_passes(iam: Any) -> None:
    def role(name: str, principal: dict[str, Any]) -> None:
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
            ],
        }
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(document))

    role("vendor", {"AWS": "arn:aws:iam::444455556666:root"})
    role("admin", {"AWS": f"arn:aws:iam::{MOTO_ACCOUNT}:root"})
    role("ec2", {"Service": "ec2.amazonaws.com"})

    assert statuses(OpenRoleTrust(), collect()) == {
        f"arn:aws:iam::{MOTO_ACCOUNT}:role/vendor": Status.FAIL,
        f"arn:aws:iam::{MOTO_ACCOUNT}:role/admin": Status.PASS,
        f"arn:aws:iam::{MOTO_ACCOUNT}:role/ec2": Status.PASS,
    }
