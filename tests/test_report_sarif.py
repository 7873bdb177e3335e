from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from test_report_samples import LIVE_BUCKET, iac, live, sample_report

from surveyor.model import Location, Severity, Status
from surveyor.report import ScanReport, sarif

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


def _log(report: ScanReport) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(sarif.render(report))
    return loaded


def _run(report: ScanReport) -> dict[str, Any]:
    run: dict[str, Any] = _log(report)["runs"][0]
    return run


def _validate(document: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(document)


def test_sarif_validates_against_the_oasis_schema() -> None:
    _validate(_log(sample_report()))
    _validate(_log(sample_report(include_suppressed_in_sarif=True)))
    _validate(_log(sample_report([])))


def test_sarif_category_names_what_was_scanned() -> None:
    assert _run(sample_report(kinds=("terraform",)))["automationDetails"] == {
        "id": "surveyor/terraform/"
    }
    assert _run(sample_report(kinds=("aws",)))["automationDetails"]["id"] == (
        "surveyor/aws/"
    )
    both = sample_report(kinds=("aws", "terraform"))
    assert _run(both)["automationDetails"]["id"] == "surveyor/terraform+aws/"
    custom = sample_report(extra={"sarif_category": "surveyor/aws/123456789012"})
    assert _run(custom)["automationDetails"]["id"] == "surveyor/aws/123456789012/"


def test_sarif_rules_carry_what_github_reads() -> None:
    rules = {r["id"]: r for r in _run(sample_report())["tool"]["driver"]["rules"]}

    s3 = rules["AWS-S3-001"]
    assert s3["shortDescription"]["text"] == "Bucket ACL grants public read or write"
    assert s3["fullDescription"]["text"]
    assert "## Fix in Terraform" in s3["help"]["markdown"]
    assert 'acl = "private"' in s3["help"]["markdown"]
    assert "Runbook" in s3["help"]["text"]
    assert s3["defaultConfiguration"]["level"] == "error"
    assert s3["properties"]["security-severity"] == "9.5"
    assert s3["properties"]["tags"][:3] == [
        "security",
        "critical",
        "mitre-attack/T1530",
    ]
    assert rules["AWS-S3-004"]["defaultConfiguration"]["level"] == "warning"
    assert rules["AWS-S3-005"]["defaultConfiguration"]["level"] == "note"
    assert "SURVEYOR-INPUT" in rules  # framework results still resolve to a rule


def test_sarif_rule_tags_are_capped_at_ten() -> None:
    from test_report_samples import make_rule

    busy = make_rule(
        "AWS-S3-009",
        Severity.HIGH,
        attack=tuple(f"T15{n:02d}" for n in range(12)),
        compliance={"CIS AWS Foundations v3.0.0": ("2.1.1", "2.1.2")},
    )
    rules = _run(sample_report([], rules=[busy]))["tool"]["driver"]["rules"]

    assert len(rules[0]["properties"]["tags"]) == 10


def test_sarif_levels_follow_severity_and_errors_are_errors() -> None:
    results = _run(sample_report())["results"]
    levels = {(r["ruleId"], r["properties"]["resource"]): r["level"] for r in results}

    assert levels[("AWS-S3-001", "aws_s3_bucket.logs")] == "error"
    assert levels[("AWS-S3-004", "aws_s3_bucket.data")] == "warning"
    assert levels[("AWS-S3-005", "aws_s3_bucket.data")] == "note"
    iam = next(r for r in results if r["ruleId"] == "AWS-IAM-002")
    assert iam["level"] == "error"
    assert "could not be evaluated" in iam["message"]["text"]


def test_sarif_leaves_out_unknown_and_suppressed_but_counts_them() -> None:
    run = _run(sample_report())
    statuses = {r["properties"]["status"] for r in run["results"]}

    assert statuses == {"FAIL", "ERROR"}
    assert run["properties"]["unknownCount"] == 1
    assert run["properties"]["suppressedCount"] == 1
    notes = run["invocations"][0]["toolExecutionNotifications"]
    kinds = [n["descriptor"]["id"] for n in notes]
    assert kinds.count("surveyor/evaluation-error") == 2
    assert "surveyor/unknown" in kinds
    assert "surveyor/collection-error" in kinds


def test_sarif_includes_suppressed_with_justification_when_asked() -> None:
    run = _run(sample_report(include_suppressed_in_sarif=True))
    suppressed = [r for r in run["results"] if "suppressions" in r]

    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource"
    assert suppressed[0]["suppressions"][0]["justification"] == "public website bucket"


def test_sarif_every_result_has_a_relative_file_location() -> None:
    run = _run(sample_report())

    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith(("/", "./"))
        assert physical["region"]["startLine"] >= 1
    live_result = next(
        r
        for r in run["results"]
        if r["ruleId"] == "AWS-S3-001" and r["properties"]["side"] == "live"
    )
    physical = live_result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == ".surveyor.toml"
    assert physical["region"] == {"startLine": 1, "endLine": 1}


def test_sarif_relativises_absolute_and_dotted_paths() -> None:
    results = [
        iac("AWS-S3-004", Status.FAIL, Severity.MEDIUM, "a.b", "/repo/x/y.tf", 3),
        iac("AWS-S3-004", Status.FAIL, Severity.MEDIUM, "a.c", "./z.tf", 5),
    ]
    run = _run(sample_report(results))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
    }

    assert uris == {"x/y.tf", "z.tf"}


