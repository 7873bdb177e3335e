"""The collection runner: credentials, crashes as data, permissions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from moto import mock_aws
from test_aws_support import fake_credentials
from typer.testing import CliRunner

from surveyor.sources.aws import AwsCredentialsError, AwsOptions, collect_aws
from surveyor.sources.aws.collectors import ALL
from surveyor.sources.aws.collectors.kms import KmsCollector
from surveyor.sources.aws.framework import CollectContext
from surveyor.sources.aws.permissions import declared_operations, read_only_policy


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


def test_no_credentials_is_a_setup_error_naming_what_to_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_credentials(monkeypatch)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)

    with pytest.raises(AwsCredentialsError, match="no AWS credentials found"):
        collect_aws(AwsOptions(regions=["us-east-1"]))


def test_a_crashing_collector_becomes_an_error_for_its_types(
    mocked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: KmsCollector, ctx: CollectContext) -> None:
        raise KeyError("KeyMetadata")

    monkeypatch.setattr(KmsCollector, "collect", crash)

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"kms", "rds"}))

    (error,) = resources.errors_for(["aws_kms_key"])
    assert error.operation == "kms:collect"
    assert error.code == "CollectorFailed.KeyError"
    assert resources.errors_for(["aws_db_instance"]) == []
    assert len(resources.of_type("aws_account")) == 1


def test_every_collector_declares_its_types_and_operations() -> None:
    for collector in ALL:
        assert collector.resource_types, collector.__name__
        assert collector.operations, collector.__name__
        for operation, types in collector.operations.items():
            assert re.fullmatch(r"([a-z0-9-]+:)?[A-Z][A-Za-z0-9]+", operation)
            assert types, f"{collector.__name__}.{operation} names no types"


def test_iam_actions_differ_from_api_names_where_aws_says_so() -> None:
    calls = declared_operations(list(ALL))
    assert calls["s3:ListBuckets"] == "s3:ListAllMyBuckets"
    assert calls["s3:GetBucketEncryption"] == "s3:GetEncryptionConfiguration"
    assert calls["s3:GetPublicAccessBlock"] == "s3:GetBucketPublicAccessBlock"
    assert calls["s3control:GetPublicAccessBlock"] == "s3:GetAccountPublicAccessBlock"
    assert calls["iam:GetAccountAuthorizationDetails"] == (
        "iam:GetAccountAuthorizationDetails"
    )


def test_policy_is_read_only_and_allows_only_declared_actions() -> None:
    policy = read_only_policy()

    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Allow" and statement["Resource"] == "*"
    actions = statement["Action"]
    assert actions == sorted(set(actions))
    for action in actions:
        verb = action.split(":")[1]
        assert verb.startswith(("Get", "List", "Describe")), action


def test_permissions_command_prints_the_policy_as_json() -> None:
    from surveyor.cli import app, register

    register()
    result = CliRunner().invoke(app, ["permissions"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == read_only_policy()


def test_secret_shaped_values_are_redacted_whatever_the_collector(
    mocked: None,
) -> None:
    import boto3

    ec2 = boto3.client("ec2", region_name="us-east-1")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    ec2.create_tags(
        Resources=[volume],
        Tags=[{"Key": "deploy-key", "Value": "AKIAIOSFODNN7EXAMPLE"}],
    )

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"ec2"}))

    (found,) = resources.of_type("aws_ebs_volume")
    assert found.tags["deploy-key"] == "<redacted:aws-access-key-id>"


def test_scan_without_credentials_is_a_setup_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from surveyor.scan import ScanOptions, ScanSetupError, run_scan

    fake_credentials(monkeypatch)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)

    with pytest.raises(ScanSetupError, match="no AWS credentials found"):
        run_scan(ScanOptions(aws=True, regions=["us-east-1"]))


def test_progress_is_quiet_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from surveyor.sources.aws.progress import progress

    with progress(2) as bar:
        bar.done("s3 global")
        bar.done("ec2 us-east-1")

    assert capsys.readouterr().err == ""
