"""Loading Terraform: variables, locals, count/for_each, dynamic, modules, lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveyor.model import Resource
from surveyor.model.unknown import Unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.terraform import TerraformOptions, load_terraform


def line_of(resource: Resource | None, path: str) -> int:
    assert resource is not None
    location = resource.location_of(path)
    assert location is not None
    return location.start_line


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


def load(directory: Path, **options: object) -> ResourceSet:
    return load_terraform(
        TerraformOptions([directory], directory, use_cache=False, **options)  # type: ignore[arg-type]
    )


def attr(resources: ResourceSet, address: str, name: str) -> object:
    resource = resources.get(address)
    assert resource is not None, [r.address for r in resources]
    return resource.attributes.get(name)


VARIABLE_FILES = {
    "main.tf": """
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "n" {
  type    = number
  default = 1
}
resource "aws_sqs_queue" "q" {
  name = "${var.a}/${var.b}/${var.c}/${var.d}/${var.e}"
  delay_seconds = var.n + 1
}
""",
    "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
    "b.auto.tfvars": 'b = "auto-b"\nc = "auto-b"\nd = "auto-b"\n',
    "a.auto.tfvars": 'c = "auto-a"\n',
    "extra.tfvars": 'd = "file"\n',
}


def test_variable_precedence_follows_terraform(tmp_path: Path) -> None:
    directory = write(tmp_path, VARIABLE_FILES)
    resources = load(
        directory,
        var_files=[directory / "extra.tfvars"],
        variables={"e": "cli", "n": "41"},
    )
    # defaults < terraform.tfvars < *.auto.tfvars (lexical) < --var-file < --var
    name = attr(resources, "aws_sqs_queue.q", "name")
    assert name == "tfvars/auto-b/auto-b/file/cli"
    assert attr(resources, "aws_sqs_queue.q", "delay_seconds") == 42


def test_variable_without_value_is_unknown(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {"main.tf": 'variable "x" {}\nresource "aws_sqs_queue" "q" { name = var.x }\n'},
    )
    assert isinstance(attr(load(directory), "aws_sqs_queue.q", "name"), Unknown)


def test_locals_in_any_order_and_cycles_are_unknown(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "b.tf": (
                'locals {\n  full = "${local.prefix}-x"\n  loop_a = local.loop_b\n}\n'
            ),
            "a.tf": 'locals {\n  prefix = upper("p")\n  loop_b = local.loop_a\n}\n',
            "main.tf": """
