"""Source gaps: references to undeclared resources, lines of map keys."""

from __future__ import annotations

from pathlib import Path

from surveyor.model import Resource, Status
from surveyor.resourceset import ResourceSet
from surveyor.scan import ScanOptions, run_scan
from surveyor.sources.terraform import TerraformOptions, load_terraform
from surveyor.sources.terraform.values import RefUnknown


def load(directory: Path, text: str) -> ResourceSet:
    (directory / "main.tf").write_text(text)
    return load_terraform(TerraformOptions([directory], directory, use_cache=False))


def get(resources: ResourceSet, address: str) -> Resource:
    found = resources.get(address)
    assert found is not None, sorted(r.address for r in resources)
    return found


def line_of(resource: Resource, path: str) -> int:
    location = resource.location_of(path)
    assert location is not None
    return location.start_line


def test_reference_to_an_undeclared_resource_keeps_its_address(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        'resource "aws_flow_log" "f" {\n'
        "  vpc_id    = aws_vpc.other.id\n"
        "  subnet_id = aws_subnet.gone.id\n"
        "}\n",
    )
    flow_log = get(resources, "aws_flow_log.f")
    for name, address in (
        ("vpc_id", "aws_vpc.other"),
        ("subnet_id", "aws_subnet.gone"),
    ):
        value = flow_log.attributes[name]
        assert isinstance(value, RefUnknown)
        assert value.address == address


def test_undeclared_resource_of_a_declared_type_keeps_its_address(
    tmp_path: Path,
) -> None:
    resources = load(
        tmp_path,
        'resource "aws_vpc" "app" {\n  cidr_block = "10.0.0.0/16"\n}\n'
        'resource "aws_flow_log" "f" {\n  vpc_id = aws_vpc.typo.id\n}\n',
    )
    value = get(resources, "aws_flow_log.f").attributes["vpc_id"]
    assert isinstance(value, RefUnknown) and value.address == "aws_vpc.typo"


def test_reference_to_an_undeclared_data_source_keeps_its_address(
    tmp_path: Path,
) -> None:
    resources = load(
        tmp_path,
        'resource "aws_flow_log" "f" {\n  vpc_id = data.aws_vpc.shared.id\n}\n',
    )
    value = get(resources, "aws_flow_log.f").attributes["vpc_id"]
    assert isinstance(value, RefUnknown) and value.address == "data.aws_vpc.shared"


def test_undeclared_reference_inside_a_module_carries_the_module_prefix(
    tmp_path: Path,
) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text(
        'resource "aws_flow_log" "f" {\n  vpc_id = aws_vpc.missing.id\n}\n'
    )
    resources = load(tmp_path, 'module "net" {\n  source = "./child"\n}\n')
    value = get(resources, "module.net.aws_flow_log.f").attributes["vpc_id"]
    assert isinstance(value, RefUnknown)
    assert value.address == "module.net.aws_vpc.missing"


def test_keys_of_a_map_attribute_have_their_own_lines(tmp_path: Path) -> None:
    resources = load(
        tmp_path,
        'resource "aws_lambda_function" "f" {\n'  # 1
        '  function_name = "f"\n'  # 2
        "  environment {\n"  # 3
        "    variables = { # comment\n"  # 4
        '      LOG_LEVEL     = "info"\n'  # 5
        '      "DB_PASSWORD" = "a{b"\n'  # 6
        "      NESTED = {\n"  # 7
        "        LOG_LEVEL = 1\n"  # 8
        "      }\n"  # 9
        '      LAST = "x"\n'  # 10
        "    }\n"  # 11
        "  }\n"  # 12
        '  tags = { team = "a", owner = "b" }\n'  # 13
        "}\n",
    )
    function = get(resources, "aws_lambda_function.f")
    prefix = "environment.0.variables"
    assert line_of(function, f"{prefix}.LOG_LEVEL") == 5
    assert line_of(function, f"{prefix}.DB_PASSWORD") == 6
    assert line_of(function, f"{prefix}.NESTED") == 7
    assert line_of(function, f"{prefix}.LAST") == 10
    assert line_of(function, prefix) == 4
    assert line_of(function, "tags.owner") == 13


def test_secret_in_lambda_environment_is_reported_on_its_own_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_lambda_function" "api" {\n'
        '  function_name = "api"\n'
        '  role          = "arn:aws:iam::111122223333:role/lambda"\n'
        "  environment {\n"
        "    variables = {\n"
        '      DB_HOST     = "db.internal"\n'
        '      DB_PASSWORD = "correct-horse-battery"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    report = run_scan(
        ScanOptions(paths=[tmp_path], only_rules={"AWS-LMB-001"}, use_cache=False)
    )
    [failed] = [r for r in report.results if r.status is Status.FAIL]
    assert failed.location is not None
    assert (failed.location.path, failed.location.start_line) == ("main.tf", 7)
