"""JUnit XML: a test suite per rule, a test case per (rule, resource).

FAIL is a <failure>, ERROR an <error>, UNKNOWN and SUPPRESSED are <skipped>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from surveyor.checks.base import RuleMeta
from surveyor.model import Result, Status
from surveyor.report import ScanReport
from surveyor.report._common import location_text, ordered, rules_by_id, title_of

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report: ScanReport) -> str:
    rules = rules_by_id(report)
    # A rule that ran on nothing still gets a (empty) suite: it was run.
    by_rule: dict[str, list[Result]] = {meta.id: [] for meta in report.rules}
    for result in ordered(report.results):
        by_rule.setdefault(result.rule_id, []).append(result)

    root = ET.Element("testsuites", name="surveyor")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for rule_id in sorted(by_rule):
        suite = _suite(rule_id, by_rule[rule_id], rules, report.live_anchor)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    duration = _duration(report)
    if duration is not None:
        root.set("time", f"{duration:.3f}")
    root.set("timestamp", report.started_at)

    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(
    rule_id: str, results: list[Result], rules: dict[str, RuleMeta], anchor: str
) -> ET.Element:
    suite = ET.Element("testsuite", name=rule_id)
    properties = ET.SubElement(suite, "properties")
    meta = rules.get(rule_id)
    if meta is not None:
        ET.SubElement(properties, "property", name="title", value=xml_text(meta.title))
        ET.SubElement(
            properties, "property", name="severity", value=meta.severity.value
        )
    elif results:
        title = xml_text(title_of(results[0], rules))
        ET.SubElement(properties, "property", name="title", value=title)
    counts = dict.fromkeys(("failures", "errors", "skipped"), 0)
    for result in results:
        suite.append(_case(result, anchor))
        if result.status is Status.FAIL:
            counts["failures"] += 1
        elif result.status is Status.ERROR:
            counts["errors"] += 1
        elif result.status in (Status.UNKNOWN, Status.SUPPRESSED):
            counts["skipped"] += 1
    suite.set("tests", str(len(results)))
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _case(result: Result, anchor: str) -> ET.Element:
    case = ET.Element(
        "testcase", classname=result.rule_id, name=xml_text(result.resource)
    )
    if result.location is not None:
        case.set("file", xml_text(result.location.path))
        case.set("line", str(result.location.start_line))
    message = xml_text(result.message)
    detail = xml_text(f"{location_text(result, anchor)}\n{result.message}")
    if result.status is Status.FAIL:
        failure = ET.SubElement(
            case, "failure", message=message, type=result.severity.value
        )
        failure.text = detail
    elif result.status is Status.ERROR:
        error = ET.SubElement(case, "error", message=message, type="ERROR")
        error.text = detail
    elif result.status is Status.UNKNOWN:
        ET.SubElement(case, "skipped", message=f"UNKNOWN: {message}")
    elif result.status is Status.SUPPRESSED:
        reason = result.suppression.reason if result.suppression else "no reason given"
        ET.SubElement(case, "skipped", message=xml_text(f"SUPPRESSED: {reason}"))
    return case


def _duration(report: ScanReport) -> float | None:
    try:
        started = datetime.fromisoformat(report.started_at.replace("Z", "+00:00"))
        finished = datetime.fromisoformat(report.finished_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max((finished - started).total_seconds(), 0.0)
