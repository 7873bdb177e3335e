"""The fast paths stay light: `--version` and a Terraform scan import no heavy
dependency (boto3, botocore, rich, pydantic; jsonschema when no config file is
present).

Each command runs in a fresh interpreter under `-X importtime`, whose stderr
lists every module the process imported, nested under the module that
imported it; a failure names the chain that pulled the heavy module in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import surveyor
from surveyor.report import FORMATS

# pydantic: typer 0.29 imports it to coerce every parameter (~55 ms a start);
# pyproject pins typer below 0.29 and this keeps the pin honest.
HEAVY = ("boto3", "botocore", "rich", "jsonschema", "pydantic")

# "import time:       259 |        259 |     typer.colors"
IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|(?P<indent> *)(?P<name>\S+)")


def imported_modules(stderr: str) -> list[tuple[str, int]]:
    """(module, nesting depth) for every import `-X importtime` reported."""
    found = []
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            found.append((match["name"], (len(match["indent"]) - 1) // 2))
    return found


def heavy_imports(stderr: str) -> dict[str, list[str]]:
    """Each heavy module imported, with the chain of importers above it."""
    modules = imported_modules(stderr)
    heavy: dict[str, list[str]] = {}
    for index, (name, depth) in enumerate(modules):
        top = name.split(".")[0]
        if top not in HEAVY or top in heavy:
            continue
        # importtime prints a module after everything it imported, one level
        # shallower: the next shallower line below is the importer.
        chain, want = [name], depth
        for later, later_depth in modules[index + 1 :]:
            if later_depth < want:
                chain.append(later)
                want = later_depth
        heavy[top] = chain
    return heavy


def run_surveyor(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SURVEYOR_", "AWS_"))
    }
    # No config file anywhere a config lookup might go: cwd, home, XDG dirs.
    env.update(
        HOME=str(cwd),
        XDG_CONFIG_HOME=str(cwd / ".config"),
        SURVEYOR_CACHE_DIR=str(cwd / ".cache"),
    )
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "surveyor", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def describe(heavy: dict[str, list[str]]) -> str:
    return "; ".join(f"{top} via {' <- '.join(chain)}" for top, chain in heavy.items())


def test_importtime_parser_sees_a_nested_import_and_its_importer() -> None:
    # Guards the guard: the parser must notice a heavy-named import and its parent.
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       10 |         10 |       rich.style\n"
        "import time:       20 |         30 |     rich\n"
        "import time:       40 |         70 |   surveyor.report.text\n"
        "import time:       50 |        120 | surveyor.commands.scan\n"
    )

    assert heavy_imports(stderr) == {
        "rich": ["rich.style", "rich", "surveyor.report.text", "surveyor.commands.scan"]
    }


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    done = run_surveyor(["--version"], tmp_path)

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["surveyor", surveyor.__version__]


def test_version_imports_no_heavy_dependency(tmp_path: Path) -> None:
    done = run_surveyor(["--version"], tmp_path)

    assert done.returncode == 0
    names = {name for name, _ in imported_modules(done.stderr)}
    assert "surveyor.cli" in names  # importtime output was really parsed
    assert heavy_imports(done.stderr) == {}, describe(heavy_imports(done.stderr))


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_terraform_scan_imports_no_heavy_dependency(
    tmp_path: Path, output_format: str
) -> None:
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n'
        '  bucket = "example-logs"\n'
        '  acl    = "public-read"\n'
        "}\n\n"
        'resource "aws_security_group" "web" {\n'
        '  name = "web"\n'
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n'
        "  }\n"
        "}\n",
        encoding="utf-8",
    )

    done = run_surveyor(["scan", "module", "--format", output_format], tmp_path)

    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "AWS-S3-001" in done.stdout, done.stderr[-2000:]  # the public ACL fails
    if output_format in ("json", "sarif"):
        assert isinstance(json.loads(done.stdout), dict)
    names = {name for name, _ in imported_modules(done.stderr)}
    assert any(name.startswith("surveyor.sources.terraform") for name in names)
    assert heavy_imports(done.stderr) == {}, describe(heavy_imports(done.stderr))
