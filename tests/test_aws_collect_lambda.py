"""Lambda collection: environment variables reach checks and snapshots redacted."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_lmb_001_env_secrets import LambdaEnvironmentSecrets
from test_aws_support import fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.model.serialize import resource_to_json
from surveyor.sources.aws import AwsOptions, collect_aws

SECRET = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def lam(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("lambda", region_name="us-east-1")


def role() -> str:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam = boto3.client("iam", region_name="us-east-1")
    created = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=json.dumps(trust))
    return str(created["Role"]["Arn"])


def function(lam: Any, name: str, role_arn: str, variables: dict[str, str]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role_arn,
        Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()},
        Environment={"Variables": variables},
    )


def test_secret_values_are_redacted_and_still_fail_by_name(lam: Any) -> None:
    role_arn = role()
    function(lam, "leaky", role_arn, {"UPSTREAM": SECRET, "DB_PASSWORD": PASSWORD})
    function(lam, "clean", role_arn, {"LOG_LEVEL": "info"})

    resources = collect_aws(AwsOptions(regions=["us-east-1"], services={"lambda"}))

    dumped = json.dumps([resource_to_json(r) for r in resources])
    assert SECRET not in dumped and PASSWORD not in dumped
    leaky = next(
        r for r in resources.of_type("aws_lambda_function") if r.name == "leaky"
    )
    assert leaky.attributes["environment"][0]["variables"] == {
        "UPSTREAM": "<redacted:aws-access-key-id>",
        "DB_PASSWORD": "<redacted:named-secret>",
    }
    results = run_checks([LambdaEnvironmentSecrets()], resources)
    by_name = {r.resource.rsplit(":", 1)[-1]: r for r in results}
    assert by_name["clean"].status is Status.PASS
    assert by_name["leaky"].status is Status.FAIL
    assert "UPSTREAM" in by_name["leaky"].message
    assert SECRET not in by_name["leaky"].message


def test_no_report_format_carries_a_secret_written_in_terraform() -> None:
    from pathlib import Path

    from surveyor.report import FORMATS, renderer
    from surveyor.scan import ScanOptions, run_scan

    case = (
        Path(__file__).resolve().parent.parent / "fixtures/AWS-LMB-001/terraform/basic"
    )
    report = run_scan(
        ScanOptions(
            paths=[case], root=case, only_rules={"AWS-LMB-001"}, use_cache=False
        )
    )

    assert any(r.status is Status.FAIL for r in report.results)
    for name in FORMATS:
        text = renderer(name)(report)
        for secret in ("AKIAIOSFODNN7EXAMPLE", "hunter2-but-longer", "ghp_abcdefghij"):
            assert secret not in text, f"{name} output shows a secret value"
