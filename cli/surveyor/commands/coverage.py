"""`surveyor coverage`: which ATT&CK techniques and compliance controls the
loaded rules cover, with the uncovered tactics and techniques shown as gaps."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from surveyor.checks.base import RuleMeta
from surveyor.commands.rules import FormatOption, check_format, load_rule_metas

if TYPE_CHECKING:  # the table loads only when the command runs
    from surveyor.attack import AttackCoverage, TechniqueCoverage


def register(app: typer.Typer) -> None:
    app.command("coverage")(coverage)


def coverage(
    output_format: FormatOption = "text",
    policies: Annotated[
        list[Path] | None,
        typer.Option("--policies", help="A directory of your own checks (repeatable)."),
    ] = None,
) -> None:
    """ATT&CK tactics and techniques covered and not, and compliance controls."""
    from surveyor.attack import attack_coverage

    check_format(output_format)
    metas = load_rule_metas(list(policies or []))
    attack = attack_coverage(metas)
    frameworks = compliance_coverage(metas)
    if output_format == "json":
        document = coverage_document(attack, frameworks)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        typer.echo(coverage_text(attack, frameworks), nl=False)


def _natural(text: str) -> list[Any]:
    """`2.1.10` after `2.1.9`; `EC2.13` after `EC2.2`."""
    return [
        int(part) if part.isdigit() else part.casefold()
        for part in re.split(r"(\d+)", text)
    ]


def compliance_coverage(metas: list[RuleMeta]) -> dict[str, dict[str, list[str]]]:
    """Framework -> control id -> rules mapping to it, in natural order."""
    found: dict[str, dict[str, set[str]]] = {}
    for meta in metas:
        for framework, controls in meta.compliance.items():
            for control in controls:
                found.setdefault(framework, {}).setdefault(control, set()).add(meta.id)
    return {
        framework: {
            control: sorted(found[framework][control])
            for control in sorted(found[framework], key=_natural)
        }
        for framework in sorted(found)
    }


def _technique_json(entry: TechniqueCoverage) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": entry.technique.id,
        "name": entry.technique.name,
        "covered": entry.covered,
        "rules": list(entry.rules),
    }
    if entry.subtechniques:
        document["subtechniques"] = [_technique_json(s) for s in entry.subtechniques]
    return document


def coverage_document(
    attack: AttackCoverage, frameworks: dict[str, dict[str, list[str]]]
) -> dict[str, Any]:
    from surveyor.attack import ATTACK_DOMAIN, ATTACK_SCOPE
    from surveyor.checks.base import ATTACK_VERSION

    techniques = attack.techniques
    return {
        "schema_version": "1.0",
        "attack": {
            "version": ATTACK_VERSION,
            "domain": ATTACK_DOMAIN,
            "scope": ATTACK_SCOPE,
            "summary": {
                "tactics": len(attack.tactics),
                "tactics_covered": sum(t.covered for t in attack.tactics),
                "techniques": len(techniques),
                "techniques_covered": sum(t.covered for t in techniques),
            },
            "tactics": [
                {
                    "id": tactic.tactic.id,
                    "name": tactic.tactic.name,
                    "covered": tactic.covered,
                    "techniques": [_technique_json(t) for t in tactic.techniques],
                }
                for tactic in attack.tactics
            ],
            "techniques_outside_table": {
                k: list(v) for k, v in attack.unmapped.items()
            },
            "rules_pinned_to_other_versions": attack.other_versions,
            "rules_without_attack": list(attack.without_attack),
        },
        "compliance": [
            {
                "framework": framework,
                "controls": [
                    {"id": control, "rules": rules}
                    for control, rules in controls.items()
                ],
            }
            for framework, controls in frameworks.items()
        ],
    }


def _technique_lines(entry: TechniqueCoverage) -> list[str]:
    mark = "x" if entry.covered else " "
    label = f"  [{mark}] {entry.technique.id} {entry.technique.name}"
    if entry.rules:
        tail = ", ".join(entry.rules)
    elif entry.covered:
        tail = "via sub-techniques"
    else:
        tail = "GAP"
    lines = [f"{label.ljust(62)} {tail}"]
    for sub in entry.subtechniques:
        sub_label = f"        {sub.technique.id} {sub.technique.name}"
        lines.append(f"{sub_label.ljust(62)} {', '.join(sub.rules) or '-'}")
    return lines


def coverage_text(
    attack: AttackCoverage, frameworks: dict[str, dict[str, list[str]]]
) -> str:
    from surveyor.attack import ATTACK_SCOPE
    from surveyor.checks.base import ATTACK_VERSION

    techniques = attack.techniques
    covered = sum(t.covered for t in techniques)
    tactics_covered = sum(t.covered for t in attack.tactics)
    lines = [
        f"MITRE ATT&CK Enterprise {ATTACK_VERSION}, {ATTACK_SCOPE}: "
        f"{covered} of {len(techniques)} techniques covered, "
        f"{tactics_covered} of {len(attack.tactics)} tactics",
    ]
    for tactic in attack.tactics:
        done = sum(t.covered for t in tactic.techniques)
        gap = "" if tactic.covered else "  GAP: no rule covers this tactic"
        lines += [
            "",
            f"{tactic.tactic.id} {tactic.tactic.name}: "
            f"{done} of {len(tactic.techniques)} techniques covered{gap}",
        ]
        for entry in tactic.techniques:
            lines += _technique_lines(entry)
    if attack.unmapped:
        lines += ["", "Techniques outside the pinned table (check the ids):"]
        lines += [f"  {k}: {', '.join(v)}" for k, v in attack.unmapped.items()]
    if attack.other_versions:
        lines += ["", f"Rules pinned to an ATT&CK version other than {ATTACK_VERSION}:"]
        lines += [f"  {k}: {v}" for k, v in attack.other_versions.items()]
    if attack.without_attack:
        lines += ["", f"Rules mapping no technique: {', '.join(attack.without_attack)}"]
    for framework, controls in frameworks.items():
        rules = {rule for ids in controls.values() for rule in ids}
        lines += [
            "",
            f"{framework}: {len(controls)} controls mapped by {len(rules)} rules",
        ]
        width = max(len(control) for control in controls)
        lines += [
            f"  {control.ljust(width)}  {', '.join(ids)}"
            for control, ids in controls.items()
        ]
    return "\n".join(lines) + "\n"
