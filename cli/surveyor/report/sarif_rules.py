"""SARIF `reportingDescriptor`s: the rule table GitHub shows beside an alert."""

from __future__ import annotations

import html
import re
from typing import Any

from surveyor.checks.base import RuleMeta
from surveyor.model import Severity
from surveyor.report._common import FRAMEWORK_RULES
from surveyor.report.rule_info import iso_duration, sides_text

# Placeholder home page until the project is published; SARIF requires a URI.
INFORMATION_URI = "https://github.com/surveyor/surveyor"
MAX_TAGS = 10  # GitHub code scanning reads at most ten tags per rule

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}


def level_for(severity: Severity) -> str:
    return _LEVEL[severity]


def attack_url(technique: str) -> str:
    return f"https://attack.mitre.org/techniques/{technique.replace('.', '/')}/"


def tags_for(meta: RuleMeta) -> list[str]:
    """`security` and the severity first, then ATT&CK ids, then compliance ids."""
    tags = ["security", meta.severity.value]
    tags += [f"mitre-attack/{technique}" for technique in meta.mitre_attack]
    for framework in sorted(meta.compliance):
        slug = re.sub(r"[^a-z0-9.]+", "-", framework.lower()).strip("-")
        tags += [f"{slug}/{control}" for control in meta.compliance[framework]]
    unique = list(dict.fromkeys(tags))
    return unique[:MAX_TAGS]


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    level = level_for(meta.severity)
    descriptor = {
        "id": meta.id,
        "name": _pascal_name(meta.id),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.description},
        "help": {"text": _help_text(meta), "markdown": _help_markdown(meta)},
        "helpUri": _help_uri(meta),
        "defaultConfiguration": {"level": level},
        "properties": {
            "security-severity": meta.severity.security_severity,
            "problem.severity": _PROBLEM_SEVERITY[level],
            "precision": "high",
            "tags": tags_for(meta),
            "owner": meta.owner,
            "sla": iso_duration(meta.effective_sla),
            "sides": sides_text(meta),
        },
    }
    return {key: value for key, value in descriptor.items() if value is not None}


def framework_descriptor(rule_id: str) -> dict[str, Any]:
    """A rule the framework reports under (unreadable input), not a check."""
    title = FRAMEWORK_RULES.get(rule_id, rule_id)
    return {
        "id": rule_id,
        "name": _pascal_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {
            "text": f"{title}: surveyor could not evaluate this input, so the "
            "checks that needed it did not run. Fix the input and scan again."
        },
        "help": {
            "text": "The result message names the file, line or API call that failed.",
            "markdown": "The result message names the file, line or API call "
            "that failed. Until it is fixed, treat the input as unchecked.",
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "security-severity": Severity.HIGH.security_severity,
            "problem.severity": "error",
            "precision": "very-high",
            "tags": ["security", "surveyor-error"],
        },
    }


def _help_uri(meta: RuleMeta) -> str | None:
    """The rule's first web reference: the page a reader follows for more."""
    links = [ref for ref in meta.references if ref.startswith(("https://", "http://"))]
    return links[0] if links else None


def _pascal_name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule_id))


def _compliance_lines(meta: RuleMeta) -> list[str]:
    return [
        f"{framework}: {', '.join(meta.compliance[framework])}"
        for framework in sorted(meta.compliance)
    ]


def _help_text(meta: RuleMeta) -> str:
    parts = [
        meta.description,
        f"Why it matters: {meta.rationale}",
        f"Fix in Terraform:\n{meta.remediation.terraform}",
        f"Fix in the console: {meta.remediation.console}",
        f"Runbook: {meta.runbook}",
    ]
    if meta.mitre_attack:
        ids = ", ".join(meta.mitre_attack)
        parts.append(f"MITRE ATT&CK {meta.attack_version}: {ids}")
    parts += _compliance_lines(meta)
    return "\n\n".join(part for part in parts if part.strip())


_CODE_SPAN = re.compile(r"(`[^`\n]*`)")


def _prose(text: str) -> str:
    """Rule prose as Markdown: `<id>` must not vanish as an HTML tag, nor
    `*.example.com` start emphasis; code spans stay as written; each line break
    is kept (console steps are often one per line)."""
    parts = []
    for part in _CODE_SPAN.split(text.strip()):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            parts.append(part)
            continue
        escaped = html.escape(part, quote=False)
        for char in "*_":
            escaped = escaped.replace(char, f"\\{char}")
        parts.append(escaped)
    return "".join(parts).replace("\n", "  \n")


def _help_markdown(meta: RuleMeta) -> str:
    sla = meta.effective_sla.days
    lines = [
        f"**Severity:** {meta.severity.value} · **Owner:** {meta.owner} · "
        f"**Respond within:** {sla} day{'s' if sla != 1 else ''} · "
        f"**Judged on:** {sides_text(meta)}",
        "",
        _prose(meta.description),
        "",
        "## Why it matters",
        "",
        _prose(meta.rationale),
    ]
    if meta.remediation.terraform.strip():
        lines += ["", "## Fix in Terraform", "", "```hcl", meta.remediation.terraform]
        lines += ["```"]
    lines += ["", "## Fix in the console", "", _prose(meta.remediation.console)]
    lines += ["", "## Runbook", "", _prose(meta.runbook)]
    if meta.mitre_attack or meta.compliance:
        lines += ["", "## Mappings", ""]
        lines += [
            f"- MITRE ATT&CK {meta.attack_version}: [{t}]({attack_url(t)})"
            for t in meta.mitre_attack
        ]
        lines += [f"- {_prose(line)}" for line in _compliance_lines(meta)]
    if meta.references:
        lines += ["", "## References", ""]
        lines += [f"- {reference}" for reference in meta.references]
    return "\n".join(lines)
