"""scripts/action-run.sh, run the way the composite action runs it.

A stand-in `surveyor` on PATH records its arguments and writes the files it is
asked for, so the script's own logic (one scan, outputs from the JSON, the
summary, exit codes) is pinned without depending on any rule.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "action-run.sh"

STAND_IN = """\
#!{python}
import json, os, sys
from pathlib import Path

args = sys.argv[1:]
Path(os.environ["STAND_IN_LOG"]).write_text(json.dumps(args))
formats = [args[i + 1] for i, a in enumerate(args) if a == "--format"]
outputs = [args[i + 1] for i, a in enumerate(args) if a == "--output"]
for name, path in zip(formats, outputs):
    if name == "json":
        Path(path).write_text(os.environ["STAND_IN_JSON"])
    elif name == "markdown":
        Path(path).write_text("## surveyor\\n\\n2 findings\\n")
    else:
        Path(path).write_text('{{"version": "2.1.0", "runs": []}}')
print("::error file=main.tf,line=3::AWS-S3-001 public bucket")
sys.exit(int(os.environ["STAND_IN_EXIT"]))
"""


def results_json(*rows: tuple[str, str]) -> str:
    return json.dumps(
        {"results": [{"status": status, "severity": sev} for status, sev in rows]}
    )


ROWS = (
    ("FAIL", "critical"),
    ("FAIL", "high"),
    ("ERROR", "high"),
    ("SUPPRESSED", "critical"),
    ("PASS", "low"),
    ("UNKNOWN", "medium"),
)


def parse_outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(
        line.split("=", 1) for line in path.read_text().splitlines() if "=" in line
    )


@dataclass
class Run:
    done: subprocess.CompletedProcess[str]
    args: list[str]
    outputs: dict[str, str]
    summary: str


class ActionRunner:
    """Runs the script with the environment a GitHub runner gives a step."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        stand_in = self.bin / "surveyor"
        stand_in.write_text(STAND_IN.format(python=sys.executable))
        stand_in.chmod(0o755)
        (tmp_path / "workspace").mkdir()
        (tmp_path / "runner-temp").mkdir()
        self.summary = tmp_path / "summary.md"
        self.summary.write_text("earlier step\n")

    def __call__(
        self,
        exit_code: int = 1,
        rows: tuple[tuple[str, str], ...] = ROWS,
        **inputs: str,
    ) -> Run:
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.tmp),
            "GITHUB_WORKSPACE": str(self.tmp / "workspace"),
            "GITHUB_OUTPUT": str(self.tmp / "output"),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.tmp / "runner-temp"),
            "STAND_IN_LOG": str(self.tmp / "args.json"),
            "STAND_IN_JSON": results_json(*rows),
            "STAND_IN_EXIT": str(exit_code),
            **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
        }
        done = subprocess.run(
            ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False
        )
        args_file = self.tmp / "args.json"
        args = json.loads(args_file.read_text()) if args_file.exists() else []
        return Run(
            done, args, parse_outputs(self.tmp / "output"), self.summary.read_text()
        )


@pytest.fixture
def runner(tmp_path: Path) -> ActionRunner:
    return ActionRunner(tmp_path)


def test_one_scan_writes_every_format(runner: ActionRunner) -> None:
    run = runner(paths="infra\nmodules/net")
    args = run.args

    assert args[0] == "scan"
    formats = [args[i + 1] for i, a in enumerate(args) if a == "--format"]
    assert formats == ["sarif", "json", "markdown", "github"]
    assert args.count("--output") == 3  # github goes to stdout, for the runner
    assert args[-2:] == ["infra", "modules/net"]
    assert "::error file=main.tf,line=3::" in run.done.stdout
    assert "--fail-on" not in args and "--aws" not in args


def test_outputs_count_findings_by_severity_from_the_json(runner: ActionRunner) -> None:
    run = runner(exit_code=1)
    outputs = run.outputs

    assert run.done.returncode == 0, (
        run.done.stderr
    )  # the action fails later, after upload
    assert outputs["exit-code"] == "1"
    assert outputs["findings"] == "3"
    assert outputs["critical"] == "1"
    assert outputs["high"] == "2"
    assert outputs["medium"] == "0"
    assert outputs["suppressed"] == "1"
    assert outputs["sarif-file"] == "surveyor.sarif"


def test_the_markdown_report_is_appended_to_the_job_summary(
    runner: ActionRunner,
) -> None:
    assert (
        runner(exit_code=0, rows=()).summary
        == "earlier step\n## surveyor\n\n2 findings\n"
    )


def test_inputs_become_arguments(runner: ActionRunner) -> None:
    run = runner(
        fail_on="high",
        aws="true",
        extra_args="--strict --var-file prod.tfvars",
        sarif_file="out/s.sarif",
        category="surveyor/prod/",
        paths="",
    )
    args, outputs = run.args, run.outputs
    assert args[1] == "--aws"
    assert args[args.index("--fail-on") + 1] == "high"
    assert args[args.index("--sarif-category") + 1] == "surveyor/prod/"
    assert args[args.index("--format") + 2 : args.index("--format") + 4] == [
        "--output",
        "out/s.sarif",
    ]
    assert args[-3:] == ["--strict", "--var-file", "prod.tfvars"]
    assert outputs["sarif-file"] == "out/s.sarif"


def test_a_scan_that_cannot_run_fails_the_step(runner: ActionRunner) -> None:
    run = runner(exit_code=2)

    assert run.done.returncode == 2
    assert run.outputs == {"exit-code": "2"}
    assert run.summary == "earlier step\n"
    assert "::error title=surveyor::the scan could not run" in run.done.stdout


def test_every_declared_output_is_written_by_the_script(runner: ActionRunner) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    outputs = runner(exit_code=1).outputs

    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.scan.outputs.{name} }}}}"
        assert name in outputs, name


def test_the_action_is_composite_and_uses_every_input() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    text = (REPO / "action.yml").read_text()

    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"${{ github.action_path }}' in install["run"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"]["category"] == "${{ inputs.category }}"
    for name in action["inputs"]:
        assert f"inputs.{name}" in text, name


PUBLIC_BUCKETS = """\
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
  acl    = "public-read"
}

resource "aws_s3_bucket" "docs" {
  # surveyor:ignore AWS-S3-001 public documentation, approved
  bucket = "example-docs"
  acl    = "public-read"
}
"""


def test_the_real_scan_fills_sarif_summary_outputs_and_annotations(
    tmp_path: Path,
) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "infra").mkdir(parents=True)
    (workspace / "infra" / "main.tf").write_text(PUBLIC_BUCKETS)
    summary = tmp_path / "summary.md"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "INPUT_"))},
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        "INPUT_PATHS": "infra",
        "INPUT_FAIL_ON": "critical",
        "INPUT_EXTRA_ARGS": "--rules AWS-S3-001 --no-cache",
    }

    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    outputs = parse_outputs(tmp_path / "output")
    assert outputs["exit-code"] == "1"
    assert (outputs["findings"], outputs["critical"], outputs["suppressed"]) == (
        "1",
        "1",
        "1",
    )
    sarif = json.loads((workspace / outputs["sarif-file"]).read_text())
    (run,) = sarif["runs"]
    assert [r["ruleId"] for r in run["results"]] == [
        "AWS-S3-001"
    ]  # suppressed left out
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == "infra/main.tf"
    assert "file=infra/main.tf,line=3" in done.stdout
    assert "AWS-S3-001" in summary.read_text()
