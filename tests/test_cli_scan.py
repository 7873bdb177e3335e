"""`surveyor scan` as a user runs it: formats, outputs, thresholds, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "terraform"
SARIF_SCHEMA = json.loads((REPO / "tests/data/sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((REPO / "cli/surveyor/schemas/report-v1.json").read_text())


def surveyor(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveyor", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_one_scan_writes_sarif_json_and_annotations_at_once(tmp_path: Path) -> None:
    sarif_path, json_path = tmp_path / "out.sarif", tmp_path / "out.json"
    run = surveyor(
        "scan", "examples/terraform", "--no-cache",
        "-f", "sarif", "-o", str(sarif_path),
        "-f", "json", "-o", str(json_path),
        "-f", "github",
    )  # fmt: skip
    assert run.returncode == 1, run.stderr

    sarif = json.loads(sarif_path.read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    report = json.loads(json_path.read_text())
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)

    (sarif_run,) = sarif["runs"]
    assert sarif_run["automationDetails"]["id"].startswith("surveyor/terraform")
    failed = {
        (r["rule_id"], r["resource"])
        for r in report["results"]
        if r["status"] == "FAIL"
    }
    in_sarif = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in sarif_run["results"]
    }
    assert len(sarif_run["results"]) == len(failed)
    assert ("AWS-EC2-001", "aws_security_group.bastion") in failed
    assert ("AWS-EC2-001", "examples/terraform/main.tf") in in_sarif
    assert ("AWS-S3-001", 'module.bucket["assets"].aws_s3_bucket.this') in failed
    assert ("AWS-S3-001", 'module.bucket["reports"].aws_s3_bucket.this') not in failed
    # The annotations went to stdout, one scan, nothing else mixed in.
    lines = run.stdout.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    assert any("file=examples/terraform/main.tf" in line for line in lines)


def test_fail_on_threshold_decides_the_exit_code(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "main.tf").write_text(
        'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n'
    )
    assert surveyor("scan", str(clean), "--no-cache").returncode == 0
    # The example's worst finding is critical: at the top threshold it still fails...
    assert (
        surveyor("scan", "examples/terraform", "--fail-on", "critical").returncode == 1
    )
    # ...while a low-severity rule's findings stay under a medium threshold.
    low_only = surveyor(
        "scan", "examples/terraform", "--rules", "AWS-S3-005", "--fail-on", "medium"
    )
    assert low_only.returncode == 0, low_only.stdout


def test_unusable_input_exits_2_with_one_line(tmp_path: Path) -> None:
    for args in (
        ("scan", str(tmp_path / "missing")),
        ("scan", "examples/terraform", "--format", "yaml"),
        ("scan", "examples/terraform", "--fail-on", "urgent"),
        ("scan", "examples/terraform", "--rules", "AWS-NOPE-001"),
        ("scan",),
    ):
        run = surveyor(*args)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert run.stdout == ""
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert run.stderr.startswith("surveyor: error:")


def test_a_file_that_does_not_parse_is_an_error_and_the_rest_is_scanned(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.tf").write_text('resource "aws_s3_bucket" "b" {\n  acl = \n}\n')
    (tmp_path / "ok.tf").write_text(
        'resource "aws_ebs_volume" "v" {\n'
        '  availability_zone = "a"\n'
        "  encrypted = false\n"
        "}\n"
    )
    out = tmp_path / "r.json"
    run = surveyor("scan", str(tmp_path), "--no-cache", "-f", "json", "-o", str(out))
    assert run.returncode == 1
    results = json.loads(out.read_text())["results"]
    errors = [r for r in results if r["status"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["location"]["path"].endswith("broken.tf")
    assert "broken.tf" in errors[0]["message"]
    assert {
        (r["rule_id"], r["resource"]) for r in results if r["status"] == "FAIL"
    } == {("AWS-EC2-005", "aws_ebs_volume.v")}


def test_naming_one_file_reports_only_that_file(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text(
        'resource "aws_ebs_volume" "a" {\n  availability_zone = "x"\n}\n'
    )
    (tmp_path / "b.tf").write_text(
        'resource "aws_ebs_volume" "b" {\n  availability_zone = "x"\n}\n'
    )
    out = tmp_path / "r.json"
    surveyor("scan", str(tmp_path / "a.tf"), "--no-cache", "-f", "json", "-o", str(out))
    resources = {r["resource"] for r in json.loads(out.read_text())["results"]}
    assert resources == {"aws_ebs_volume.a"}


def test_version_matches_the_package() -> None:
    from surveyor import __version__

    run = surveyor("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"surveyor {__version__}"
