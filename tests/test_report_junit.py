from __future__ import annotations

import xml.etree.ElementTree as ET

from test_report_samples import iac, sample_report

from surveyor.model import Severity, Status
from surveyor.report import junit


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def test_junit_has_a_suite_per_rule_and_a_case_per_resource() -> None:
    root = _parse(junit.render(sample_report()))

    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) >= {"AWS-S3-001", "AWS-S3-004", "AWS-IAM-002", "SURVEYOR-INPUT"}
    s3 = suites["AWS-S3-001"]
    names = {c.get("name") for c in s3.iter("testcase")}
    assert names == {
        "aws_s3_bucket.logs",
        "aws_s3_bucket.data",
        "aws_s3_bucket.site",
        "arn:aws:s3:::prod-logs",
    }
    assert {c.get("classname") for c in s3.iter("testcase")} == {"AWS-S3-001"}
    assert (s3.get("tests"), s3.get("failures"), s3.get("skipped")) == ("4", "2", "1")
    assert root.get("tests") == "9" and root.get("errors") == "2"


def test_junit_maps_statuses_to_failure_error_and_skipped() -> None:
    root = _parse(junit.render(sample_report()))
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}

    failure = cases[("AWS-S3-001", "aws_s3_bucket.logs")].find("failure")
    assert failure is not None
    assert failure.get("type") == "critical"
    assert (failure.text or "").startswith("modules/s3/main.tf:12\n")
    error = cases[("AWS-IAM-002", "arn:aws:iam::123456789012:user/alice")].find("error")
    assert error is not None and "AccessDenied" in (error.get("message") or "")
    unknown = cases[("AWS-EC2-001", "aws_security_group.ssh")].find("skipped")
    assert unknown is not None and (unknown.get("message") or "").startswith("UNKNOWN")
    waived = cases[("AWS-S3-001", "aws_s3_bucket.site")].find("skipped")
    assert waived is not None and "public website bucket" in (
        waived.get("message") or ""
    )
    assert len(cases[("AWS-S3-001", "aws_s3_bucket.data")]) == 0  # PASS


def test_junit_stays_well_formed_with_hostile_text() -> None:
    nasty = 'a <b> & "c" \x00\x1b ]]> end'
    result = iac(
        "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "x.<y>", "a&b.tf", 1, nasty
    )
    root = _parse(junit.render(sample_report([result])))

    case = next(root.iter("testcase"))
    assert case.get("name") == "x.<y>"
    failure = case.find("failure")
    assert failure is not None
    assert (failure.get("message") or "").startswith('a <b> & "c" ')
    assert "]]> end" in (failure.text or "")


def test_junit_keeps_a_suite_for_a_rule_that_ran_on_nothing() -> None:
    root = _parse(junit.render(sample_report([])))

    suites = {s.get("name"): s.get("tests") for s in root.iter("testsuite")}
    assert suites["AWS-S3-005"] == "0"