resource "aws_sqs_queue" "q" {
  name   = local.full
  policy = local.loop_a
}
""",
        },
    )
    resources = load(directory)
    assert attr(resources, "aws_sqs_queue.q", "name") == "P-x"
    assert isinstance(attr(resources, "aws_sqs_queue.q", "policy"), Unknown)


def test_count_and_for_each_make_instances(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": """
resource "aws_sqs_queue" "c" {
  count = 2
  name  = "q-${count.index}"
}
resource "aws_sqs_queue" "m" {
  for_each = { east = "us-east-1", west = "us-west-2" }
  name     = "${each.key}:${each.value}"
}
resource "aws_sqs_queue" "s" {
  for_each = toset(["x", "y"])
  name     = each.value
}
resource "aws_sqs_queue" "chained" {
  for_each = aws_sqs_queue.m
  name     = each.value.name
  policy   = each.value.arn
}
resource "aws_sqs_queue" "none" {
  count = 0
  name  = "never"
}
""",
        },
    )
    resources = load(directory)
    assert attr(resources, "aws_sqs_queue.c[1]", "name") == "q-1"
    assert attr(resources, 'aws_sqs_queue.m["west"]', "name") == "west:us-west-2"
    assert attr(resources, 'aws_sqs_queue.s["y"]', "name") == "y"
    assert attr(resources, 'aws_sqs_queue.chained["east"]', "name") == "east:us-east-1"
    arn = attr(resources, 'aws_sqs_queue.chained["east"]', "policy")
    assert getattr(arn, "address", None) == 'aws_sqs_queue.m["east"]'
    assert not [r for r in resources if r.address.startswith("aws_sqs_queue.none")]


def test_unknown_count_gives_one_instance_with_unknown_index(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": """
variable "n" {}
variable "items" {}
resource "aws_sqs_queue" "c" {
  count = var.n
  name  = "q-${count.index}"
  delay_seconds = 5
}
resource "aws_sqs_queue" "e" {
  for_each = var.items
  name     = each.key
}
""",
        },
    )
    resources = load(directory)
    assert isinstance(attr(resources, "aws_sqs_queue.c", "name"), Unknown)
    assert attr(resources, "aws_sqs_queue.c", "delay_seconds") == 5
    assert isinstance(attr(resources, "aws_sqs_queue.e", "name"), Unknown)


def test_dynamic_blocks_expand_with_iterator(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": """
variable "ports" { default = [80, 443] }
variable "later" {}
resource "aws_security_group" "sg" {
  ingress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
  }
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  dynamic "egress" {
    for_each = var.later
    content {
      from_port = egress.value
    }
  }
}
""",
        },
    )
    group = load(directory).get("aws_security_group.sg")
    assert group is not None
    assert [r["from_port"] for r in group.attributes["ingress"]] == [22, 80, 443]
    assert line_of(group, "ingress.2.cidr_blocks") == 17
    egress = group.attributes["egress"]
    assert len(egress) == 1 and isinstance(egress[0]["from_port"], Unknown)


def test_local_modules_with_count_for_each_nesting_and_outputs(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "root/main.tf": """
module "logs" {
  source = "../modules/bucket"
  name   = "logs"
}
module "many" {
  source   = "../modules/bucket"
  for_each = toset(["a", "b"])
  name     = each.key
}
module "counted" {
  source = "../modules/bucket"
  count  = 1
  name   = "c"
}
module "remote" {
  source = "example-corp/s3-bucket/aws"
}
resource "aws_sqs_queue" "q" {
  name   = module.logs.bucket_name
  policy = module.remote.anything
  delay_seconds = length(module.many)
}
""",
            "modules/bucket/main.tf": """
variable "name" {}
resource "aws_s3_bucket" "this" {
  bucket = "acme-${var.name}"
}
module "inner" {
  source = "./inner"
  bucket = aws_s3_bucket.this.id
}
output "bucket_name" { value = aws_s3_bucket.this.bucket }
""",
            "modules/bucket/inner/main.tf": """
