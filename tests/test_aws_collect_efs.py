"""EFS collection: the encryption flag, for AWS-EFS-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_efs_001_file_system_unencrypted import (
    EfsFileSystemEncrypted,
)
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def efs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("efs", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"efs"}, event_hooks=list(hooks))
    )


def test_file_systems_are_judged_by_their_encryption_flag(efs: Any) -> None:
    plain = efs.create_file_system(CreationToken="plain", Encrypted=False)
    secure = efs.create_file_system(CreationToken="secure", Encrypted=True)

    resources = collect()

    results = {
        r.resource: r.status for r in run_checks([EfsFileSystemEncrypted()], resources)
    }
    assert results == {
        plain["FileSystemArn"]: Status.FAIL,
        secure["FileSystemArn"]: Status.PASS,
    }
    found = resources.get(secure["FileSystemArn"])
    assert found is not None and found.attributes["creation_token"] == "secure"


def test_denied_describe_is_an_error_for_the_region(efs: Any) -> None:
    efs.create_file_system(CreationToken="secure", Encrypted=True)

    resources = collect(
        *api_error("efs", "DescribeFileSystems", "AccessDeniedException")
    )

    results = run_checks([EfsFileSystemEncrypted()], resources)
    assert [r.status for r in results] == [Status.ERROR]
    assert "DescribeFileSystems" in results[0].message
