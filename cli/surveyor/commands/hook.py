"""`surveyor hook FILE...`: the pre-commit entry point.

pre-commit hands over the staged files it selected (`.tf`, `.tfvars`, `.hcl`).
Terraform needs the whole module to resolve references, so each `.tf` file is
scanned with its directory as context and only findings in the named files are
reported. A `.tfvars` file changes what its module evaluates to, so it stands
for every `.tf` file beside it. Other `.hcl` files (Terragrunt, lock files) are
not Terraform resources and are skipped. Never touches live AWS.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

logger = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("hook")(hook)


def hook(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Files pre-commit passes (staged).")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 at or above this severity (default: config, else info)."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Config file (default: nearest).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Ignore every suppression and waiver.")
    ] = False,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output format (default: text).")
    ] = "text",
) -> None:
    """Scan the modules of the given Terraform files; report those files only."""
    from surveyor.commands.scan import scan

    targets = terraform_files(files or [])
    if not targets:
        logger.info(
            "no Terraform files among the %d given; nothing to scan", len(files or [])
        )
        return
    scan(
        paths=targets,
        output_format=[output_format],
        fail_on=fail_on,
        config=config,
        strict=strict,
    )


def terraform_files(files: list[Path]) -> list[Path]:
    """The `.tf` files to report on, in a stable order, without duplicates."""
    chosen: dict[Path, None] = {}
    for path in files:
        if path.suffix == ".tf" and path.is_file():
            chosen[path] = None
        elif path.suffix == ".tfvars" and path.is_file():
            chosen.update(dict.fromkeys(sorted(path.parent.glob("*.tf"))))
        else:
            logger.debug("%s: not a Terraform file; skipped", path)
    return list(chosen)
