"""GuardDuty collection: one detector per region, for AWS-GD-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_gd_001_guardduty_disabled import GuardDutyDisabled
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"
REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


def client(region: str) -> Any:
    return boto3.client("guardduty", region_name=region)


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=REGIONS, services={"guardduty"}, event_hooks=list(hooks))
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([GuardDutyDisabled()], resources)
    return {r.resource: r.status for r in results}


def test_detectors_normalize_to_the_terraform_shape(aws: None) -> None:
    detector_id = client("us-east-1").create_detector(
        Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES"
    )["DetectorId"]

    resources = collect()

    arn = f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/{detector_id}"
    detector = resources.get(arn)
    assert detector is not None
    assert detector.type == "aws_guardduty_detector"
    assert detector.region == "us-east-1"
    assert detector.attributes["id"] == detector_id
    assert detector.attributes["enable"] is True
    assert detector.attributes["finding_publishing_frequency"] == "FIFTEEN_MINUTES"


def test_each_region_is_judged_by_its_detector_or_its_absence(aws: None) -> None:
    on = client("us-east-1").create_detector(Enable=True)["DetectorId"]
    off = client("eu-west-1").create_detector(Enable=False)["DetectorId"]

    found = statuses(collect())

    assert found == {
        f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/{on}": Status.PASS,
        f"arn:aws:guardduty:eu-west-1:{ACCOUNT}:detector/{off}": Status.FAIL,
        f"aws://{ACCOUNT}/ap-south-1": Status.FAIL,
    }


def test_denied_listing_is_an_error_never_a_missing_detector(aws: None) -> None:
    client("us-east-1").create_detector(Enable=True)

    found = statuses(
        collect(
            *api_error(
                "guardduty",
                "ListDetectors",
                "AccessDeniedException",
                region="ap-south-1",
            )
        )
    )

    assert found[f"aws://{ACCOUNT}/ap-south-1"] is Status.ERROR
    assert found[f"aws://{ACCOUNT}/eu-west-1"] is Status.FAIL
    assert Status.PASS in found.values()


def test_denied_detector_details_never_pass(aws: None) -> None:
    detector_id = client("us-east-1").create_detector(Enable=True)["DetectorId"]

    found = statuses(
        collect(*api_error("guardduty", "GetDetector", "AccessDeniedException"))
    )

    arn = f"arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/{detector_id}"
    assert found[arn] is Status.ERROR
