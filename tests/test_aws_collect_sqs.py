"""SQS collection: SSE-KMS and SSE-SQS, for AWS-SQS-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_sqs_001_queue_unencrypted import SqsQueueEncrypted
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"


@pytest.fixture
def sqs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("sqs", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"sqs"}, event_hooks=list(hooks))
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([SqsQueueEncrypted()], resources)
    return {r.resource.rsplit(":", 1)[-1]: r.status for r in results}


def test_queues_are_judged_by_either_kind_of_encryption(sqs: Any) -> None:
    sqs.create_queue(QueueName="kms", Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
    sqs.create_queue(QueueName="managed", Attributes={"SqsManagedSseEnabled": "true"})
    sqs.create_queue(QueueName="plain", Attributes={"SqsManagedSseEnabled": "false"})

    resources = collect()

    managed = resources.get(f"arn:aws:sqs:us-east-1:{ACCOUNT}:managed")
    assert managed is not None
    assert managed.attributes["sqs_managed_sse_enabled"] is True
    assert statuses(resources) == {
        "kms": Status.PASS,
        "managed": Status.PASS,
        "plain": Status.FAIL,
    }


def test_denied_attributes_are_an_error_never_a_pass(sqs: Any) -> None:
    sqs.create_queue(QueueName="managed", Attributes={"SqsManagedSseEnabled": "true"})

    resources = collect(*api_error("sqs", "GetQueueAttributes", "AccessDenied"))

    assert statuses(resources) == {"managed": Status.ERROR}
