"""ElastiCache collection: at-rest encryption, for AWS-EC-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_ec_001_replication_group_unencrypted import (
    ElastiCacheAtRestEncryption,
)
from test_aws_support import fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def elasticache(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("elasticache", region_name="us-east-1")


def test_replication_groups_are_judged_by_at_rest_encryption(elasticache: Any) -> None:
    for name, encrypted in (("sessions", False), ("api", True)):
        elasticache.create_replication_group(
            ReplicationGroupId=name,
            ReplicationGroupDescription=name,
            CacheNodeType="cache.t4g.small",
            Engine="redis",
            NumCacheClusters=1,
            AtRestEncryptionEnabled=encrypted,
        )

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"elasticache"}))

    groups = resources.of_type("aws_elasticache_replication_group")
    assert {g.name: g.attributes["at_rest_encryption_enabled"] for g in groups} == {
        "sessions": False,
        "api": True,
    }
    results = run_checks([ElastiCacheAtRestEncryption()], resources)
    by_name = {r.resource.rsplit(":", 1)[-1]: r.status for r in results}
    assert by_name == {"sessions": Status.FAIL, "api": Status.PASS}
