"""The policy loader refuses broken checks loudly, naming the file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from surveyor.checks.loader import PolicyLoadError, builtin_policy_dir, load_checks
from surveyor.model.types import KNOWN_TYPES

GOOD = """
from surveyor.checks import Check, Remediation, RuleMeta, Severity, Side, Verdict

class OwnerTag(Check):
    meta = RuleMeta(
        id="{rule_id}",
        title="Buckets carry an owner tag",
        severity=Severity.LOW,
        resource_types=("{rtype}",),
        description="d",
        rationale="r",
        remediation=Remediation(terraform="tags = {{ owner = \\"x\\" }}", console="c"),
        runbook="rb",
        sides=frozenset({{Side.IAC, Side.LIVE}}),
    )

    def evaluate(self, resource, context):
        return Verdict.passed("ok")
"""


def write_check(
    directory: Path, stem: str, rule_id: str, rtype: str = "aws_s3_bucket"
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.py"
    path.write_text(textwrap.dedent(GOOD.format(rule_id=rule_id, rtype=rtype)))
    return path


def test_loads_a_users_check_like_a_builtin(tmp_path: Path) -> None:
    write_check(tmp_path, "acme_s3_001_owner_tag", "ACME-S3-001")
    loaded = load_checks([tmp_path], known_types=KNOWN_TYPES)
    assert [c.meta.id for c in loaded] == ["ACME-S3-001"]
    assert loaded[0].path.name == "acme_s3_001_owner_tag.py"


def test_duplicate_rule_id_is_a_load_error_naming_both_files(tmp_path: Path) -> None:
    write_check(tmp_path / "a", "acme_s3_001_one", "ACME-S3-001")
    write_check(tmp_path / "b", "acme_s3_001_two", "ACME-S3-001")
    with pytest.raises(
        PolicyLoadError,
        match=r"acme_s3_001_two\.py: duplicate rule id ACME-S3-001 "
        r"\(also in .*acme_s3_001_one\.py\)",
    ):
        load_checks([tmp_path / "a", tmp_path / "b"])


def test_module_name_must_match_the_rule_id(tmp_path: Path) -> None:
    write_check(tmp_path, "owner_tag", "ACME-S3-001")
    with pytest.raises(
        PolicyLoadError,
        match=r"owner_tag\.py: ACME-S3-001: module name must start with 'acme_s3_001'",
    ):
        load_checks([tmp_path])


def test_unknown_resource_type_is_a_load_error(tmp_path: Path) -> None:
    write_check(tmp_path, "acme_s3_001_x", "ACME-S3-001", rtype="aws_s4_bucket")
    with pytest.raises(
        PolicyLoadError, match=r"unknown resource types \['aws_s4_bucket'\]"
    ):
        load_checks([tmp_path], known_types=KNOWN_TYPES)


def test_missing_metadata_is_listed(tmp_path: Path) -> None:
    path = write_check(tmp_path, "acme_s3_001_x", "ACME-S3-001")
    path.write_text(path.read_text().replace('runbook="rb"', 'runbook=" "'))
    with pytest.raises(PolicyLoadError, match="runbook is empty"):
        load_checks([tmp_path])


def test_one_sided_rule_needs_a_reason(tmp_path: Path) -> None:
    path = write_check(tmp_path, "acme_s3_001_x", "ACME-S3-001")
    path.write_text(
        path.read_text().replace(
            "frozenset({Side.IAC, Side.LIVE})", "frozenset({Side.LIVE})"
        )
    )
    with pytest.raises(PolicyLoadError, match="side_reason is required"):
        load_checks([tmp_path])


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "acme_s3_001_x.py").write_text("x = 1\ndef broken(:\n")
    with pytest.raises(PolicyLoadError, match=r"acme_s3_001_x\.py:2: import failed"):
        load_checks([tmp_path])


def test_module_without_exactly_one_check_is_refused(tmp_path: Path) -> None:
    (tmp_path / "acme_s3_001_x.py").write_text("VALUE = 1\n")
    with pytest.raises(PolicyLoadError, match="exactly one Check subclass, found 0"):
        load_checks([tmp_path])


def test_missing_directory_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyLoadError, match="policy directory does not exist"):
        load_checks([tmp_path / "nope"])


def test_builtin_policy_set_loads_and_validates() -> None:
    loaded = load_checks([builtin_policy_dir()], known_types=KNOWN_TYPES)
    ids = [c.meta.id for c in loaded]
    assert ids == sorted(set(ids))
