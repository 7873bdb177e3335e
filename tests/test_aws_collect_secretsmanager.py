"""Secrets Manager collection: rotation status, never the value (AWS-SM-001)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_sm_001_rotation_disabled import SecretRotationDisabled
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.model.serialize import resource_to_json
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(
            regions=["us-east-1"], services={"secretsmanager"}, event_hooks=list(hooks)
        )
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([SecretRotationDisabled()], resources)
    names = {r.address: r.name for r in resources.of_type("aws_secretsmanager_secret")}
    return {names.get(r.resource, r.resource): r.status for r in results}


def rotation_function() -> str:
    iam = boto3.client("iam", region_name="us-east-1")
    role = iam.create_role(
        RoleName="rotate",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return None\n")
    created = boto3.client("lambda", region_name="us-east-1").create_function(
        FunctionName="rotate",
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()},
    )
    return str(created["FunctionArn"])


def test_rotation_status_decides_and_the_value_is_never_collected(
    secrets: Any,
) -> None:
    secrets.create_secret(Name="static", SecretString="do-not-collect-me")
    rotated = secrets.create_secret(Name="rotated", SecretString="do-not-collect-me")
    fn = rotation_function()
    secrets.rotate_secret(
        SecretId=rotated["ARN"],
        RotationLambdaARN=fn,
        RotationRules={"AutomaticallyAfterDays": 30},
        RotateImmediately=False,
    )

    resources = collect()

    assert statuses(resources) == {"static": Status.FAIL, "rotated": Status.PASS}
    dumped = json.dumps([resource_to_json(r) for r in resources])
    assert "do-not-collect-me" not in dumped


def test_denied_list_is_an_error(secrets: Any) -> None:
    secrets.create_secret(Name="static", SecretString="x")

    resources = collect(
        *api_error("secretsmanager", "ListSecrets", "AccessDeniedException")
    )

    assert list(statuses(resources).values()) == [Status.ERROR]
