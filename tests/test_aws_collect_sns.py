"""SNS collection: each topic's KMS key, for AWS-SNS-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_sns_001_topic_unencrypted import SnsTopicEncrypted
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"


@pytest.fixture
def sns(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("sns", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"sns"}, event_hooks=list(hooks))
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([SnsTopicEncrypted()], resources)
    return {r.resource.rsplit(":", 1)[-1]: r.status for r in results}


def test_topics_carry_their_key_and_are_judged(sns: Any) -> None:
    sns.create_topic(Name="plain")
    sns.create_topic(Name="secure", Attributes={"KmsMasterKeyId": "alias/aws/sns"})

    resources = collect()

    secure = resources.get(f"arn:aws:sns:us-east-1:{ACCOUNT}:secure")
    plain = resources.get(f"arn:aws:sns:us-east-1:{ACCOUNT}:plain")
    assert secure is not None and plain is not None
    assert secure.attributes["kms_master_key_id"] == "alias/aws/sns"
    assert plain.attributes["kms_master_key_id"] is None
    assert statuses(resources) == {"plain": Status.FAIL, "secure": Status.PASS}


def test_denied_attributes_make_that_topic_an_error(sns: Any) -> None:
    sns.create_topic(Name="secure", Attributes={"KmsMasterKeyId": "alias/aws/sns"})

    resources = collect(*api_error("sns", "GetTopicAttributes", "AuthorizationError"))

    assert statuses(resources) == {"secure": Status.ERROR}
