"""Modules that were not evaluated are shown in every report format."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
from test_report_samples import sample_report

from surveyor.model import Location
from surveyor.report import ScanReport, github, json_report, markdown, sarif, text
from surveyor.resourceset import SourceNotice

SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
MESSAGE = (
    'modules/net/main.tf:12: module "cdn" (source "acme/cdn/aws") was not '
    "evaluated: run terraform init"
)


def with_notice(**changes: object) -> ScanReport:
    notice = SourceNotice(MESSAGE, Location("modules/net/main.tf", 12, 18))
    return dataclasses.replace(sample_report(**changes), notices=(notice,))


def test_text_report_has_a_not_evaluated_section() -> None:
    rendered = text.render(with_notice())
    assert "NOT EVALUATED (1)" in rendered
    assert f"  {MESSAGE}" in rendered.splitlines()
    assert "NOT EVALUATED" not in text.render(sample_report())


def test_json_report_lists_notices_and_matches_the_schema() -> None:
    document = json.loads(json_report.render(with_notice()))
    assert document["notices"] == [
        {
            "message": MESSAGE,
            "path": "modules/net/main.tf",
            "start_line": 12,
            "end_line": 18,
        }
    ]
    schema = json.loads(
        files("surveyor.schemas").joinpath("report-v1.json").read_text()
    )
    jsonschema.Draft202012Validator(schema).validate(document)
    older = dict(document)
    del older["notices"]  # a 1.0 report written before the field existed
    jsonschema.Draft202012Validator(schema).validate(older)


def test_sarif_gives_a_located_warning_notification() -> None:
    log: dict[str, Any] = json.loads(sarif.render(with_notice()))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    [note] = [n for n in notes if n["descriptor"]["id"] == "surveyor/not-evaluated"]
    assert note["level"] == "warning"
    assert note["message"]["text"] == MESSAGE
    physical = note["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "modules/net/main.tf"
    assert physical["region"] == {"startLine": 12, "endLine": 18}
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(log)


def test_notices_do_not_change_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "cdn" {\n  source = "acme/cdn/aws"\n}\n'
        'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
    )
    out = tmp_path / "report.json"
    command = ["scan", str(tmp_path), "--no-cache", "-f", "json", "-o", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "surveyor", *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "not evaluated" in line]
    assert len(warnings) == 1 and "main.tf:1:" in warnings[0]
    document = json.loads(out.read_text())
    assert [n["start_line"] for n in document["notices"]] == [1]
    assert document["notices"][0]["message"].startswith(
        'main.tf:1: module "cdn" (source "acme/cdn/aws") was not evaluated'
    )


def test_markdown_summary_lists_what_was_not_evaluated() -> None:
    rendered = markdown.render(with_notice())
    assert "### Not evaluated" in rendered
    assert 'module "cdn"' in rendered
    assert "### Not evaluated" not in markdown.render(sample_report())


def test_a_notice_without_a_location_is_shown_everywhere() -> None:
    notice = SourceNotice("modules.json lists nothing usable")
    report = dataclasses.replace(sample_report(), notices=(notice,))
    assert "  modules.json lists nothing usable" in text.render(report).splitlines()
    [entry] = json.loads(json_report.render(report))["notices"]
    assert entry["path"] is None and entry["start_line"] is None
    log: dict[str, Any] = json.loads(sarif.render(report))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    [note] = [n for n in notes if n["descriptor"]["id"] == "surveyor/not-evaluated"]
    assert "locations" not in note
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)


def test_github_annotates_each_notice_as_a_located_warning() -> None:
    lines = github.render(with_notice()).splitlines()
    [line] = [x for x in lines if "not evaluated" in x]
    assert line.startswith(
        "::warning file=modules/net/main.tf,line=12,endLine=18,"
        "title=surveyor%3A not evaluated::"
    )


def test_github_counts_notices_past_the_warning_limit() -> None:
    many = tuple(
        SourceNotice(
            f"main.tf:{i}: module was not evaluated", Location("main.tf", i, i)
        )
        for i in range(1, 16)
    )
    report = dataclasses.replace(sample_report([]), notices=many)
    lines = github.render(report).splitlines()
    warnings = [x for x in lines if x.startswith("::warning")]
    assert len(warnings) == github.LIMIT_PER_LEVEL
    assert lines[-1].startswith("::notice title=surveyor::5 more finding(s)")
