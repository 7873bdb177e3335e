"""The effective view: v3 inline and v4 split resources read the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from surveyor.model import Resource
from surveyor.model.unknown import Unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.terraform import TerraformOptions, load_terraform

DATA = Path(__file__).parent / "data" / "terraform"


def line_of(resource: Resource | None, path: str) -> int:
    assert resource is not None
    location = resource.location_of(path)
    assert location is not None
    return location.start_line


def load(directory: Path) -> ResourceSet:
    return load_terraform(TerraformOptions([directory], directory, use_cache=False))


def only(resources: ResourceSet, type_: str) -> Resource:
    found = resources.of_type(type_)
    assert len(found) == 1, [r.address for r in found]
    return found[0]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "main.tf").write_text(text)
    return tmp_path


def test_inline_and_split_buckets_have_the_same_effective_view() -> None:
    inline = only(load(DATA / "s3_v3"), "aws_s3_bucket")
    split = only(load(DATA / "s3_v4"), "aws_s3_bucket")
    for key in ("acl", "policy", "versioning", "logging", "grant", "tags"):
        assert inline.attributes[key] == split.attributes[key], key
    sse = "server_side_encryption_configuration"
    assert inline.attributes[sse] == split.attributes[sse]
    assert inline.attributes["public_access_block"] is None
    assert split.attributes["public_access_block"]["ignore_public_acls"] is False


def test_split_bucket_lists_components_and_points_at_split_lines() -> None:
    bucket = only(load(DATA / "s3_v4"), "aws_s3_bucket")
    assert set(bucket.components) == {
        "aws_s3_bucket_acl.data",
        "aws_s3_bucket_policy.data",
        "aws_s3_bucket_versioning.data",
        "aws_s3_bucket_logging.data",
        "aws_s3_bucket_server_side_encryption_configuration.data",
        "aws_s3_bucket_public_access_block.data",
    }
    lines = {path: loc.start_line for path, loc in bucket.attribute_locations.items()}
    assert lines["acl"] == 8
    assert lines["policy"] == 13
    assert lines["versioning.0.enabled"] == 19
    assert lines["logging.0.target_bucket"] == 25
    assert lines["public_access_block.ignore_public_acls"] == 42
    deep = "server_side_encryption_configuration.0.rule.0"
    assert (
        lines[f"{deep}.apply_server_side_encryption_by_default.0.sse_algorithm"] == 33
    )
    assert line_of(bucket, "public_access_block.nope") == 38


def test_split_resources_are_merged_not_repeated_and_account_block_stays() -> None:
    resources = load(DATA / "s3_v4")
    assert {r.type for r in resources} == {
        "aws_s3_bucket",
        "aws_s3_account_public_access_block",
    }
    account = only(resources, "aws_s3_account_public_access_block")
    assert account.attributes == {"block_public_acls": True}


def test_inline_bucket_lines_point_at_its_own_attributes() -> None:
    bucket = only(load(DATA / "s3_v3"), "aws_s3_bucket")
    assert line_of(bucket, "acl") == 3
    assert line_of(bucket, "versioning.0.enabled") == 7
    assert line_of(bucket, "tags") == 23
    assert bucket.location is not None and bucket.location.path == "main.tf"
    assert bucket.tags == {"Team": "data"}


def test_inline_and_split_security_groups_have_the_same_rules() -> None:
    inline = only(load(DATA / "sg_inline"), "aws_security_group")
    split = only(load(DATA / "sg_split"), "aws_security_group")
    assert inline.attributes["ingress"] == split.attributes["ingress"]
    assert inline.attributes["egress"] == split.attributes["egress"]
    assert line_of(split, "ingress.0.cidr_blocks") == 10
    assert line_of(split, "egress.0.ipv6_cidr_blocks") == 19
    assert set(split.components) == {
        "aws_vpc_security_group_ingress_rule.ssh",
        "aws_security_group_rule.all_out",
    }


def test_acl_grants_from_access_control_policy(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
    owner {
      id = "abc"
    }
  }
}
""",
    )
    bucket = only(load(directory), "aws_s3_bucket")
    grant = bucket.attributes["grant"][0]
    assert grant["type"] == "Group"
    assert grant["uri"].endswith("AllUsers")
    assert grant["permissions"] == ["READ"]
    assert line_of(bucket, "grant.0") == 8


def test_split_resources_follow_count_instances(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "b-${count.index}"
}
resource "aws_s3_bucket_versioning" "v" {
  count  = 2
  bucket = aws_s3_bucket.b[count.index].id
  versioning_configuration {
    status = count.index == 0 ? "Enabled" : "Suspended"
  }
}
""",
    )
    resources = load(directory)
    first, second = (
        resources.get("aws_s3_bucket.b[0]"),
        resources.get("aws_s3_bucket.b[1]"),
    )
    assert first is not None and second is not None
    assert first.attributes["versioning"][0]["enabled"] is True
    assert second.attributes["versioning"][0]["enabled"] is False
    assert first.components == ("aws_s3_bucket_versioning.v[0]",)


def test_split_resource_without_its_bucket_is_kept(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
resource "aws_s3_bucket_acl" "elsewhere" {
  bucket = "not-declared-here"
  acl    = "private"
}
""",
    )
    assert only(load(directory), "aws_s3_bucket_acl").address == (
        "aws_s3_bucket_acl.elsewhere"
    )


