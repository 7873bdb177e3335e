"""`surveyor snapshot`: collect a live account and save it to scan later."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("snapshot")(snapshot)


def snapshot(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Snapshot file to write (.json, or .json.gz)."
        ),
    ],
    aws: Annotated[
        bool, typer.Option("--aws", help="Collect from the live AWS account.")
    ] = False,
    profile: Annotated[str | None, typer.Option(help="AWS profile.")] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help="Region to collect (repeatable), or `all`."),
    ] = None,
) -> None:
    """Collect the live account and save it as a snapshot file."""
    import logging

    from surveyor import __version__
    from surveyor.cli import fail
    from surveyor.scan import utc_now

    if not aws:
        raise fail("nothing to collect: pass --aws")
    if not output.name.endswith((".json", ".json.gz")):
        raise fail(f"{output}: a snapshot file name ends in .json or .json.gz")
    try:
        from surveyor.sources.aws import AwsCredentialsError, AwsOptions, collect_aws
    except ImportError as exc:
        raise fail(
            f"{exc.name} is not installed; pip install 'surveyor[aws]'"
        ) from None
    from surveyor.sources.snapshot import write_snapshot

    started = utc_now()
    try:
        resources = collect_aws(AwsOptions(profile=profile, regions=list(region or [])))
    except AwsCredentialsError as exc:
        raise fail(str(exc)) from None
    write_snapshot(resources, output, collected_at=started, tool_version=__version__)

    errors = resources.collection_errors
    log = logging.getLogger(__name__)
    for error in errors[:10]:
        log.warning("%s", error.describe())
    typer.echo(
        f"surveyor: wrote {len(resources)} resources to {output}"
        + (
            f" ({len(errors)} calls failed; their rules will report ERROR)"
            if errors
            else ""
        ),
        err=True,
    )
