"""`surveyor permissions`: the read-only IAM policy that live collection needs."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    app.command("permissions")(permissions)


def permissions() -> None:
    """Print the least-privilege, read-only IAM policy for `--aws` collection."""
    from surveyor.sources.aws.permissions import read_only_policy

    typer.echo(json.dumps(read_only_policy(), indent=2))