def test_policy_document_is_rendered_and_referenced(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Base"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "doc" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid         = "Deny"
    effect      = "Deny"
    not_actions = ["s3:*", "kms:*"]
    not_resources = ["arn:aws:s3:::b/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    not_principals {
      type        = "Service"
      identifiers = ["a.amazonaws.com", "b.amazonaws.com"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.doc.json
}
""",
    )
    resources = load(directory)
    doc = resources.get("data.aws_iam_policy_document.doc")
    assert doc is not None and doc.type == "aws_iam_policy_document"
    rendered = json.loads(doc.attributes["json"])
    assert rendered["Version"] == "2012-10-17"
    base, deny = rendered["Statement"]
    assert base == {
        "Sid": "Base",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
    }
    assert deny["NotAction"] == ["s3:*", "kms:*"]
    assert deny["NotResource"] == "arn:aws:s3:::b/*"
    assert deny["Principal"] == {"AWS": "*"}
    assert deny["NotPrincipal"] == {"Service": ["a.amazonaws.com", "b.amazonaws.com"]}
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    policy = only(resources, "aws_iam_policy")
    assert policy.attributes["policy"] == doc.attributes["json"]


def test_policy_document_overrides_replace_by_sid(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
data "aws_iam_policy_document" "doc" {
  override_policy_documents = [jsonencode({
    Statement = [{ Sid = "A", Effect = "Deny", Action = "*", Resource = "*" }]
  })]
  statement {
    sid       = "A"
    actions   = ["s3:*"]
    resources = ["*"]
  }
  statement {
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["sts:AssumeRole"]
  }
}
""",
    )
    doc = only(load(directory), "aws_iam_policy_document")
    first, second = json.loads(doc.attributes["json"])["Statement"]
    assert first["Effect"] == "Deny"
    assert second["Principal"] == "*"


def test_policy_document_with_unknown_parts_keeps_known_ones(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
variable "bucket_arn" {}
data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["s3:*"]
    resources = [var.bucket_arn]
  }
}
""",
    )
    doc = only(load(directory), "aws_iam_policy_document")
    rendered = doc.attributes["json"]
    assert rendered["Statement"][0]["Action"] == "s3:*"
    assert isinstance(rendered["Statement"][0]["Resource"], Unknown)


def test_split_resource_joins_a_bucket_whose_count_is_unknown(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
variable "create" {}
resource "aws_s3_bucket" "b" {
  count  = var.create ? 1 : 0
  bucket = "b"
}
resource "aws_s3_bucket_acl" "b" {
  count  = var.create ? 1 : 0
  bucket = aws_s3_bucket.b[count.index].id
  acl    = "public-read"
}
""",
    )
    bucket = only(load(directory), "aws_s3_bucket")
    assert bucket.address == "aws_s3_bucket.b"
    assert bucket.attributes["acl"] == "public-read"
    assert bucket.components == ("aws_s3_bucket_acl.b",)


def test_unknown_split_settings_stay_unknown_not_false(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        """
variable "config" {}
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.b.id
  dynamic "versioning_configuration" {
    for_each = var.config
    content {
      status = versioning_configuration.value
    }
  }
}
resource "aws_s3_bucket_acl" "a" {
  bucket                = aws_s3_bucket.b.id
  access_control_policy = var.config
}
""",
    )
    bucket = only(load(directory), "aws_s3_bucket")
    assert isinstance(bucket.attributes["versioning"][0]["enabled"], Unknown)
    assert isinstance(bucket.attributes["grant"], Unknown)


def test_an_evaluation_bug_costs_one_module_not_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    for directory in (good, bad):
        directory.mkdir()
        (directory / "main.tf").write_text(
            f'resource "aws_sqs_queue" "{directory.name}" {{}}\n'
        )
    from surveyor.sources.terraform.merge import merge as real_merge

    def flaky(emitted: list[Any]) -> list[Resource]:
        if any(e.name == "bad" for e in emitted):
            raise RuntimeError("boom")
        return real_merge(emitted)

    monkeypatch.setattr("surveyor.sources.terraform.merge.merge", flaky)
    resources = load_terraform(TerraformOptions([tmp_path], tmp_path, use_cache=False))
    assert [r.address for r in resources] == ["aws_sqs_queue.good"]
    (error,) = resources.source_errors
    assert error.path == "bad" and "RuntimeError" in error.message


def test_registry_style_module_idioms_give_the_effective_bucket() -> None:
    # terraform-aws-modules/s3-bucket idioms: count = create ? 1 : 0,
    # aws_s3_bucket.this[0].id, try()/lookup chains, nested dynamic blocks.
    base = DATA / "module_idioms"
    resources = load_terraform(TerraformOptions([base / "root"], base, use_cache=False))
    assert [r.address for r in resources] == ["module.logs.aws_s3_bucket.this[0]"]
    bucket = only(resources, "aws_s3_bucket")
    assert bucket.attributes["acl"] == "log-delivery-write"
    assert bucket.attributes["versioning"] == [{"enabled": True, "mfa_delete": False}]
    rule = bucket.attributes["server_side_encryption_configuration"][0]["rule"][0]
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == (
        "aws:kms"
    )
    assert bucket.attributes["public_access_block"]["block_public_acls"] is True
    assert len(bucket.components) == 4
    where = bucket.location_of("versioning.0.enabled")
    assert where is not None
    assert (where.path, where.start_line) == ("modules/s3/main.tf", 28)
