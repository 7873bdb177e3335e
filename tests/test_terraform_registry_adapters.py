"""Known-module adapters: the rules judge what the module would create."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from surveyor.scan import ScanOptions, run_scan
from surveyor.sources.terraform import TerraformOptions, load_terraform
from surveyor.sources.terraform.registry import ADAPTERS


def outcomes(tmp_path: Path, rule: str, text: str) -> dict[str, tuple[str, int]]:
    """address -> (status, line) of one rule's results on main.tf."""
    (tmp_path / "main.tf").write_text(text)
    report = run_scan(ScanOptions(paths=[tmp_path], only_rules={rule}, use_cache=False))
    found: dict[str, tuple[str, int]] = {}
    for result in report.results:
        line = result.location.start_line if result.location else 0
        found[result.resource] = (result.status.name, line)
    return found


def module(name: str, source: str, *inputs: str) -> str:
    body = "".join(f"  {line}\n" for line in inputs)
    return f'module "{name}" {{\n  source = "{source}"\n{body}}}\n'


S3 = "terraform-aws-modules/s3-bucket/aws"
BUCKET = "module.b.aws_s3_bucket.this[0]"


def test_s3_module_blocks_public_access_by_default(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(module("b", S3, 'bucket = "x"'))
    resources = load_terraform(TerraformOptions([tmp_path], tmp_path, use_cache=False))
    bucket = resources.get(BUCKET)
    assert bucket is not None
    assert bucket.attributes["public_access_block"] == {
        "block_public_acls": True,
        "block_public_policy": True,
        "ignore_public_acls": True,
        "restrict_public_buckets": True,
    }
    assert "module.b.aws_s3_bucket_public_access_block.this[0]" in bucket.components


def test_s3_module_flag_turned_off_is_found_on_its_line(tmp_path: Path) -> None:
    text = module("b", S3, 'bucket = "x"', "block_public_policy = false")
    assert outcomes(tmp_path, "AWS-S3-003", text) == {BUCKET: ("FAIL", 4)}


def test_s3_module_without_public_access_block_fails(tmp_path: Path) -> None:
    text = module("b", S3, "attach_public_policy = false")
    assert outcomes(tmp_path, "AWS-S3-003", text)[BUCKET][0] == "FAIL"


@pytest.mark.parametrize(
    ("inputs", "status", "line"),
    [
        (("versioning = {", "  enabled = true", "}"), "PASS", 1),
        (("versioning = {", '  status = "Suspended"', "}"), "FAIL", 4),
        ((), "FAIL", 1),
    ],
)
def test_s3_module_versioning_map(
    tmp_path: Path, inputs: tuple[str, ...], status: str, line: int
) -> None:
    found = outcomes(tmp_path, "AWS-S3-004", module("b", S3, *inputs))
    assert found[BUCKET][0] == status
    if status == "FAIL":
        assert found[BUCKET][1] == line


def test_s3_module_logging_and_kms_encryption_maps(tmp_path: Path) -> None:
    text = module(
        "b",
        S3,
        'logging = { target_bucket = "logs", target_prefix = "b/" }',
        "server_side_encryption_configuration = {",
        "  rule = {",
        "    apply_server_side_encryption_by_default = {",
        '      sse_algorithm     = "aws:kms"',
        '      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/k"',
        "    }",
        "  }",
        "}",
    )
    assert outcomes(tmp_path, "AWS-S3-005", text)[BUCKET][0] == "PASS"
    assert outcomes(tmp_path, "AWS-S3-007", text)[BUCKET][0] == "PASS"


def test_s3_module_deny_insecure_transport_policy(tmp_path: Path) -> None:
    on = module("b", S3, "attach_deny_insecure_transport_policy = true")
    assert outcomes(tmp_path, "AWS-S3-006", on)[BUCKET][0] == "PASS"
    off = module("b", S3, 'bucket = "x"')
    assert outcomes(tmp_path, "AWS-S3-006", off)[BUCKET][0] == "FAIL"


PUBLIC_POLICY = (
    'policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",'
    ' Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::x/*" }] })'
)


def test_s3_module_policy_counts_only_when_attached(tmp_path: Path) -> None:
    attached = module("b", S3, "attach_policy = true", PUBLIC_POLICY)
    assert outcomes(tmp_path, "AWS-S3-002", attached)[BUCKET] == ("FAIL", 4)
    ignored = module("b", S3, PUBLIC_POLICY)
    assert outcomes(tmp_path, "AWS-S3-002", ignored)[BUCKET][0] == "PASS"


SG = "terraform-aws-modules/security-group/aws"
GROUP = "module.g.aws_security_group.this_name_prefix[0]"


def test_security_group_all_all_from_the_internet(tmp_path: Path) -> None:
    text = module(
        "g", SG, 'ingress_cidr_blocks = ["0.0.0.0/0"]', 'ingress_rules = ["all-all"]'
    )
    assert outcomes(tmp_path, "AWS-EC2-003", text) == {GROUP: ("FAIL", 4)}


def test_security_group_unknown_rule_name_is_unknown_not_pass(tmp_path: Path) -> None:
    text = module(
        "g",
        SG,
        'ingress_cidr_blocks = ["0.0.0.0/0"]',
        'ingress_rules = ["brand-new-rule"]',
    )
    assert outcomes(tmp_path, "AWS-EC2-001", text)[GROUP][0] == "UNKNOWN"


def test_security_group_rdp_preset_submodule(tmp_path: Path) -> None:
    text = module("g", f"{SG}//modules/rdp", 'ingress_cidr_blocks = ["0.0.0.0/0"]')
    assert outcomes(tmp_path, "AWS-EC2-002", text) == {GROUP: ("FAIL", 3)}


RDS = "terraform-aws-modules/rds/aws"
DB = "module.d.module.db_instance.aws_db_instance.this[0]"


def test_rds_module_encrypts_storage_by_default(tmp_path: Path) -> None:
    assert outcomes(tmp_path, "AWS-RDS-001", module("d", RDS))[DB][0] == "PASS"
    off = module("d", RDS, "storage_encrypted = false")
    assert outcomes(tmp_path, "AWS-RDS-001", off)[DB] == ("FAIL", 3)


def test_rds_module_backup_retention_zero(tmp_path: Path) -> None:
    text = module("d", RDS, "backup_retention_period = 0")
    assert outcomes(tmp_path, "AWS-RDS-004", text)[DB] == ("FAIL", 3)


EC2 = "terraform-aws-modules/ec2-instance/aws"
INSTANCE = "module.i.aws_instance.this[0]"


def test_ec2_module_requires_imdsv2_by_default(tmp_path: Path) -> None:
    assert outcomes(tmp_path, "AWS-EC2-006", module("i", EC2))[INSTANCE][0] == "PASS"
    text = module("i", EC2, "metadata_options = {", '  http_tokens = "optional"', "}")
    assert outcomes(tmp_path, "AWS-EC2-006", text)[INSTANCE] == ("FAIL", 4)


def test_ec2_module_public_ip(tmp_path: Path) -> None:
    text = module("i", EC2, "associate_public_ip_address = true")
    assert outcomes(tmp_path, "AWS-EC2-007", text)[INSTANCE] == ("FAIL", 3)


VPC = "terraform-aws-modules/vpc/aws"


def test_vpc_module_manages_a_closed_default_security_group(tmp_path: Path) -> None:
    found = outcomes(tmp_path, "AWS-EC2-004", module("v", VPC))
    assert found["module.v.aws_default_security_group.this[0]"][0] == "PASS"


EKS = "terraform-aws-modules/eks/aws"
CLUSTER = "module.k.aws_eks_cluster.this[0]"


@pytest.mark.parametrize(
    ("inputs", "status"),
    [
        ((), "PASS"),
        (("cluster_endpoint_public_access = true",), "FAIL"),
        (("endpoint_public_access = true",), "FAIL"),
        (
            (
                "cluster_endpoint_public_access = true",
                'cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]',
            ),
            "PASS",
        ),
    ],
)
def test_eks_module_public_endpoint(
    tmp_path: Path, inputs: tuple[str, ...], status: str
) -> None:
    found = outcomes(tmp_path, "AWS-EKS-001", module("k", EKS, *inputs))
    assert found[CLUSTER][0] == status
    if status == "FAIL":
        assert found[CLUSTER][1] == 3


def test_adapted_module_with_count_gets_indexed_addresses(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'module "b" {\n  source = "terraform-aws-modules/s3-bucket/aws"\n'
        '  count  = 2\n  bucket = "b-${count.index}"\n}\n'
    )
    resources = load_terraform(TerraformOptions([tmp_path], tmp_path, use_cache=False))
    names = {
        r.address: r.attributes.get("bucket")
        for r in resources.of_type("aws_s3_bucket")
    }
    assert names == {
        "module.b[0].aws_s3_bucket.this[0]": "b-0",
        "module.b[1].aws_s3_bucket.this[0]": "b-1",
    }
    assert not [r for r in resources if r.type.startswith("aws_s3_bucket_")]


def test_security_group_rules_for_an_existing_group_join_it(tmp_path: Path) -> None:
    text = 'resource "aws_security_group" "shared" {\n  name = "shared"\n}\n' + module(
        "g",
        SG,
        "create_sg = false",
        "security_group_id = aws_security_group.shared.id",
        'ingress_cidr_blocks = ["0.0.0.0/0"]',
        'ingress_rules = ["ssh-tcp"]',
    )
    assert outcomes(tmp_path, "AWS-EC2-001", text) == {
        "aws_security_group.shared": ("FAIL", 9)
    }


def test_an_adapter_failing_on_odd_inputs_costs_only_that_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> list[object]:
        raise KeyError("surprise")

    monkeypatch.setitem(ADAPTERS, S3, dataclasses.replace(ADAPTERS[S3], build=broken))
    (tmp_path / "main.tf").write_text(
        module("b", S3, 'bucket = "x"') + 'resource "aws_sqs_queue" "q" {}\n'
    )
    resources = load_terraform(TerraformOptions([tmp_path], tmp_path, use_cache=False))
    assert resources.get("aws_sqs_queue.q") is not None
    assert not resources.source_errors
    [notice] = resources.notices
    assert "adapter failed on its inputs (KeyError)" in notice.message
    assert notice.message.startswith('main.tf:1: module "b"')


def test_flow_log_on_a_module_vpc_id_output_covers_that_vpc(tmp_path: Path) -> None:
    text = module("v", VPC) + (
        'resource "aws_flow_log" "f" {\n'
        "  vpc_id       = module.v.vpc_id\n"
        '  traffic_type = "ALL"\n'
        "}\n"
    )
    found = outcomes(tmp_path, "AWS-EC2-008", text)
    assert found["module.v.aws_vpc.this[0]"][0] == "PASS"


def test_bucket_receiving_a_module_buckets_logs_counts_as_a_log_bucket(
    tmp_path: Path,
) -> None:
    text = module("logs", S3) + module(
        "data", S3, "logging = {", "  target_bucket = module.logs.s3_bucket_id", "}"
    )
    found = outcomes(tmp_path, "AWS-S3-005", text)
    assert found["module.logs.aws_s3_bucket.this[0]"][0] == "PASS"
    assert found["module.data.aws_s3_bucket.this[0]"][0] == "PASS"


@pytest.mark.parametrize(
    ("version", "status"), [("~> 5.7", "FAIL"), ("~> 6.0", "PASS"), (None, "PASS")]
)
def test_ec2_module_imds_default_follows_the_pinned_major(
    tmp_path: Path, version: str | None, status: str
) -> None:
    pin = (f'version = "{version}"',) if version else ()
    found = outcomes(tmp_path, "AWS-EC2-006", module("i", EC2, *pin))
    assert found[INSTANCE][0] == status


@pytest.mark.parametrize(
    ("inputs", "status"),
    [
        (
            (
                "root_block_device = [",
                "  { encrypted = false, volume_size = 50 },",
                "]",
            ),
            "FAIL",
        ),
        (("root_block_device = {", "  encrypted = true", "}"), "PASS"),
    ],
)
def test_ec2_module_root_block_device_encryption(
    tmp_path: Path, inputs: tuple[str, ...], status: str
) -> None:
    found = outcomes(tmp_path, "AWS-EC2-005", module("i", EC2, *inputs))
    assert found[INSTANCE][0] == status
    if status == "FAIL":
        assert found[INSTANCE][1] == 3


@pytest.mark.parametrize(
    ("version", "default_group"),
    [("3.7.0", False), ("~> 4.0", False), ("~> 5.0", True)],
)
def test_vpc_module_manages_the_default_group_from_v5_only(
    tmp_path: Path, version: str, default_group: bool
) -> None:
    (tmp_path / "main.tf").write_text(
        'module "net" {\n'
        '  source  = "terraform-aws-modules/vpc/aws"\n'
        f'  version = "{version}"\n'
        "  enable_flow_log = false\n"
        "}\n"
    )
    resources = load_terraform(
        TerraformOptions(
            targets=[tmp_path], root=tmp_path, var_files=[], variables={},
            use_cache=False,
        )
    )  # fmt: skip
    assert resources.get("module.net.aws_vpc.this[0]") is not None
    assert resources.get("module.net.aws_flow_log.this[0]") is None
    managed = resources.get("module.net.aws_default_security_group.this[0]")
    assert (managed is not None) is default_group
