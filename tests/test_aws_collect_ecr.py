"""ECR collection: scan on push and tag mutability (AWS-ECR-001, AWS-ECR-002)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_ecr_001_scan_on_push_disabled import EcrScanOnPush
from surveyor.policies.aws_ecr_002_mutable_tags import EcrImmutableTags
from test_aws_support import fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def ecr(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("ecr", region_name="us-east-1")


def test_repositories_are_judged_by_both_rules(ecr: Any) -> None:
    ecr.create_repository(
        repositoryName="api",
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
    )
    ecr.create_repository(repositoryName="legacy")

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"ecr"}))

    legacy = next(
        r for r in resources.of_type("aws_ecr_repository") if r.name == "legacy"
    )
    assert legacy.attributes["image_tag_mutability"] == "MUTABLE"
    assert legacy.attributes["image_scanning_configuration"] == [
        {"scan_on_push": False}
    ]
    results = run_checks([EcrScanOnPush(), EcrImmutableTags()], resources)
    got = {(r.rule_id, r.resource.rsplit("/", 1)[-1]): r.status for r in results}
    assert got == {
        ("AWS-ECR-001", "api"): Status.PASS,
        ("AWS-ECR-001", "legacy"): Status.FAIL,
        ("AWS-ECR-002", "api"): Status.PASS,
        ("AWS-ECR-002", "legacy"): Status.FAIL,
    }
