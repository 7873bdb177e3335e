from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
from test_report_samples import LIVE_BUCKET, sample_report

from surveyor.report import renderer

render = renderer("json")


def _schema() -> dict[str, Any]:
    text = files("surveyor.schemas").joinpath("report-v1.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_json_report_matches_its_shipped_schema() -> None:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)

    document = json.loads(render(sample_report()))

    jsonschema.Draft202012Validator(schema).validate(document)


def test_json_schema_rejects_a_result_without_status() -> None:
    document = json.loads(render(sample_report()))
    del document["results"][0]["status"]

    errors = list(jsonschema.Draft202012Validator(_schema()).iter_errors(document))

    assert errors


def test_json_report_carries_every_result_and_scan_context() -> None:
    report = sample_report()
    document = json.loads(render(report))

    assert document["schema_version"] == "1.0"
    assert document["tool"] == {"name": "surveyor", "version": "0.1.0"}
    assert document["scan"]["kinds"] == ["terraform", "aws"]
    assert document["scan"]["root"] == "/repo"
    assert len(document["results"]) == len(report.results)
    assert document["counts"]["by_status"]["ERROR"] == 2
    assert document["counts"]["failures_by_severity"]["critical"] == 2
    assert document["collection_errors"][0]["operation"] == "iam:GetCredentialReport"


def test_json_results_keep_suppression_and_live_identity() -> None:
    results = json.loads(render(sample_report()))["results"]

    suppressed = next(r for r in results if r["status"] == "SUPPRESSED")
    assert suppressed["suppression"] == {
        "reason": "public website bucket",
        "source": "inline",
        "owner": "web",
        "expires": "2027-01-31",
    }
    live = next(r for r in results if r["resource"] == LIVE_BUCKET)
    assert (live["arn"], live["account"], live["region"]) == (
        LIVE_BUCKET,
        "123456789012",
        "us-east-1",
    )
    assert live["location"] is None and live["side"] == "live"


def test_json_rules_summary_carries_sla_and_mappings() -> None:
    rules = {r["id"]: r for r in json.loads(render(sample_report()))["rules"]}

    s3 = rules["AWS-S3-001"]
    assert s3["sla"] == "P1D" and s3["sla_days"] == 1
    assert s3["mitre_attack"] == ["T1530"]
    assert s3["compliance"] == {"CIS AWS Foundations v3.0.0": ["2.1.4"]}
    assert rules["AWS-IAM-002"]["sides"] == ["live"]


def test_json_output_is_deterministic() -> None:
    report = sample_report()
    reversed_report = sample_report(list(reversed(report.results)))

    assert render(report) == render(reversed_report)


def test_json_fingerprint_survives_a_moved_block_and_matches_sarif() -> None:
    from test_report_samples import iac

    from surveyor.model import Severity, Status
    from surveyor.report import sarif

    here = iac("AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.a", "a.tf", 3)
    moved = iac(
        "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.a", "b.tf", 8
    )

    first = json.loads(render(sample_report([here])))["results"][0]["fingerprint"]
    second = json.loads(render(sample_report([moved])))["results"][0]["fingerprint"]
    in_sarif = json.loads(sarif.render(sample_report([here])))["runs"][0]["results"][0]

    assert first == second
    assert in_sarif["partialFingerprints"]["surveyor/v1"] == first
