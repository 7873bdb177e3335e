"""One scan, start to finish: inputs to resource set to results to a report."""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from surveyor import __version__
from surveyor.checks.base import RuleMeta
from surveyor.checks.loader import LoadedCheck, builtin_policy_dir, load_checks
from surveyor.config import Config
from surveyor.engine import run_checks
from surveyor.model import Result, Severity, Side
from surveyor.model.types import KNOWN_TYPES
from surveyor.report import ScanReport
from surveyor.resourceset import ResourceSet, SourceError, SourceNotice

logger = logging.getLogger(__name__)


class ScanSetupError(Exception):
    """The scan cannot run at all (exit 2): bad path, bad policy, bad config."""


@dataclass
class ScanOptions:
    paths: list[Path] = field(default_factory=list)
    root: Path | None = None
    # Terraform
    var_files: list[Path] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    use_cache: bool = True
    # Live AWS
    aws: bool = False
    profile: str | None = None
    regions: list[str] = field(default_factory=list)
    source_dir: Path | None = None  # Terraform that places live findings
    live_anchor: str = ".surveyor.toml"  # where unplaced live findings go
    # Policy selection
    policy_dirs: list[Path] = field(default_factory=list)
    only_rules: set[str] = field(default_factory=set)
    skip_rules: set[str] = field(default_factory=set)
    min_severity: Severity | None = None
    # Config and suppressions: a flag given on the command line beats the config.
    config: Config | None = None
    strict: bool = False  # ignore every inline suppression and waiver
    include_suppressed_in_sarif: bool = False
    today: date | None = None  # for waiver expiry; None: today in UTC