variable "bucket" {}
resource "aws_s3_bucket_versioning" "v" {
  bucket = var.bucket
  versioning_configuration {
    status = "Enabled"
  }
}
""",
        },
    )
    resources = load_terraform(
        TerraformOptions([directory / "root"], directory, use_cache=False)
    )
    addresses = {r.address for r in resources}
    assert {
        "module.logs.aws_s3_bucket.this",
        'module.many["a"].aws_s3_bucket.this',
        'module.many["b"].aws_s3_bucket.this',
        "module.counted[0].aws_s3_bucket.this",
        "aws_sqs_queue.q",
    } == addresses
    logs = resources.get("module.logs.aws_s3_bucket.this")
    assert logs is not None
    assert logs.attributes["bucket"] == "acme-logs"
    assert logs.location is not None and logs.location.path == "modules/bucket/main.tf"
    # the nested module's split versioning joined the bucket it references
    assert logs.attributes["versioning"][0]["enabled"] is True
    assert logs.components == ("module.logs.module.inner.aws_s3_bucket_versioning.v",)
    assert attr(resources, "aws_sqs_queue.q", "name") == "acme-logs"
    assert isinstance(attr(resources, "aws_sqs_queue.q", "policy"), Unknown)
    assert attr(resources, "aws_sqs_queue.q", "delay_seconds") == 2


def test_scanning_a_tree_does_not_scan_called_modules_as_roots(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "stack/main.tf": 'module "m" {\n  source = "../mod"\n}\n',
            "mod/main.tf": 'resource "aws_sqs_queue" "q" { name = "x" }\n',
        },
    )
    addresses = [r.address for r in load(tmp_path)]
    assert addresses == ["module.m.aws_sqs_queue.q"]


def test_attribute_lines_are_exact(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": """
resource "aws_s3_bucket" "b" {
  tags = {
    acl = "not-this-one"
  }

  acl    = "private"
  bucket = "b"
  versioning {
    enabled = true
  }
}
""",
        },
    )
    bucket = load(directory).get("aws_s3_bucket.b")
    assert bucket is not None
    assert bucket.location is not None
    assert (bucket.location.start_line, bucket.location.end_line) == (2, 12)
    assert line_of(bucket, "acl") == 7
    assert line_of(bucket, "bucket") == 8
    assert line_of(bucket, "versioning.0.enabled") == 10
    assert line_of(bucket, "versioning.0") == 9


def test_a_file_that_does_not_parse_is_a_source_error(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "good.tf": 'resource "aws_sqs_queue" "q" { name = "x" }\n',
            "bad.tf": 'resource "aws_sqs_queue" "r" {\n  name = \n}\n',
        },
    )
    resources = load(directory)
    assert [r.address for r in resources] == ["aws_sqs_queue.q"]
    (error,) = resources.source_errors
    assert error.location is not None
    assert error.location.path == "bad.tf"
    assert error.location.start_line == 2
    assert error.message.startswith("bad.tf:2: cannot parse Terraform")
    assert "\n" not in error.message


def test_null_attributes_are_absent(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_sqs_queue" "q" {\n  name = null\n  policy = "p"\n}\n'
            )
        },
    )
    assert set(load(directory).get("aws_sqs_queue.q").attributes) == {"policy"}  # type: ignore[union-attr]


@pytest.mark.parametrize("given", ["main.tf", "."])
def test_file_or_directory_target_reads_the_directory(
    tmp_path: Path, given: str
) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": 'resource "aws_sqs_queue" "q" { name = local.n }\n',
            "locals.tf": 'locals {\n  n = "from-other-file"\n}\n',
        },
    )
    resources = load_terraform(
        TerraformOptions([directory / given], directory, use_cache=False)
    )
    assert attr(resources, "aws_sqs_queue.q", "name") == "from-other-file"


def test_strings_inside_expressions_keep_their_quotes(tmp_path: Path) -> None:
    # python-hcl2 7.3.1 alone turns toset(["a", "b"]) into toset([a, b])
    directory = write(
        tmp_path,
        {
            "main.tf": """
variable "on" { default = false }
resource "aws_sqs_queue" "q" {
  for_each = toset(["a", "b"])
  name     = join("-", concat([each.key, "x y"], var.on ? ["1"] : ["2", "3"]))
  policy   = ["first"][0]
}
""",
        },
    )
    resources = load(directory)
    assert attr(resources, 'aws_sqs_queue.q["b"]', "name") == "b-x y-2-3"
    assert attr(resources, 'aws_sqs_queue.q["a"]', "policy") == "first"


def test_remote_module_is_logged_and_its_outputs_unknown(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": """
module "vpc" {
  source  = "example-corp/vpc/aws"
  version = "5.0.0"
}
resource "aws_security_group" "sg" {
  vpc_id = module.vpc.vpc_id
}
""",
        },
    )
    resources = load(directory)
    assert isinstance(attr(resources, "aws_security_group.sg", "vpc_id"), Unknown)
    # Said as a notice (reported and logged by the scan), not skipped.
    where = [n.message.split(":", 2)[:2] for n in resources.notices]
    assert where == [["main.tf", "2"]]
    assert 'module "vpc"' in resources.notices[0].message


def test_module_with_unknown_count_is_one_unindexed_instance(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "root/main.tf": """
variable "n" {}
module "m" {
  source = "../mod"
  count  = var.n
}
""",
            "mod/main.tf": 'resource "aws_sqs_queue" "q" { name = "x" }\n',
        },
    )
    resources = load_terraform(
        TerraformOptions([tmp_path / "root"], tmp_path, use_cache=False)
    )
    assert [r.address for r in resources] == ["module.m.aws_sqs_queue.q"]


def test_file_function_reads_next_to_the_module(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "policy.json": '{"Version": "2012-10-17", "Statement": []}',
            "main.tf": """
