"""Snapshot files: round trips, gzip by content, redaction, one-line errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from surveyor.model import CollectionError, Resource, Side, Unknown, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.snapshot import (
    SnapshotError,
    is_snapshot,
    read_snapshot,
    write_snapshot,
)

ACCOUNT = "123456789012"
BUCKET_ARN = "arn:aws:s3:::logs"


def collection() -> ResourceSet:
    anchor = Resource(
        type="aws_account",
        address=f"aws://{ACCOUNT}",
        attributes={"account_id": ACCOUNT, "regions": ["us-east-1"]},
        side=Side.LIVE,
        account=ACCOUNT,
        region="global",
    )
    denied = CollectionError(
        "s3:GetBucketPolicy",
        "us-east-1",
        "AccessDenied",
        "no",
        ("aws_s3_bucket",),
        BUCKET_ARN,
    )
    bucket = Resource(
        type="aws_s3_bucket",
        address=BUCKET_ARN,
        attributes={
            "bucket": "logs",
            "acl": "private",
            "policy": Unknown("s3:GetBucketPolicy failed: AccessDenied"),
            "note": "key AKIAIOSFODNN7EXAMPLE leaked",
        },
        side=Side.LIVE,
        name="logs",
        arn=BUCKET_ARN,
        account=ACCOUNT,
        region="us-east-1",
        errors=(denied,),
    )
    return ResourceSet([anchor, bucket], collection_errors=[denied])


def write(path: Path) -> None:
    write_snapshot(
        collection(), path, collected_at="2026-12-04T05:00:00Z", tool_version="0.1.0"
    )


@pytest.mark.parametrize("name", ["snap.json", "snap.json.gz"])
def test_round_trip_keeps_resources_unknowns_and_errors(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    write(path)

    loaded = read_snapshot(path)

    bucket = loaded.get(BUCKET_ARN)
    assert bucket is not None and bucket.side is Side.LIVE
    assert bucket.attributes["acl"] == "private"
    assert is_unknown(bucket.attributes["policy"])
    assert [e.operation for e in bucket.errors] == ["s3:GetBucketPolicy"]
    assert [e.code for e in loaded.collection_errors] == ["AccessDenied"]
    assert (path.read_bytes()[:2] == b"\x1f\x8b") is name.endswith(".gz")


def test_header_names_format_version_account_and_regions(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write(path)

    document = json.loads(path.read_text())

    assert document["format"] == "surveyor-snapshot" and document["version"] == 1
    assert document["account"] == ACCOUNT and document["regions"] == ["us-east-1"]
    assert document["tool"] == {"name": "surveyor", "version": "0.1.0"}


def test_secret_looking_values_never_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write(path)

    text = path.read_text()

    assert "AKIAIOSFODNN7EXAMPLE" not in text
    assert "<redacted:aws-access-key-id>" in text


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    packed = tmp_path / "snap.json.gz"
    write(packed)
    misnamed = tmp_path / "snap.json"
    misnamed.write_bytes(packed.read_bytes())

    assert read_snapshot(misnamed).get(BUCKET_ARN) is not None
    assert is_snapshot(misnamed)


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    path.write_text("old")
    write(path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.json"]
    assert is_snapshot(path)


def one_line_error(path: Path) -> str:
    with pytest.raises(SnapshotError) as caught:
        read_snapshot(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_truncated_json_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write(path)
    path.write_text(path.read_text()[:200])

    assert "truncated" in one_line_error(path)


def test_truncated_gzip_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "snap.json.gz"
    write(path)
    path.write_bytes(path.read_bytes()[:60])

    assert "gzip" in one_line_error(path)


def test_foreign_json_is_not_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text(json.dumps({"name": "left-pad", "version": "1.3.0"}))

    assert "not a surveyor snapshot" in one_line_error(path)
    assert not is_snapshot(path)


def test_unsupported_version_says_so(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write(path)
    document = json.loads(path.read_text())
    path.write_text(json.dumps({**document, "version": 99}))

    assert "version 99" in one_line_error(path)


def test_schema_violation_names_where(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write(path)
    document = json.loads(path.read_text())
    del document["resources"][1]["address"]
    path.write_text(json.dumps(document))

    assert "resources/1" in one_line_error(path)


def test_scan_of_a_broken_snapshot_is_an_error_result_not_a_crash(
    tmp_path: Path,
) -> None:
    from surveyor.model import Status
    from surveyor.scan import ScanOptions, run_scan

    path = tmp_path / "snap.json.gz"
    path.write_bytes(gzip.compress(b'{"format": "surveyor-snapshot"')[:30])

    report = run_scan(ScanOptions(paths=[path], root=tmp_path))

    assert [r.status for r in report.results if r.rule_id == "SURVEYOR-INPUT"] == [
        Status.ERROR
    ]