def utc_now() -> str:
    return (
        datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


def scan_root(paths: list[Path], explicit: Path | None) -> Path:
    """Where locations are relative to: --root, else the working directory when
    every path lies inside it (so SARIF URIs match the repository), else the
    paths' common parent."""
    if explicit is not None:
        return explicit.resolve()
    cwd = Path.cwd().resolve()
    resolved = [p.resolve() for p in paths]
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    common = Path(os.path.commonpath([str(p) for p in resolved]))
    return common if common.is_dir() else common.parent


def select_checks(options: ScanOptions) -> list[LoadedCheck]:
    from surveyor.checks.loader import PolicyLoadError

    try:
        loaded = load_checks(
            [builtin_policy_dir(), *options.policy_dirs], known_types=KNOWN_TYPES
        )
    except PolicyLoadError as exc:
        raise ScanSetupError(str(exc)) from exc
    ids = {c.meta.id for c in loaded}
    for wanted in sorted((options.only_rules | options.skip_rules) - ids):
        raise ScanSetupError(f"unknown rule id {wanted}; `surveyor rules` lists them")
    selected = [
        c
        for c in loaded
        if (not options.only_rules or c.meta.id in options.only_rules)
        and c.meta.id not in options.skip_rules
        and (
            options.min_severity is None
            or _severity_of(c.meta, options.config).at_least(options.min_severity)
        )
    ]
    return selected


def collect(options: ScanOptions, root: Path) -> tuple[ResourceSet, list[str]]:
    """Read every input into one resource set; returns it and the kinds read."""
    resources = ResourceSet()
    kinds: list[str] = []
    terraform_targets: list[Path] = []
    snapshot_files: list[Path] = []
    for path in options.paths:
        if not path.exists():
            raise ScanSetupError(f"{path}: no such file or directory")
        if path.is_dir() or path.suffix in (".tf", ".tfvars"):
            terraform_targets.append(path)
        elif path.name.endswith((".json", ".json.gz")):
            snapshot_files.append(path)
        else:
            raise ScanSetupError(
                f"{path}: not a Terraform directory, .tf file "
                "or snapshot (.json, .json.gz)"
            )

    if terraform_targets:
        from surveyor.sources.terraform import TerraformOptions, load_terraform

        resources.extend(
            load_terraform(
                TerraformOptions(
                    targets=terraform_targets,
                    root=root,
                    var_files=options.var_files,
                    variables=options.variables,
                    use_cache=options.use_cache,
                )
            )
        )
        kinds.append("terraform")

    for snapshot in snapshot_files:
        from surveyor.sources.snapshot import SnapshotError, read_snapshot

        try:
            resources.extend(read_snapshot(snapshot))
        except SnapshotError as exc:
            resources.source_errors.append(SourceError(str(exc), path=str(snapshot)))
        if "aws" not in kinds:
            kinds.append("aws")

    if options.aws:
        from surveyor.sources.aws import AwsCredentialsError, AwsOptions, collect_aws

        try:
            aws_options = AwsOptions(profile=options.profile, regions=options.regions)
            live = collect_aws(aws_options)
        except AwsCredentialsError as exc:
            raise ScanSetupError(str(exc)) from exc
        resources.extend(live)
        if "aws" not in kinds:
            kinds.append("aws")
    return resources, kinds


def run_scan(options: ScanOptions) -> ScanReport:
    started = utc_now()
    root = scan_root(options.paths or [Path.cwd()], options.root)
    options = _with_config(options)
    _check_config_rule_ids(options)
    checks = select_checks(options)
    resources, kinds = collect(options, root)
    notices = _log_notices(resources, options.paths, root)
    overrides = dict(options.config.severity) if options.config else {}
    results: list[Result] = run_checks(
        [c.check for c in checks], resources, severity_overrides=overrides
    )
    results = _only_requested_files(results, options.paths, root)
    results = _place_live(results, resources, options, root)
    if not options.strict:  # after placement: live results can meet comments
        results = _suppress(results, resources, root, options)
        # A malformed comment found in a file that was not asked about stays out.
        results = _only_requested_files(results, options.paths, root)
    return ScanReport(
        results=results,
        rules=[_configured_meta(c.meta, options.config) for c in checks],
        include_suppressed_in_sarif=options.include_suppressed_in_sarif,
        root=root,
        kinds=tuple(kinds),
        tool_version=__version__,
        started_at=started,
        finished_at=utc_now(),
        resource_count=len(resources),
        collection_errors=tuple(resources.collection_errors),
        notices=notices,
        live_anchor=options.live_anchor,
        accounts=_anchor_names(resources, "aws_account"),
        regions=_anchor_names(resources, "aws_region"),
    )


def _log_notices(
    resources: ResourceSet, paths: list[Path], root: Path
) -> tuple[SourceNotice, ...]:
    """Each distinct notice once, in order, and logged once at WARNING; like
    findings, only those in the named files when `.tf` files were named."""
    files = {p.resolve() for p in paths if p.is_file() and p.suffix == ".tf"}
    dirs = {p.resolve() for p in paths if p.is_dir()}

    def wanted(notice: SourceNotice) -> bool:
        if not files or notice.location is None:
            return True
        where = (root / notice.location.path).resolve()
        return where in files or any(d in (where.parent, *where.parents) for d in dirs)

    notices = tuple(n for n in dict.fromkeys(resources.notices) if wanted(n))
    for notice in notices:
        logger.warning("%s", notice.message)
    return notices


def _anchor_names(resources: ResourceSet, anchor_type: str) -> tuple[str, ...]:
    """Accounts or regions a live collection or snapshot covered."""
    return tuple(sorted({r.name for r in resources.of_type(anchor_type) if r.name}))


def _place_live(
    results: list[Result], resources: ResourceSet, options: ScanOptions, root: Path
) -> list[Result]:
    """Put live results on the Terraform that declares them, else on the anchor."""
    from surveyor.placement import place_live_results

    if not any(r.side is Side.LIVE for r in results):
        return results
    declared = list(resources.of_type(*KNOWN_TYPES, side=Side.IAC))
    if options.source_dir is not None:
        if not options.source_dir.is_dir():
            raise ScanSetupError(f"--source {options.source_dir}: not a directory")
        from surveyor.sources.terraform import TerraformOptions, load_terraform

        source = load_terraform(
            TerraformOptions(
                targets=[options.source_dir],
                root=root,
                var_files=options.var_files,
                variables=options.variables,
                use_cache=options.use_cache,
            )
        )
        for error in source.source_errors:
            logger.warning("--source: %s", error.message)
        declared.extend(source.of_type(*KNOWN_TYPES, side=Side.IAC))
    return place_live_results(results, resources, declared, options.live_anchor)


def _with_config(options: ScanOptions) -> ScanOptions:
    """Fill what the command line left unset from the config file."""
    config = options.config
    if config is None:
        return options
    return dataclasses.replace(
        options,
        only_rules=options.only_rules or set(config.enable),
        skip_rules=options.skip_rules or set(config.disable),
        policy_dirs=options.policy_dirs or list(config.policies),
    )


def _check_config_rule_ids(options: ScanOptions) -> None:
    """Rule ids the config names must exist; the error names the config line."""
    config = options.config
    if config is None:
        return
    from surveyor.checks.loader import PolicyLoadError

    directories = dict.fromkeys(
        [builtin_policy_dir(), *options.policy_dirs, *config.policies]
    )
    try:
        loaded = load_checks(list(directories), known_types=KNOWN_TYPES)
    except PolicyLoadError:
        return  # select_checks reports the policy problem itself
    known = {c.meta.id for c in loaded}
    problems = config.unknown_rule_ids(known)
    if problems:
        raise ScanSetupError("\n".join(problems))


def _severity_of(meta: RuleMeta, config: Config | None) -> Severity:
    return config.severity.get(meta.id, meta.severity) if config else meta.severity


def _configured_meta(meta: RuleMeta, config: Config | None) -> RuleMeta:
    """The rule as this scan ran it: severity, owner and SLA from the config."""
    if config is None:
        return meta
    sla = config.sla_days.get(meta.id)
    return dataclasses.replace(
        meta,
        severity=_severity_of(meta, config),
        owner=config.owner.get(meta.id, meta.owner),
        sla=timedelta(days=sla) if sla is not None else meta.sla,
    )


def _suppress(
    results: list[Result], resources: ResourceSet, root: Path, options: ScanOptions
) -> list[Result]:
    from surveyor.suppress import apply_suppressions

    config = options.config
    source = ""
    if config is not None:
        path = config.path.resolve()
        shown = path.relative_to(root) if root in path.parents else path
        source = f"config:{shown.as_posix()}"
    return apply_suppressions(
        results,
        resources,
        root=root,
        waivers=config.waivers if config else (),
        waiver_source=source,
        today=options.today,
    )


def _only_requested_files(
    results: list[Result], paths: list[Path], root: Path
) -> list[Result]:
    """A `.tf` file argument reads its directory for context but reports only
    findings located in the files that were named."""
    files = {p.resolve() for p in paths if p.is_file() and p.suffix == ".tf"}
    if not files:
        return results
    dirs = {p.resolve() for p in paths if p.is_dir()}
    kept = []
    for result in results:
        if result.location is None or result.side is Side.LIVE:
            kept.append(result)  # live results are not in any named file
            continue
        where = (root / result.location.path).resolve()
        if where in files or any(d == where.parent or d in where.parents for d in dirs):
            kept.append(result)
    return kept
