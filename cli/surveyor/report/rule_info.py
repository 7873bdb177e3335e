"""Rule metadata as plain JSON values, shared by the JSON report and `rules`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from surveyor.checks.base import RuleMeta
from surveyor.model import Side

_SIDE_ORDER = (Side.IAC, Side.LIVE)


def iso_duration(delta: timedelta) -> str:
    """ISO 8601 duration: whole days as `P7D`, otherwise `P1DT2H30M` style."""
    total = int(delta.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(
        f"{value}{unit}"
        for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S"))
        if value
    )
    text = "P" + (f"{days}D" if days or not clock else "")
    return text + (f"T{clock}" if clock else "")


def sides_of(meta: RuleMeta) -> list[str]:
    return [side.value for side in _SIDE_ORDER if side in meta.sides]


def sides_text(meta: RuleMeta) -> str:
    sides = sides_of(meta)
    return "both" if len(sides) == len(_SIDE_ORDER) else "+".join(sides)


def compliance_of(meta: RuleMeta) -> dict[str, list[str]]:
    return {name: list(meta.compliance[name]) for name in sorted(meta.compliance)}


def rule_summary(meta: RuleMeta) -> dict[str, Any]:
    """What a report needs to group and route findings; no long prose."""
    sla = meta.effective_sla
    return {
        "id": meta.id,
        "title": meta.title,
        "severity": meta.severity.value,
        "resource_types": list(meta.resource_types),
        "sides": sides_of(meta),
        "owner": meta.owner,
        "sla": iso_duration(sla),
        "sla_days": sla.total_seconds() / 86400,
        "mitre_attack": list(meta.mitre_attack),
        "attack_version": meta.attack_version,
        "compliance": compliance_of(meta),
    }


def rule_details(meta: RuleMeta) -> dict[str, Any]:
    """Every RuleMeta field, for `surveyor rules --format json`."""
    details = rule_summary(meta)
    details.update(
        {
            "description": meta.description,
            "rationale": meta.rationale,
            "remediation": {
                "terraform": meta.remediation.terraform,
                "console": meta.remediation.console,
            },
            "runbook": meta.runbook,
            "sla_is_default": meta.sla is None,
            "side_reason": meta.side_reason,
            "references": list(meta.references),
        }
    )
    return details
