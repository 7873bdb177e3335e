"""Redshift collection: cluster encryption, for AWS-RS-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_rs_001_cluster_unencrypted import RedshiftClusterEncrypted
from test_aws_support import fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"


@pytest.fixture
def redshift(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("redshift", region_name="us-east-1")


def make(client: Any, name: str, encrypted: bool) -> None:
    client.create_cluster(
        ClusterIdentifier=name,
        NodeType="ra3.xlplus",
        MasterUsername="admin",
        MasterUserPassword="Passw0rd-not-real",
        ClusterType="single-node",
        Encrypted=encrypted,
    )


def test_clusters_are_judged_by_their_encryption_flag(redshift: Any) -> None:
    make(redshift, "legacy", encrypted=False)
    make(redshift, "warehouse", encrypted=True)

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"redshift"}))

    arn = f"arn:aws:redshift:us-east-1:{ACCOUNT}:cluster:"
    results = run_checks([RedshiftClusterEncrypted()], resources)
    assert {r.resource: r.status for r in results} == {
        f"{arn}legacy": Status.FAIL,
        f"{arn}warehouse": Status.PASS,
    }
