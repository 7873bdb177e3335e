"""The pre-commit hook, run by the real pre-commit against this working tree.

`pre-commit try-repo` clones a repository at HEAD, so the working tree (with
its uncommitted files) is first copied into a throwaway repository and
committed there. pre-commit then builds its own virtualenv from that copy,
installing the dependencies from PyPI, which takes a minute the first time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surveyor.commands.hook import terraform_files

REPO = Path(__file__).resolve().parent.parent

PUBLIC_BUCKET = """\
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
  acl    = "public-read"
}
"""

SUPPRESSED_BUCKET = """\
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
  # surveyor:ignore AWS-S3-001 static website, approved by security
  acl    = "public-read"
}
"""

PRIVATE_BUCKET = """\
resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
  acl    = "private"
}
"""

# Only the public-ACL rule (critical) decides; the rest of the catalog is noise here.
CONFIG = 'fail_on = "critical"\n'


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed into a repository of its own."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    copy = tmp_path_factory.mktemp("surveyor-hook-repo")
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "working tree under test")
    return copy


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    git(tmp_path, "init", "-q")
    (tmp_path / ".surveyor.toml").write_text(CONFIG)
    yield tmp_path


def try_repo(
    project: Path, hook_repo: Path, home: Path, *selection: str
) -> subprocess.CompletedProcess[str]:
    git(project, "add", "-A")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "PRE_COMMIT", "VIRTUAL_ENV"))
    }
    env["PRE_COMMIT_HOME"] = str(home)
    # A live call would fail loudly rather than reach a real account.
    env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
    return subprocess.run(
        [
            "pre-commit",
            "try-repo",
            str(hook_repo),
            "surveyor",
            "--color=never",
            *selection,
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.e2e
def test_the_hook_fails_on_a_public_bucket_and_names_the_finding(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    (project / "infra").mkdir()
    (project / "infra" / "main.tf").write_text(PUBLIC_BUCKET)

    run = try_repo(project, hook_repo, pre_commit_home, "--all-files")

    assert run.returncode == 1, run.stdout + run.stderr
    assert "AWS-S3-001" in run.stdout
    assert "aws_s3_bucket.site" in run.stdout
    assert "infra/main.tf" in run.stdout


@pytest.mark.e2e
def test_the_hook_passes_on_clean_terraform(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    (project / "main.tf").write_text(PRIVATE_BUCKET)

    run = try_repo(project, hook_repo, pre_commit_home, "--all-files")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


@pytest.mark.e2e
def test_the_hook_reports_only_the_files_it_was_given(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    (project / "public.tf").write_text(PUBLIC_BUCKET)
    (project / "private.tf").write_text(PRIVATE_BUCKET)

    only_private = try_repo(
        project, hook_repo, pre_commit_home, "--files", "private.tf"
    )
    both = try_repo(project, hook_repo, pre_commit_home, "--all-files")

    assert only_private.returncode == 0, only_private.stdout + only_private.stderr
    assert both.returncode == 1, both.stdout + both.stderr


@pytest.mark.e2e
def test_an_inline_suppression_with_a_reason_lets_the_commit_through(
    project: Path, hook_repo: Path, pre_commit_home: Path
) -> None:
    (project / "main.tf").write_text(SUPPRESSED_BUCKET)

    run = try_repo(project, hook_repo, pre_commit_home, "--all-files")

    assert run.returncode == 0, run.stdout + run.stderr


def test_hook_files_keep_tf_expand_tfvars_and_skip_other_hcl(tmp_path: Path) -> None:
    for name in ("main.tf", "s3.tf", "prod.tfvars", "terragrunt.hcl"):
        (tmp_path / name).write_text("")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.tf").write_text("")

    chosen = terraform_files(
        [tmp_path / "s3.tf", tmp_path / "prod.tfvars", tmp_path / "terragrunt.hcl"]
    )

    assert chosen == [tmp_path / "s3.tf", tmp_path / "main.tf"]


def test_hook_with_no_terraform_files_passes_without_scanning(tmp_path: Path) -> None:
    from surveyor.cli import app, register

    if not app.registered_commands:
        register()
    (tmp_path / ".terraform.lock.hcl").write_text("broken {{{")

    result = CliRunner().invoke(app, ["hook", str(tmp_path / ".terraform.lock.hcl")])

    assert result.exit_code == 0
    assert result.stdout == ""


def test_the_hook_manifest_is_valid_and_offline() -> None:
    import yaml  # type: ignore[import-untyped]

    check = subprocess.run(
        ["pre-commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())

    assert check.returncode == 0, check.stdout + check.stderr
    assert hook["id"] == "surveyor"
    assert hook["types_or"] == ["terraform", "hcl"]
    assert hook["language"] == "python"
    assert "--aws" not in hook["entry"]
