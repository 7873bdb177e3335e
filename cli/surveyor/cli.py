"""The command line edge: parse arguments, run, map outcomes to exit codes.

This is the only module that configures logging or exits the process.
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import Annotated

import typer

from surveyor import __version__

app = typer.Typer(
    name="surveyor",
    help="One policy set for Terraform and live AWS accounts, with SARIF out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or inputs: one line on stderr, exit 2."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"surveyor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail on stderr.")
    ] = 0,
) -> None:
    level = (
        logging.WARNING
        if verbose == 0
        else logging.INFO
        if verbose == 1
        else logging.DEBUG
    )
    logging.basicConfig(
        level=level, format="surveyor: %(levelname)s: %(message)s", stream=sys.stderr
    )


def register() -> None:
    """Attach every subcommand; each lives in its own module under commands/."""
    from surveyor.commands import scan

    scan.register(app)
    for name in ("snapshot", "rules", "coverage", "permissions", "hook"):
        try:
            module = __import__(f"surveyor.commands.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"surveyor.commands.{name}":
                raise
            continue
        module.register(app)


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit to raise (code 2)."""
    typer.echo(f"surveyor: error: {message}", err=True)
    return typer.Exit(EXIT_UNUSABLE)


def main() -> None:
    # A scan allocates many small, acyclic objects (parsed blocks, resources,
    # results); the default gen-0 threshold made collection a fifth of a large
    # rescan. Cycles are still collected, just less often.
    gc.set_threshold(50_000, 20, 20)
    register()
    app()