resource "aws_iam_policy" "p" {
  policy = file("${path.module}/policy.json")
}
""",
        },
    )
    assert attr(load(directory), "aws_iam_policy.p", "policy") == (
        '{"Version": "2012-10-17", "Statement": []}'
    )


def test_bad_tfvars_is_a_source_error_and_the_scan_goes_on(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": 'variable "x" { default = "d" }\n'
            'resource "aws_sqs_queue" "q" { name = var.x }\n',
            "terraform.tfvars": "x = \n",
        },
    )
    resources = load(directory)
    assert attr(resources, "aws_sqs_queue.q", "name") == "d"
    (error,) = resources.source_errors
    assert error.path == "terraform.tfvars"
    assert error.location is not None and error.location.start_line == 1


def test_tfvars_target_is_used_for_its_directory(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": 'variable "x" {}\n'
            'resource "aws_sqs_queue" "q" { name = var.x }\n',
            "prod.tfvars": 'x = "prod"\n',
        },
    )
    resources = load_terraform(
        TerraformOptions([directory / "prod.tfvars"], directory, use_cache=False)
    )
    assert attr(resources, "aws_sqs_queue.q", "name") == "prod"


TRICKY = """
# a comment with { braces }
resource "aws_s3_bucket" "b" {
  tags = { Name = "x", Deep = { a = "${lower("{")}" } }
  policy = <<EOT
{ "not": "a block" }
EOT
  lifecycle_rule {
    id = "%{ if true }on%{ endif }"
    expiration { days = 1 }
  }
  /* { */ acl = "private"
}

locals { a = { b = "}" } }
"""


def test_block_lines_without_lark_positions_match_hcl2_metadata() -> None:
    from surveyor.sources.terraform import parse

    fast = parse.parse_text(TRICKY)["body"]
    slow = parse._meta_parse(TRICKY)
    parse._add_lines(slow, TRICKY.split("\n"))
    assert fast == slow
    bucket = fast["resource"][0]["aws_s3_bucket"]["b"]
    assert (bucket["__start_line__"], bucket["__end_line__"]) == (3, 13)
    rule = bucket["lifecycle_rule"][0]
    assert (rule["__start_line__"], rule["__end_line__"]) == (8, 11)
    assert rule["expiration"][0]["__start_line__"] == 10
    assert fast["locals"][0]["__start_line__"] == 15


def test_directory_without_terraform_is_reported_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    resources = load_terraform(
        TerraformOptions([tmp_path / "empty"], tmp_path, use_cache=False)
    )
    assert len(resources) == 0
    (error,) = resources.source_errors
    assert error.path == "empty" and "no Terraform" in error.message


def test_templatefile_renders_with_its_variables(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "policy.json.tpl": '{"Resource": "${arn}/*", "N": ${n}}',
            "main.tf": """
resource "aws_iam_policy" "p" {
  policy = templatefile("${path.module}/policy.json.tpl", {
    arn = "arn:aws:s3:::b"
    n   = 2
  })
}
""",
        },
    )
    assert attr(load(directory), "aws_iam_policy.p", "policy") == (
        '{"Resource": "arn:aws:s3:::b/*", "N": 2}'
    )


def test_python_hcl2_expression_text_is_read_back_faithfully(tmp_path: Path) -> None:
    directory = write(
        tmp_path,
        {
            "main.tf": r"""
variable "x" { default = "v" }
variable "m" {
  default = { a = ["p", "q"], b = [] }
}
locals {
  all = [
    [for k, v in var.m : "${k}:${join(",", v)}" if length(v) > 0],
    !contains(["a", "b"], var.x),
    length(["a", "b"]) > 1 ? { k = ["x"] } : { k = [] },
    "say \"${var.x}\" and ${"q\"uote"}",
    lookup({ "a b" = "spaced" }, "a b", "none"),
    ["one", # comment
     "two"][1],
    "a%%{b}$${c}",
  ]
}
resource "aws_sqs_queue" "q" {
  name = jsonencode(local.all)
}
""",
        },
    )
    name = attr(load(directory), "aws_sqs_queue.q", "name")
    assert isinstance(name, str)
    assert json.loads(name) == [
        ["a:p,q"],
        True,
        {"k": ["x"]},
        'say "v" and q"uote',
        "spaced",
        "two",
        "a%{b}${c}",
    ]
