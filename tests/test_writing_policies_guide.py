"""docs/writing-policies.md cannot rot: its code blocks are run as written.

File blocks (```python file=PATH) are written to a scratch directory and must
equal examples/custom-policies/PATH; console blocks (```console) are run in
order in that directory, and their output and exit codes must be the ones the
guide shows (timestamps, the scan root, the version and pytest timings are
the only parts normalized).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "writing-policies.md"
EXAMPLES = REPO / "examples" / "custom-policies"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
FILE_ATTR = re.compile(r"\bfile=(\S+)")
# The header line carries the scan root, the clock and the version.
HEADER = re.compile(r"^surveyor \S+: (\w+) scan of .* \(\S+\)$", re.MULTILINE)
TIMING = re.compile(r" in \d+(\.\d+)?s\b")


@dataclass(frozen=True)
class Step:
    command: str
    expected: str  # stdout and stderr together, as a terminal shows them


def blocks() -> list[tuple[str, str, str]]:
    return [m.groups() for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8"))]


def file_blocks() -> dict[str, str]:
    found = {}
    for _, info, body in blocks():
        match = FILE_ATTR.search(info)
        if match:
            found[match.group(1)] = body
    return found


def console_steps() -> list[Step]:
    steps: list[Step] = []
    for language, _, body in blocks():
        if language != "console":
            continue
        command, output = None, []
        for line in body.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    steps.append(Step(command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            steps.append(Step(command, "\n".join(output)))
    return steps


def normalized(text: str) -> str:
    text = HEADER.sub(r"surveyor VERSION: \1 scan of ROOT (TIME)", text)
    text = TIMING.sub(" in Ns", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def run(
    command: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    # `surveyor` and `python` mean this interpreter, whatever is on PATH.
    prelude = 'surveyor() { "$PY" -m surveyor "$@"; }; python() { "$PY" "$@"; }; '
    return subprocess.run(
        ["bash", "-c", prelude + command],
        check=False,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def test_guide_has_the_blocks_this_test_runs() -> None:
    assert {"policies/acme_tag_001_s3_owner_tag.py", "terraform/main.tf"} <= set(
        file_blocks()
    )
    assert any(s.command.startswith("surveyor scan") for s in console_steps())


def test_guide_files_are_the_example_files() -> None:
    shown = file_blocks()
    on_disk = {
        p.relative_to(EXAMPLES).as_posix(): p.read_text(encoding="utf-8")
        for p in EXAMPLES.rglob("*")
        if p.is_file()
        and not any(
            part.startswith((".", "__pycache__"))
            for part in p.relative_to(EXAMPLES).parts
        )
    }
    assert sorted(shown) == sorted(on_disk), "the guide and the example differ"
    for path, body in shown.items():
        assert body == on_disk[path], f"{path} in the guide differs from the example"


def test_guide_commands_give_the_documented_output_and_exit_codes(
    tmp_path: Path,
) -> None:
    for path, body in file_blocks().items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PY": sys.executable,
        "COLUMNS": "80",
        "SURVEYOR_CACHE_DIR": str(tmp_path / ".cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }

    last: subprocess.CompletedProcess[str] | None = None
    for step in console_steps():
        if step.command == "echo $?":
            assert last is not None, "`echo $?` before any command"
            assert str(last.returncode) == step.expected.strip(), (
                f"exit code of `{last.args[-1]}`"
            )
            continue
        last = run(step.command, tmp_path, env)
        if last.returncode not in (0, 1, 2):
            pytest.fail(f"`{step.command}` crashed ({last.returncode}):\n{last.stdout}")
        assert normalized(last.stdout) == normalized(step.expected), (
            f"output of `{step.command}`"
        )
