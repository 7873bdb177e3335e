"""IAM collection: users, credentials, policies and account facts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_iam_002_console_user_without_mfa import (
    ConsoleUserWithoutMfa,
)
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
USER_ARN = "arn:aws:iam::123456789012:user/alice"


@pytest.fixture
def iam(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("iam", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"iam"}, event_hooks=list(hooks))
    )


def test_console_user_without_mfa_has_login_profile_and_no_devices(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
    iam.create_user(UserName="bot")

    resources = collect()

    alice = resources.get(USER_ARN)
    assert alice is not None and alice.type == "aws_iam_user"
    assert len(alice.attributes["login_profile"]) == 1
    assert alice.attributes["mfa_devices"] == []
    bot = resources.get("arn:aws:iam::123456789012:user/bot")
    assert bot is not None and bot.attributes["login_profile"] == []
    (profile,) = resources.of_type("aws_iam_user_login_profile")
    assert profile.attributes["user"] == "alice"


def test_mfa_device_is_listed_on_the_user(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")[
        "VirtualMFADevice"
    ]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )

    alice = collect().get(USER_ARN)

    assert alice is not None
    assert [d["serial_number"] for d in alice.attributes["mfa_devices"]] == [serial]


def test_access_keys_carry_status_and_date_and_a_masked_id(iam: Any) -> None:
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    iam.update_access_key(
        UserName="alice", AccessKeyId=key["AccessKeyId"], Status="Inactive"
    )

    resources = collect()

    (access_key,) = resources.of_type("aws_iam_access_key")
    assert access_key.attributes["status"] == "Inactive"
    assert access_key.attributes["create_date"].endswith("Z")
    assert access_key.attributes["id"] != key["AccessKeyId"]
    assert access_key.attributes["id"][-4:] == key["AccessKeyId"][-4:]
    assert key["AccessKeyId"] not in json.dumps(
        [dict(r.attributes) for r in resources], default=str
    )


def test_policies_carry_their_documents_as_json_text(iam: Any) -> None:
    iam.create_policy(PolicyName="admin", PolicyDocument=json.dumps(ADMIN))
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(
        RoleName="app", PolicyName="inline-admin", PolicyDocument=json.dumps(ADMIN)
    )
    iam.create_user(UserName="alice")
    iam.put_user_policy(
        UserName="alice", PolicyName="user-admin", PolicyDocument=json.dumps(ADMIN)
    )

    resources = collect()

    (policy,) = resources.of_type("aws_iam_policy")
    assert policy.arn == "arn:aws:iam::123456789012:policy/admin"
    assert policy.name == "admin" and json.loads(policy.attributes["policy"]) == ADMIN
    (role,) = resources.of_type("aws_iam_role")
    assert json.loads(role.attributes["assume_role_policy"]) == TRUST
    (role_policy,) = resources.of_type("aws_iam_role_policy")
    assert role_policy.attributes["role"] == "app"
    assert json.loads(role_policy.attributes["policy"]) == ADMIN
    (user_policy,) = resources.of_type("aws_iam_user_policy")
    assert user_policy.attributes["user"] == "alice"


def test_password_policy_and_root_facts_reach_the_account(iam: Any) -> None:
    iam.update_account_password_policy(
        MinimumPasswordLength=14, PasswordReusePrevention=24
    )

    resources = collect()

    (policy,) = resources.of_type("aws_iam_account_password_policy")
    assert policy.attributes["minimum_password_length"] == 14
    assert policy.attributes["password_reuse_prevention"] == 24
    (account,) = resources.of_type("aws_account")
    assert account.attributes["root_access_keys_present"] is False
    assert account.attributes["password_policy"]["minimum_password_length"] == 14


def test_no_password_policy_is_none_not_an_error(iam: Any) -> None:
    resources = collect()

    assert resources.of_type("aws_iam_account_password_policy") == []
    (account,) = resources.of_type("aws_account")
    assert account.attributes["password_policy"] is None
    assert resources.collection_errors == []


def test_denied_mfa_listing_makes_the_mfa_rule_error(iam: Any) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")

    resources = collect(*api_error("iam", "ListMFADevices", "AccessDenied"))

    alice = resources.get(USER_ARN)
    assert alice is not None and is_unknown(alice.attributes["mfa_devices"])
    assert [e.operation for e in alice.errors] == ["iam:ListMFADevices"]
    results = run_checks([ConsoleUserWithoutMfa()], resources)
    assert [(r.resource, r.status) for r in results] == [(USER_ARN, Status.ERROR)]


def test_denied_authorization_details_leave_iam_types_incomplete(iam: Any) -> None:
    iam.create_user(UserName="alice")

    resources = collect(
        *api_error("iam", "GetAccountAuthorizationDetails", "AccessDenied")
    )

    assert resources.of_type("aws_iam_user") == []
    (error,) = resources.errors_for(["aws_iam_user"])
    assert error.operation == "iam:GetAccountAuthorizationDetails"
    assert error.region == "global" and error.code == "AccessDenied"
    results = run_checks([ConsoleUserWithoutMfa()], resources)
    assert [r.status for r in results] == [Status.ERROR]
