"""Registry and git module calls: installed by terraform init, adapted, or said."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from surveyor.model import Resource, Status
from surveyor.model.unknown import Unknown
from surveyor.resourceset import ResourceSet
from surveyor.scan import ScanOptions, run_scan
from surveyor.sources.terraform import TerraformOptions, load_terraform
from surveyor.sources.terraform.registry import find_adapter, split_source
from surveyor.sources.terraform.values import RefUnknown

CHILD = """
variable "name" {
  type = string
}

variable "public" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "this" {
  count  = 1
  bucket = var.name
}

resource "aws_s3_bucket_acl" "this" {
  count  = 1
  bucket = aws_s3_bucket.this[0].id
  acl    = var.public ? "public-read" : "private"
}

module "inner" {
  source = "example-corp/inner/aws"
  label  = var.name
}

output "bucket_id" {
  value = aws_s3_bucket.this[0].id
}
"""
INNER = """
variable "label" {
  type = string
}

resource "aws_sqs_queue" "this" {
  name = "${var.label}-events"
}
"""


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def load(directory: Path) -> ResourceSet:
    return load_terraform(TerraformOptions([directory], directory, use_cache=False))


def get(resources: ResourceSet, address: str) -> Resource:
    found = resources.get(address)
    assert found is not None, sorted(r.address for r in resources)
    return found


def manifest(*entries: tuple[str, str, str]) -> str:
    modules = [{"Key": "", "Source": "", "Dir": "."}]
    modules += [{"Key": k, "Source": s, "Dir": d} for k, s, d in entries]
    return json.dumps({"Modules": modules})


def initialised_root(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        {
            "main.tf": (
                'module "logs" {\n'
                '  source   = "example-corp/bucket/aws"\n'
                '  for_each = toset(["a", "b"])\n'
                '  name     = "logs-${each.key}"\n'
                '  public   = each.key == "b"\n'
                "}\n"
                'output "ids" {\n'
                "  value = module.logs\n"
                "}\n"
            ),
            ".terraform/modules/logs/main.tf": CHILD,
            ".terraform/modules/logs.inner/main.tf": INNER,
            ".terraform/modules/modules.json": manifest(
                ("logs", "example-corp/bucket/aws", ".terraform/modules/logs"),
                (
                    "logs.inner",
                    "example-corp/inner/aws",
                    ".terraform/modules/logs.inner",
                ),
            ),
        },
    )


def test_installed_modules_are_evaluated_like_local_ones(tmp_path: Path) -> None:
    resources = load(initialised_root(tmp_path))
    public = get(resources, 'module.logs["b"].aws_s3_bucket.this[0]')
    private = get(resources, 'module.logs["a"].aws_s3_bucket.this[0]')
    assert public.attributes["acl"] == "public-read"
    assert public.attributes["bucket"] == "logs-b"
    assert private.attributes["acl"] == "private"
    queue = get(resources, 'module.logs["b"].module.inner.aws_sqs_queue.this')
    assert queue.attributes["name"] == "logs-b-events"
    assert not resources.notices
    assert not resources.source_errors


def test_installed_module_locations_point_into_dot_terraform(tmp_path: Path) -> None:
    resources = load(initialised_root(tmp_path))
    bucket = get(resources, 'module.logs["b"].aws_s3_bucket.this[0]')
    location = bucket.location_of("acl")
    assert location is not None
    assert location.path == ".terraform/modules/logs/main.tf"
    assert (
        location.start_line
        == CHILD.splitlines().index('  acl    = var.public ? "public-read" : "private"')
        + 1
    )


def test_installed_module_missing_its_directory_is_a_source_error(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "logs" {\n  source = "example-corp/bucket/aws"\n}\n',
            ".terraform/modules/modules.json": manifest(
                ("logs", "example-corp/bucket/aws", ".terraform/modules/gone")
            ),
        },
    )
    resources = load(tmp_path)
    assert any("terraform init again" in e.message for e in resources.source_errors)


def test_unreadable_module_manifest_is_a_source_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n',
            ".terraform/modules/modules.json": "{not json",
        },
    )
    resources = load(tmp_path)
    assert [e.path for e in resources.source_errors] == [
        ".terraform/modules/modules.json"
    ]
    assert resources.get("aws_sqs_queue.q") is not None


def test_unadapted_remote_module_is_a_notice_not_a_silent_skip(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n\n'
                'module "cdn" {\n'
                '  source  = "cloudposse/cloudfront-s3-cdn/aws"\n'
                '  version = "0.95.0"\n'
                "}\n"
            )
        },
    )
    resources = load(tmp_path)
    assert len(resources.notices) == 1
    notice = resources.notices[0]
    assert notice.location is not None
    assert (notice.location.path, notice.location.start_line) == ("main.tf", 5)
    assert notice.message.startswith(
        'main.tf:5: module "cdn" (source "cloudposse/cloudfront-s3-cdn/aws") '
        "was not evaluated: run terraform init"
    )


def test_notice_of_a_module_called_with_count_is_given_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./child"\n  count  = 3\n}\n',
            "child/main.tf": 'module "far" {\n  source = "acme/far/aws"\n}\n',
        },
    )
    resources = load(tmp_path)
    assert [n.location for n in resources.notices] == [
        n.location for n in resources.notices[:1]
    ]
    assert resources.notices[0].message.startswith("child/main.tf:1:")


def test_notices_survive_the_scan_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEYOR_CACHE_DIR", str(tmp_path / "cache"))
    root = write(
        tmp_path / "code",
        {"main.tf": 'module "x" {\n  source = "acme/x/aws"\n}\n'},
    )
    options = TerraformOptions([root], root, use_cache=True)
    first = load_terraform(options)
    second = load_terraform(options)
    assert [n.message for n in second.notices] == [n.message for n in first.notices]
    assert second.notices[0].location == first.notices[0].location


def test_run_scan_logs_each_notice_once_and_keeps_the_exit_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'module "a" {\n  source = "acme/x/aws"\n}\n'
                'module "b" {\n  source = "acme/y/aws"\n}\n'
            )
        },
    )
    with caplog.at_level(logging.WARNING):
        report = run_scan(ScanOptions(paths=[tmp_path], use_cache=False))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [w for w in warnings if "was not evaluated" in w] == [
        n.message for n in report.notices
    ]
    assert len(report.notices) == 2
    assert not [r for r in report.results if r.status is Status.ERROR]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "terraform-aws-modules/s3-bucket/aws",
            ("terraform-aws-modules/s3-bucket/aws", ""),
        ),
        (
            "registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh",
            ("terraform-aws-modules/security-group/aws", "modules/ssh"),
        ),
        (
            "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v5.8.1",
            ("terraform-aws-modules/vpc/aws", ""),
        ),
        (
            "github.com/terraform-aws-modules/terraform-aws-rds",
            ("terraform-aws-modules/rds/aws", ""),
        ),
    ],
)
def test_module_sources_are_matched_in_their_usual_spellings(
    source: str, expected: tuple[str, str]
) -> None:
    assert split_source(source) == expected
    assert find_adapter(source) is not None


def test_unknown_submodule_of_an_adapted_module_is_not_adapted() -> None:
    assert (
        find_adapter("terraform-aws-modules/s3-bucket/aws//modules/notification")
        is None
    )
    assert find_adapter("terraform-aws-modules/security-group/aws//modules/ssh")


def test_an_installed_copy_wins_over_the_adapter(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'module "logs" {\n'
                '  source = "terraform-aws-modules/s3-bucket/aws"\n'
                '  name   = "from-disk"\n'
                "  public = true\n"
                "}\n"
            ),
            ".terraform/modules/logs/main.tf": CHILD.partition('module "inner"')[0],
            ".terraform/modules/modules.json": manifest(
                (
                    "logs",
                    "terraform-aws-modules/s3-bucket/aws",
                    ".terraform/modules/logs",
                )
            ),
        },
    )
    resources = load(tmp_path)
    bucket = get(resources, "module.logs.aws_s3_bucket.this[0]")
    assert bucket.attributes["bucket"] == "from-disk"
    # The hand-written module has no public access block; the adapter would.
    assert bucket.attributes["public_access_block"] is None


def test_adapted_module_outputs_refer_to_their_resource_or_are_unknown(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'module "logs" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n}\n'
                'resource "aws_sqs_queue" "q" {\n'
                "  name   = module.logs.s3_bucket_id\n"
                "  policy = module.logs.s3_bucket_website_endpoint\n"
                "}\n"
            )
        },
    )
    queue = get(load(tmp_path), "aws_sqs_queue.q")
    name = queue.attributes["name"]
    assert isinstance(name, RefUnknown)
    assert name.address == "module.logs.aws_s3_bucket.this[0]"
    policy = queue.attributes["policy"]
    assert isinstance(policy, Unknown) and not isinstance(policy, RefUnknown)


@pytest.mark.parametrize(
    ("version", "adapted"),
    [
        ("~> 2.0", False),
        ("2.78.0", False),
        (">= 1.0, < 3.0", False),
        ("~> 3.19", True),
        ("~> 5.1", True),
        (">= 2.0", True),
        (None, True),
    ],
)
def test_a_version_pinning_an_older_major_is_not_adapted_but_said(
    tmp_path: Path, version: str | None, adapted: bool
) -> None:
    pin = f'  version = "{version}"\n' if version else ""
    write(
        tmp_path,
        {
            "main.tf": (
                'module "net" {\n  source = "terraform-aws-modules/vpc/aws"\n'
                f"{pin}}}\n"
            )
        },
    )
    resources = load(tmp_path)
    assert (resources.get("module.net.aws_vpc.this[0]") is not None) is adapted
    assert (not resources.notices) is adapted
    if not adapted:
        assert "older than v3" in resources.notices[0].message


def test_naming_a_tf_file_reports_only_its_own_notices(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.tf": 'module "a" {\n  source = "acme/a/aws"\n}\n',
            "b.tf": 'module "b" {\n  source = "acme/b/aws"\n}\n',
        },
    )
    report = run_scan(ScanOptions(paths=[tmp_path / "b.tf"], use_cache=False))
    assert [n.message.split(":")[0] for n in report.notices] == ["b.tf"]
    whole = run_scan(ScanOptions(paths=[tmp_path], use_cache=False))
    assert len(whole.notices) == 2


def test_reinstalling_a_module_invalidates_the_scan_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SURVEYOR_CACHE_DIR", str(tmp_path / "cache"))
    root = initialised_root(tmp_path / "code")
    options = TerraformOptions([root], root, use_cache=True)
    address = 'module.logs["a"].aws_s3_bucket.this[0]'
    assert get(load_terraform(options), address).attributes["acl"] == "private"
    child = root / ".terraform/modules/logs/main.tf"
    child.write_text(child.read_text().replace('"private"', '"authenticated-read"'))
    assert get(load_terraform(options), address).attributes["acl"] == (
        "authenticated-read"
    )
    (root / ".terraform/modules/modules.json").unlink()
    after = load_terraform(options)
    assert after.get(address) is None
    assert [n.message.split(":")[:2] for n in after.notices] == [["main.tf", "1"]]
