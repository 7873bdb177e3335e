"""`surveyor scan`: Terraform paths, snapshot files and live AWS in one run."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from surveyor.model import Severity, Status
from surveyor.report import FORMATS, ScanReport, renderer

if TYPE_CHECKING:
    from surveyor.config import Config


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def scan(  # noqa: PLR0917 - typer maps each parameter to an option
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH...",
            help="Terraform directories or .tf files, and snapshot files.",
        ),
    ] = None,
    aws: Annotated[
        bool, typer.Option("--aws", help="Collect from the live AWS account first.")
    ] = False,
    profile: Annotated[
        str | None, typer.Option(metavar="NAME", help="AWS profile for --aws.")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            metavar="REGION",
            help="Region for --aws (repeatable), or `all`.",
        ),
    ] = None,
    output_format: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"Output format (repeatable): {', '.join(FORMATS)}. Default: text.",
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File for the format in the same position (repeatable); "
            "a format without one goes to stdout.",
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            metavar="SEVERITY",
            help="Exit 1 when a finding is at or above: critical..info "
            "(default: the config's fail_on, else info).",
        ),
    ] = None,
    accept_errors: Annotated[
        bool,
        typer.Option(
            "--accept-errors",
            help="Do not exit 1 for ERROR results (data that could not be collected).",
        ),
    ] = False,
    var_file: Annotated[
        list[Path] | None,
        typer.Option("--var-file", metavar="FILE", help="A .tfvars file (repeatable)."),
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var", metavar="NAME=VALUE", help="A variable as k=v (repeatable)."
        ),
    ] = None,
    policies: Annotated[
        list[Path] | None,
        typer.Option(
            "--policies",
            metavar="DIR",
            help="A directory of your own checks (repeatable).",
        ),
    ] = None,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules", metavar="IDS", help="Run only these rule ids (comma-separated)."
        ),
    ] = None,
    skip_rules: Annotated[
        str | None,
        typer.Option(
            "--skip-rules", metavar="IDS", help="Skip these rule ids (comma-separated)."
        ),
    ] = None,
    severity: Annotated[
        str | None,
        typer.Option(
            "--severity",
            metavar="SEVERITY",
            help="Run only rules at or above this severity.",
        ),
    ] = None,
    root: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Make file locations relative to this directory (default: cwd).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the parse cache.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Config file (default: the nearest .surveyor.toml above the scan).",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Ignore every inline suppression and waiver."),
    ] = False,
    include_suppressed: Annotated[
        bool,
        typer.Option(
            "--include-suppressed", help="Keep suppressed results in SARIF output."
        ),
    ] = False,
    sarif_category: Annotated[
        str | None,
        typer.Option(
            "--sarif-category",
            metavar="CATEGORY",
            help="SARIF automationDetails.id (code-scanning category); "
            "default surveyor/<kinds>/.",
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            metavar="DIR",
            help="Terraform directory that declares the live resources: a live "
            "finding is placed on the block that declares it (by name or id).",
        ),
    ] = None,
    live_anchor: Annotated[
        str,
        typer.Option(
            "--live-anchor",
            metavar="PATH",
            help="File (relative to the root) that live findings with no declaring "
            "Terraform block point at, line 1, so code scanning accepts them.",
        ),
    ] = ".surveyor.toml",
) -> None:
    """Scan Terraform, snapshots or a live account and report the findings."""
    from surveyor.cli import EXIT_FINDINGS, fail
    from surveyor.scan import ScanOptions, ScanSetupError, run_scan

    formats = output_format or ["text"]
    outputs = output or []
    try:
        threshold = Severity.parse(fail_on) if fail_on else None
        min_severity = Severity.parse(severity) if severity else None
        targets = _pair_outputs(formats, outputs)
        variables = _parse_vars(var or [])
    except ValueError as exc:
        raise fail(str(exc)) from None
    if not paths and not aws:
        raise fail("nothing to scan: give Terraform paths or snapshot files, or --aws")

    options = ScanOptions(
        paths=list(paths or []),
        root=root,
        var_files=list(var_file or []),
        variables=variables,
        use_cache=not no_cache,
        aws=aws,
        profile=profile,
        regions=list(region or []),
        source_dir=source,
        live_anchor=live_anchor,
        policy_dirs=list(policies or []),
        only_rules=_id_set(rules),
        skip_rules=_id_set(skip_rules),
        min_severity=min_severity,
        strict=strict,
        include_suppressed_in_sarif=include_suppressed,
    )
    options.config = _load_config(config, options.paths)
    if threshold is None:
        threshold = options.config.fail_on if options.config else None
    threshold = threshold or Severity.INFO
    try:
        report = run_scan(options)
        if sarif_category:
            extra = {**report.extra, "sarif_category": sarif_category}
            report = dataclasses.replace(report, extra=extra)
    except ScanSetupError as exc:
        raise fail(str(exc)) from None

    for format_name, destination in targets:
        _write(report, format_name, destination)
    if _should_fail(report, threshold, accept_errors):
        raise typer.Exit(EXIT_FINDINGS)


def _pair_outputs(
    formats: list[str], outputs: list[Path]
) -> list[tuple[str, Path | None]]:
    for name in formats:
        if name not in FORMATS:
            raise ValueError(
                f"unknown format {name!r}; use one of {', '.join(FORMATS)}"
            )
    if len(outputs) > len(formats):
        raise ValueError("more --output files than --format options")
    paired: list[tuple[str, Path | None]] = [
        (name, outputs[i] if i < len(outputs) else None)
        for i, name in enumerate(formats)
    ]
    if sum(1 for _, dest in paired if dest is None) > 1:
        raise ValueError("only one format can go to stdout; give the others --output")
    return paired


def _parse_vars(pairs: list[str]) -> dict[str, str]:
    variables = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--var {pair!r}: expected NAME=VALUE")
        variables[key] = value
    return variables


def _id_set(text: str | None) -> set[str]:
    return {part.strip().upper() for part in (text or "").split(",") if part.strip()}


def _write(report: ScanReport, format_name: str, destination: Path | None) -> None:
    import dataclasses

    to_terminal = destination is None and sys.stdout.isatty()
    text = renderer(format_name)(dataclasses.replace(report, color=to_terminal))
    if destination is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")


def _load_config(explicit: Path | None, paths: list[Path]) -> Config | None:
    """--config, else the nearest .surveyor.toml above what is scanned."""
    from surveyor.cli import fail
    from surveyor.config import ConfigError, find_config, load_config

    if explicit is not None and not explicit.is_file():
        raise fail(f"{explicit}: no such config file")
    found = explicit or find_config(_common_dir(paths))
    if found is None:
        return None
    try:
        return load_config(found)
    except ConfigError as exc:
        for line in exc.lines[:-1]:
            typer.echo(f"surveyor: error: {line}", err=True)
        raise fail(exc.lines[-1]) from None


def _common_dir(paths: list[Path]) -> Path:
    import os

    if not paths:
        return Path.cwd()
    common = Path(os.path.commonpath([str(p.resolve()) for p in paths]))
    return common if common.is_dir() else common.parent


def _should_fail(report: ScanReport, threshold: Severity, accept_errors: bool) -> bool:
    for result in report.results:
        if result.status is Status.FAIL and result.severity.at_least(threshold):
            return True
        if result.status is Status.ERROR and not accept_errors:
            return True
    return False
