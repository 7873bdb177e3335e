"""AWS Config collection: recorder, recording group and status, for AWS-CFG-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_cfg_001_recorder_not_all_types import (
    ConfigRecorderNotAllTypes,
)
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"
REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"]
ROLE = f"arn:aws:iam::{ACCOUNT}:role/config"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


def recorder(region: str, group: dict[str, Any], *, start: bool) -> None:
    config = boto3.client("config", region_name=region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": ROLE,
            "recordingGroup": group,
        }
    )
    if start:
        bucket = f"config-{region}"
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=bucket)
        config.put_delivery_channel(
            DeliveryChannel={"name": "default", "s3BucketName": bucket}
        )
        config.start_configuration_recorder(ConfigurationRecorderName="default")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=REGIONS, services={"config"}, event_hooks=list(hooks))
    )


def by_region(resources: ResourceSet) -> dict[str, set[Status]]:
    results = run_checks([ConfigRecorderNotAllTypes()], resources)
    found: dict[str, set[Status]] = {}
    for result in results:
        found.setdefault(str(result.region), set()).add(result.status)
    return found


EVERYTHING = {"allSupported": True, "includeGlobalResourceTypes": True}
SOME = {
    "allSupported": False,
    "includeGlobalResourceTypes": False,
    "resourceTypes": ["AWS::S3::Bucket", "AWS::EC2::Instance"],
}


def test_recorder_normalizes_to_the_terraform_shape(aws: None) -> None:
    recorder("us-east-1", SOME, start=True)

    resources = collect()

    found = resources.of_type("aws_config_configuration_recorder")
    assert len(found) == 1
    attributes = found[0].attributes
    assert found[0].region == "us-east-1"
    assert attributes["name"] == "default"
    assert attributes["role_arn"] == ROLE
    assert attributes["is_enabled"] is True
    group = attributes["recording_group"][0]
    assert group["all_supported"] is False
    assert group["resource_types"] == ["AWS::EC2::Instance", "AWS::S3::Bucket"]


def test_regions_fail_without_a_full_running_recorder(aws: None) -> None:
    recorder("us-east-1", EVERYTHING, start=True)
    recorder("eu-west-1", EVERYTHING, start=False)  # configured, never started

    assert by_region(collect()) == {
        "us-east-1": {Status.PASS},
        "eu-west-1": {Status.FAIL},
        "ap-south-1": {Status.FAIL},  # no recorder at all
    }


def test_partial_recording_fails(aws: None) -> None:
    recorder("us-east-1", SOME, start=True)

    assert by_region(collect())["us-east-1"] == {Status.FAIL}


def test_denied_calls_are_errors_never_passes(aws: None) -> None:
    recorder("us-east-1", EVERYTHING, start=True)
    recorder("eu-west-1", EVERYTHING, start=True)

    found = by_region(
        collect(
            *api_error(
                "config-service",
                "DescribeConfigurationRecorderStatus",
                "AccessDeniedException",
                region="us-east-1",
            ),
            *api_error(
                "config-service",
                "DescribeConfigurationRecorders",
                "AccessDeniedException",
                region="ap-south-1",
            ),
        )
    )

    assert found == {
        "us-east-1": {Status.ERROR},
        "eu-west-1": {Status.PASS},
        "ap-south-1": {Status.ERROR},
    }
