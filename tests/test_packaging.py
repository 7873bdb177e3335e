"""Every package directory is listed in pyproject, so the wheel is complete."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def test_every_package_directory_is_listed_in_pyproject() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        "surveyor." + ".".join(p.parent.relative_to(REPO / "cli" / "surveyor").parts)
        for p in (REPO / "cli" / "surveyor").rglob("__init__.py")
    }
    found = {name.rstrip(".") for name in found} | {"surveyor.policies"}
    assert found == listed


def test_nothing_installs_under_a_generic_top_level_name() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert {name.split(".")[0] for name in config["packages"]} == {"surveyor"}