def test_sarif_live_results_have_arn_and_line_free_fingerprint() -> None:
    placed = Location("s3.tf", 40, 44)
    first = live("AWS-S3-001", Status.FAIL, Severity.CRITICAL, LIVE_BUCKET)
    moved = live(
        "AWS-S3-001", Status.FAIL, Severity.CRITICAL, LIVE_BUCKET, location=placed
    )

    one = _run(sample_report([first]))["results"][0]
    two = _run(sample_report([moved]))["results"][0]

    assert (
        one["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == LIVE_BUCKET
    )
    line_hash = one["partialFingerprints"]["primaryLocationLineHash"]
    assert line_hash.endswith(":1") and len(line_hash) == 18
    assert line_hash == two["partialFingerprints"]["primaryLocationLineHash"]
    assert two["locations"][0]["physicalLocation"]["region"]["startLine"] == 40


def test_sarif_iac_results_leave_line_hash_to_github() -> None:
    result = iac(
        "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.a", "a.tf", 3
    )
    shifted = iac(
        "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.a", "a.tf", 9
    )
    other = iac(
        "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.b", "a.tf", 3
    )

    prints = [
        _run(sample_report([r]))["results"][0]["partialFingerprints"]
        for r in (result, shifted, other)
    ]

    assert "primaryLocationLineHash" not in prints[0]
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_sarif_keeps_the_most_severe_results_under_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    results = [
        iac("AWS-S3-005", Status.FAIL, Severity.LOW, "a.low", "a.tf", 1),
        iac("AWS-S3-001", Status.FAIL, Severity.CRITICAL, "a.crit", "a.tf", 2),
        iac("AWS-S3-004", Status.FAIL, Severity.MEDIUM, "a.med", "a.tf", 3),
    ]
    run = _run(sample_report(results))

    assert [r["properties"]["resource"] for r in run["results"]] == ["a.crit", "a.med"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    dropped = [n for n in notes if n["descriptor"]["id"] == "surveyor/results-dropped"]
    assert dropped and dropped[0]["message"]["text"].startswith("1 less severe")
    assert run["properties"]["droppedForLimit"] == 1


def test_sarif_output_is_deterministic_whatever_the_input_order() -> None:
    report = sample_report()
    shuffled = sample_report(list(reversed(report.results)))

    assert sarif.render(report) == sarif.render(shuffled)


def test_sarif_for_big_scans_is_compact_and_still_valid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from surveyor.report import _common

    monkeypatch.setattr(_common, "PRETTY_JSON_MAX_RESULTS", 1)
    text = sarif.render(sample_report())

    assert text.count("\n") == 1
    _validate(json.loads(text))


def test_sarif_help_markdown_keeps_placeholders_and_code_visible() -> None:
    import dataclasses

    from test_report_samples import make_rule

    from surveyor.checks.base import Remediation

    rule = dataclasses.replace(
        make_rule("AWS-CF-009", Severity.MEDIUM),
        remediation=Remediation(
            terraform="x = 1",
            console="CloudFront > <id> > Edit *.cloudfront.net\n"
            "CLI: `aws_cli --id <id>`",
        ),
    )
    (descriptor,) = _run(sample_report([], rules=[rule]))["tool"]["driver"]["rules"]
    markdown = descriptor["help"]["markdown"]

    assert (
        "CloudFront &gt; &lt;id&gt; &gt; Edit \\*.cloudfront.net  \nCLI: " in markdown
    )
    assert "`aws_cli --id <id>`" in markdown
