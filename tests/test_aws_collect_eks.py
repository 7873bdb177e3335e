"""EKS collection: API endpoint access, for AWS-EKS-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_eks_001_public_endpoint import EksPublicEndpoint
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ROLE = "arn:aws:iam::123456789012:role/eks"


@pytest.fixture
def eks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("eks", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"eks"}, event_hooks=list(hooks))
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([EksPublicEndpoint()], resources)
    return {r.resource.rsplit("/", 1)[-1]: r.status for r in results}


def make(eks: Any, name: str, **vpc: Any) -> None:
    eks.create_cluster(
        name=name,
        roleArn=ROLE,
        resourcesVpcConfig={"subnetIds": ["subnet-0a1b2c3d"], **vpc},
    )


def test_open_restricted_and_private_endpoints(eks: Any) -> None:
    make(eks, "open", endpointPublicAccess=True, publicAccessCidrs=["0.0.0.0/0"])
    make(eks, "office", endpointPublicAccess=True, publicAccessCidrs=["203.0.113.0/24"])
    make(eks, "private", endpointPublicAccess=False, endpointPrivateAccess=True)

    resources = collect()

    office = next(r for r in resources.of_type("aws_eks_cluster") if r.name == "office")
    assert office.attributes["vpc_config"][0]["public_access_cidrs"] == [
        "203.0.113.0/24"
    ]
    assert statuses(resources) == {
        "open": Status.FAIL,
        "office": Status.PASS,
        "private": Status.PASS,
    }


def test_denied_describe_makes_that_cluster_an_error(eks: Any) -> None:
    make(eks, "private", endpointPublicAccess=False, endpointPrivateAccess=True)

    resources = collect(*api_error("eks", "DescribeCluster", "AccessDeniedException"))

    assert statuses(resources) == {"private": Status.ERROR}
