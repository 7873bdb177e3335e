"""`surveyor rules`: the catalog of loaded rules; `surveyor rules show ID`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from surveyor.checks.base import RuleMeta

FORMATS = ("text", "json")
WIDTH = 88

PoliciesOption = Annotated[
    list[Path] | None,
    typer.Option("--policies", help="A directory of your own checks (repeatable)."),
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output format: text or json.")
]


def register(app: typer.Typer) -> None:
    rules_app = typer.Typer(
        name="rules",
        help="List the loaded rules, or show one with `surveyor rules show ID`.",
        add_completion=False,
        rich_markup_mode=None,
    )
    rules_app.callback(invoke_without_command=True)(list_rules)
    rules_app.command("show")(show_rule)
    app.add_typer(rules_app, name="rules")


def load_rule_metas(policy_dirs: list[Path]) -> list[RuleMeta]:
    """Built-in rules plus the user's, validated; a bad policy is exit 2."""
    from surveyor.checks.loader import PolicyLoadError, builtin_policy_dir, load_checks
    from surveyor.cli import fail
    from surveyor.model.types import KNOWN_TYPES

    try:
        loaded = load_checks(
            [builtin_policy_dir(), *policy_dirs], known_types=KNOWN_TYPES
        )
    except PolicyLoadError as exc:
        raise fail(str(exc)) from None
    return [check.meta for check in loaded]


def check_format(output_format: str) -> str:
    from surveyor.cli import fail

    if output_format not in FORMATS:
        raise fail(f"unknown format {output_format!r}; use one of {', '.join(FORMATS)}")
    return output_format


def list_rules(
    ctx: typer.Context,
    output_format: FormatOption = "text",
    policies: PoliciesOption = None,
) -> None:
    """List every loaded rule (built-in and --policies) with its metadata."""
    ctx.obj = {"policies": list(policies or [])}
    if ctx.invoked_subcommand is not None:
        return
    check_format(output_format)
    metas = load_rule_metas(list(policies or []))
    if output_format == "json":
        typer.echo(catalog_json(metas))
    else:
        typer.echo(catalog_text(metas), nl=False)


def show_rule(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(help="The rule id, e.g. AWS-S3-001.")],
    output_format: FormatOption = "text",
    policies: PoliciesOption = None,
) -> None:
    """Show one rule: description, rationale, remediation, runbook, mappings."""
    from surveyor.cli import fail

    check_format(output_format)
    inherited = (ctx.obj or {}).get("policies", []) if isinstance(ctx.obj, dict) else []
    metas = {m.id: m for m in load_rule_metas([*inherited, *(policies or [])])}
    meta = metas.get(rule_id.strip().upper())
    if meta is None:
        raise fail(f"unknown rule id {rule_id}; `surveyor rules` lists them")
    if output_format == "json":
        from surveyor.report.rule_info import rule_details

        typer.echo(json.dumps(rule_details(meta), indent=2, ensure_ascii=False))
    else:
        typer.echo(rule_text(meta), nl=False)


def catalog_json(metas: list[RuleMeta]) -> str:
    from surveyor.checks.base import ATTACK_VERSION
    from surveyor.report.rule_info import rule_details

    document = {
        "schema_version": "1.0",
        "attack_version": ATTACK_VERSION,
        "rules": [rule_details(meta) for meta in metas],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def catalog_text(metas: list[RuleMeta]) -> str:
    from surveyor.report.rule_info import sides_text

    rows = [("ID", "SEVERITY", "SIDES", "ATT&CK", "TITLE")]
    rows += [
        (
            meta.id,
            meta.severity.value,
            sides_text(meta),
            ",".join(meta.mitre_attack) or "-",
            meta.title,
        )
        for meta in metas
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
        + "  "
        + row[4]
        for row in rows
    ]
    from surveyor.model import Severity

    counts = {s: sum(1 for meta in metas if meta.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    lines += ["", f"{len(metas)} rules ({summary}). Details: surveyor rules show ID"]
    return "\n".join(lines) + "\n"


def _paragraphs(text: str, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for line in text.strip().splitlines() or [""]:
        wrapped = textwrap.wrap(
            line,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += wrapped or [""]
    return lines


def rule_text(meta: RuleMeta) -> str:
    from surveyor.attack import TACTICS, TECHNIQUES
    from surveyor.report.rule_info import iso_duration, sides_text

    sla = meta.effective_sla
    sla = meta.effective_sla
    default = "" if meta.sla is not None else f", the default for {meta.severity.value}"
    respond = f"respond within {sla.days} day(s) ({iso_duration(sla)}{default})"
    lines = [
        f"{meta.id}  {meta.title}",
        f"severity {meta.severity.value} · sides {sides_text(meta)}"
        f" · owner {meta.owner} · {respond}",
        f"resource types: {', '.join(meta.resource_types)}",
    ]
    if meta.side_reason:
        lines.append(f"why not both sides: {meta.side_reason}")
    sections = [
        ("Description", _paragraphs(meta.description)),
        ("Why it matters", _paragraphs(meta.rationale)),
    ]
    if meta.remediation.terraform.strip():
        snippet = textwrap.indent(meta.remediation.terraform.strip("\n"), "  ")
        sections.append(("Fix in Terraform", snippet.splitlines()))
    sections += [
        ("Fix in the console", _paragraphs(meta.remediation.console)),
        ("Runbook", _paragraphs(meta.runbook)),
    ]
    if meta.mitre_attack:
        tactic_names = {t.id: t.name for t in TACTICS}
        attack = []
        for technique_id in meta.mitre_attack:
            known = TECHNIQUES.get(technique_id)
            if known is None:
                attack.append(f"  {technique_id} (not in the pinned cloud table)")
                continue
            tactics = ", ".join(tactic_names[t] for t in known.tactics)
            name = known.name
            if known.is_sub:
                name = f"{TECHNIQUES[known.parent].name}: {name}"
            attack.append(f"  {technique_id} {name} ({tactics})")
        sections.append((f"MITRE ATT&CK {meta.attack_version}", attack))
    if meta.compliance:
        sections.append(
            (
                "Compliance",
                [
                    f"  {name}: {', '.join(meta.compliance[name])}"
                    for name in sorted(meta.compliance)
                ],
            )
        )
    if meta.references:
        sections.append(("References", [f"  {ref}" for ref in meta.references]))
    for heading, body in sections:
        lines += ["", heading, *body]
    return "\n".join(lines) + "\n"
