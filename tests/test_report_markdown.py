from __future__ import annotations

import pytest
from test_report_samples import iac, sample_report

from surveyor.model import Severity, Status
from surveyor.report import markdown


def test_markdown_counts_by_severity_and_status() -> None:
    text = markdown.render(sample_report())

    assert "| Severity | FAIL | ERROR | UNKNOWN | SUPPRESSED | PASS |" in text
    assert "| critical | 2 | 0 | 0 | 1 | 1 |" in text
    assert "| high | 0 | 2 | 1 | 0 | 0 |" in text


def test_markdown_findings_table_escapes_pipes_and_newlines() -> None:
    text = markdown.render(sample_report())
    row = next(line for line in text.splitlines() if "main.tf:12" in line)

    assert row.count(" | ") == 4  # five cells, the message's pipe escaped
    assert "anyone \\| can<br>list objects" in row
    assert markdown.cell("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_markdown_lists_errors_suppressions_and_collection_errors() -> None:
    text = markdown.render(sample_report())

    assert "| ERROR (high) | AWS-IAM-002 |" in text
    assert "| AWS-S3-001 | 1 | 3 | 33% |" in text
    assert "### Partial collection" in text
    assert "iam:GetCredentialReport in global failed" in text


def test_markdown_caps_the_findings_table_and_says_what_it_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markdown, "MAX_ROWS", 3)
    results = [
        iac("AWS-S3-004", Status.FAIL, Severity.MEDIUM, f"b.n{n:02d}", "a.tf", n + 1)
        for n in range(5)
    ]
    text = markdown.render(sample_report(results))

    assert sum(1 for line in text.splitlines() if "| AWS-S3-004 |" in line) == 3
    assert "_2 more of 5 findings not shown" in text


def test_markdown_stays_far_below_a_mebibyte_for_huge_scans() -> None:
    results = [
        iac(
            "AWS-S3-004", Status.FAIL, Severity.MEDIUM, f"b.n{n}", "a.tf", 1, "x" * 2000
        )
        for n in range(5000)
    ]
    text = markdown.render(sample_report(results))

    assert len(text.encode()) < 512 * 1024
    assert "more of 5000 findings not shown" in text
