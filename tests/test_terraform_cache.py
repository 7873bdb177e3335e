"""The parse cache: hits skip the parser; bad entries are never trusted."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from surveyor.model.unknown import Unknown
from surveyor.sources.terraform import TerraformOptions, files, load_terraform, loader
from surveyor.sources.terraform.cache import ParseCache, content_key
from surveyor.sources.terraform.values import RefUnknown

TF = 'resource "aws_sqs_queue" "q" {\n  name = "real"\n}\n'


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("SURVEYOR_CACHE_DIR", str(directory))
    return directory


def project(tmp_path: Path) -> Path:
    directory = tmp_path / "project"
    directory.mkdir()
    (directory / "main.tf").write_text(TF)
    return directory


def queue_name(directory: Path, use_cache: bool = True, scans: bool = False) -> Any:
    if not scans:  # these tests are about the per-file parse cache
        scan_dir = Path(os.environ["SURVEYOR_CACHE_DIR"]) / "terraform" / "scans"
        shutil.rmtree(scan_dir, ignore_errors=True)
    resources = load_terraform(
        TerraformOptions([directory], directory, use_cache=use_cache)
    )
    queue = resources.get("aws_sqs_queue.q")
    return None if queue is None else queue.attributes["name"]


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in cache_dir.rglob("*.json") if p.parent.name != "scans")


def test_second_load_is_served_from_the_cache(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = project(tmp_path)
    assert queue_name(directory) == "real"
    assert len(entries(cache_dir)) == 1

    def no_parsing(text: str) -> dict[str, Any]:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(files, "parse_text", no_parsing)
    assert queue_name(directory) == "real"


def test_changed_file_is_parsed_again(tmp_path: Path, cache_dir: Path) -> None:
    directory = project(tmp_path)
    assert queue_name(directory) == "real"
    (directory / "main.tf").write_text(TF.replace("real", "changed"))
    assert queue_name(directory) == "changed"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00not json",
        b'{"key": "wrong", "result": {"body": {}}}',
        b'{"key": "KEY", "result": "not a dict"}',
        b"[]",
        b"",
    ],
)
def test_corrupt_or_stale_entry_is_ignored_and_rewritten(
    tmp_path: Path, cache_dir: Path, content: bytes
) -> None:
    directory = project(tmp_path)
    assert queue_name(directory) == "real"
    (entry,) = entries(cache_dir)
    entry.write_bytes(content.replace(b"KEY", entry.stem.encode()))
    assert queue_name(directory) == "real"
    assert json.loads(entry.read_bytes())["key"] == entry.stem


def test_disabled_cache_neither_reads_nor_writes(
    tmp_path: Path, cache_dir: Path
) -> None:
    directory = project(tmp_path)
    assert queue_name(directory, use_cache=False) == "real"
    assert entries(cache_dir) == []
    # a planted entry would change the answer if it were read
    key = content_key(TF)
    fake = {
        "body": {
            "resource": [
                {
                    "aws_sqs_queue": {
                        "q": {
                            "__start_line__": 1,
                            "__end_line__": 3,
                            "__lines__": {},
                            "name": "planted",
                        }
                    }
                }
            ]
        }
    }
    ParseCache(cache_dir / "terraform").put(key, fake)
    assert queue_name(directory) == "planted"  # proves the entry is well-formed
    assert queue_name(directory, use_cache=False) == "real"


def test_parse_errors_are_cached_too(tmp_path: Path, cache_dir: Path) -> None:
    directory = project(tmp_path)
    (directory / "main.tf").write_text("resource {\n")
    for _ in range(2):
        resources = load_terraform(TerraformOptions([directory], directory))
        assert len(resources.source_errors) == 1


def test_parallel_parsing_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "many"
    directory.mkdir()
    for i in range(6):
        (directory / f"f{i}.tf").write_text(
            f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q-${{{i} + 1}}"\n'
            "  kms_master_key_id = string\n}\n"
        )
    (directory / "broken.tf").write_text("resource {\n")
    serial = load_terraform(TerraformOptions([directory], directory, use_cache=False))
    monkeypatch.setattr(files, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(files, "_CHUNK_BYTES", 1)
    monkeypatch.setattr(files, "_workers", lambda: 2)
    with caplog.at_level("INFO", logger="surveyor.sources.terraform.files"):
        parallel = load_terraform(
            TerraformOptions([directory], directory, use_cache=False)
        )
    # the pool really ran: no fallback to serial parsing (which would hide
    # results that cannot cross from a worker)
    assert "parallel parsing unavailable" not in caplog.text
    assert [(r.address, dict(r.attributes)) for r in serial] == [
        (r.address, dict(r.attributes)) for r in parallel
    ]
    assert len(parallel.source_errors) == 1
    assert parallel.get("aws_sqs_queue.q5").attributes["name"] == "q-6"  # type: ignore[union-attr]


def test_unchanged_rescan_is_served_whole_from_the_scan_cache(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = project(tmp_path)
    first = load_terraform(TerraformOptions([directory], directory))
    monkeypatch.setattr(loader._Loader, "_load", lambda self: 1 / 0)
    second = load_terraform(TerraformOptions([directory], directory))
    (a,), (b,) = list(first), list(second)
    assert (a.address, dict(a.attributes), a.location) == (
        b.address,
        dict(b.attributes),
        b.location,
    )
    assert dict(a.attribute_locations) == dict(b.attribute_locations)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: (d / "main.tf").write_text(TF.replace("real", "edited")),
        lambda d: (d / "extra.tf").write_text('resource "aws_sqs_queue" "x" {}\n'),
        lambda d: (d / "terraform.tfvars").write_text('name = "from-tfvars"\n'),
        lambda d: (d / "policy.txt").write_text("edited"),
    ],
    ids=["edited file", "new file", "new tfvars", "file() input"],
)
def test_scan_cache_notices_changed_inputs(
    tmp_path: Path, cache_dir: Path, change: Any
) -> None:
    directory = tmp_path / "project"
    directory.mkdir()
    (directory / "policy.txt").write_text("original")
    (directory / "main.tf").write_text(
        'variable "name" { default = "real" }\n'
        'resource "aws_sqs_queue" "q" {\n  name = var.name\n'
        '  policy = file("policy.txt")\n}\n'
    )
    before = load_terraform(TerraformOptions([directory], directory))
    change(directory)
    after = load_terraform(TerraformOptions([directory], directory))
    fresh = load_terraform(TerraformOptions([directory], directory, use_cache=False))
    seen = [(r.address, dict(r.attributes)) for r in after]
    assert seen == [(r.address, dict(r.attributes)) for r in fresh]
    assert seen != [(r.address, dict(r.attributes)) for r in before]


def test_corrupt_scan_entry_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    directory = project(tmp_path)
    assert queue_name(directory, scans=True) == "real"
    (entry,) = (cache_dir / "terraform" / "scans").glob("*.json")
    entry.write_text(f'{{"key": "{entry.stem}", "manifest": {{}}, "result": []}}')
    assert queue_name(directory, scans=True) == "real"
    entry.write_bytes(b"\xff garbage")
    assert queue_name(directory, scans=True) == "real"


def test_scan_cache_keeps_the_address_of_references(
    tmp_path: Path, cache_dir: Path
) -> None:
    directory = tmp_path / "project"
    directory.mkdir()
    (directory / "main.tf").write_text(
        'resource "aws_default_security_group" "d" {}\n'
        'resource "aws_security_group_rule" "r" {\n'
        '  type              = "ingress"\n'
        "  security_group_id = aws_default_security_group.d.id\n"
        "}\n"
    )
    for _ in range(2):  # the second load is served from the scan cache
        resources = load_terraform(TerraformOptions([directory], directory))
        rule = resources.get("aws_security_group_rule.r")
        assert rule is not None
        reference = rule.attributes["security_group_id"]
        assert isinstance(reference, RefUnknown)
        assert reference.address == "aws_default_security_group.d"
    assert list((cache_dir / "terraform" / "scans").glob("*.json"))


REPO = Path(__file__).resolve().parent.parent
CASES = sorted(
    {p.parent for p in (REPO / "fixtures").glob("*/terraform/*/*.tf")}
    | {p.parent for p in (REPO / "tests" / "data" / "terraform").glob("*/*.tf")}
)


def _snapshot(resources: Any) -> Any:
    def norm(value: Any) -> Any:
        if isinstance(value, RefUnknown):
            return ("ref", value.address)
        if isinstance(value, Unknown):
            return ("unknown",)
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        return value

    return sorted(
        (
            r.address,
            r.type,
            repr(norm(dict(r.attributes))),
            r.location,
            sorted(dict(r.attribute_locations).items()),
            r.components,
            sorted(r.tags.items()),
        )
        for r in resources
    ), sorted(e.message for e in resources.source_errors)


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(REPO)))
def test_cached_rescan_equals_a_cold_scan(case: Path, cache_dir: Path) -> None:
    cold = _snapshot(load_terraform(TerraformOptions([case], case, use_cache=False)))
    first = _snapshot(load_terraform(TerraformOptions([case], case)))
    warm = _snapshot(load_terraform(TerraformOptions([case], case)))
    assert cold == first == warm
