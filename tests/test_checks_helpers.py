"""Shared check helpers: tri-state booleans, ports and networks, references."""

from __future__ import annotations

from typing import Any

import pytest

from surveyor.checks.base import CheckContext
from surveyor.checks.helpers import (
    InvalidPolicy,
    as_bool,
    blocks,
    first_block,
    internet_sources,
    is_internet_cidr,
    is_true,
    load_policy,
    referenced_type,
    rule_covers_port,
    unknown_reason,
)
from surveyor.model import UNKNOWN, Resource, Side, Unknown, is_unknown
from surveyor.resourceset import ResourceSet


def test_as_bool_reads_bools_and_strings_and_keeps_unknown() -> None:
    assert as_bool(True) is True
    assert as_bool("false") is False
    assert as_bool(None) is None
    assert as_bool(None, default=True) is True
    assert is_unknown(as_bool(UNKNOWN))
    assert is_unknown(as_bool("maybe"))
    assert is_true(None) is False


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"protocol": "tcp", "from_port": 22, "to_port": 22}, True),
        ({"protocol": "tcp", "from_port": 20, "to_port": 23}, True),
        ({"protocol": "6", "from_port": 0, "to_port": 65535}, True),
        ({"protocol": "-1", "from_port": 0, "to_port": 0}, True),
        ({"protocol": "all", "from_port": 0, "to_port": 0}, True),
        ({"protocol": "tcp", "from_port": 23, "to_port": 80}, False),
        ({"protocol": "udp", "from_port": 22, "to_port": 22}, False),
        ({"protocol": "icmp", "from_port": -1, "to_port": -1}, False),
        ({"protocol": "tcp"}, True),  # a VPC rule without ports
    ],
)
def test_rule_covers_port(rule: dict[str, Any], expected: bool) -> None:
    assert rule_covers_port(rule, 22) is expected


def test_rule_covers_port_is_unknown_for_unknown_ports_or_protocol() -> None:
    assert is_unknown(rule_covers_port({"protocol": UNKNOWN}, 22))
    unknown_ports = {"protocol": "tcp", "from_port": UNKNOWN, "to_port": UNKNOWN}
    assert is_unknown(rule_covers_port(unknown_ports, 22))


def test_internet_cidrs_are_any_prefix_zero() -> None:
    assert is_internet_cidr("0.0.0.0/0") is True
    assert is_internet_cidr("::/0") is True
    assert is_internet_cidr("10.0.0.0/8") is False
    assert is_internet_cidr("not-a-cidr") is False
    assert is_internet_cidr("0.0.1.0/0") is False  # malformed, cannot be applied
    assert is_unknown(is_internet_cidr(UNKNOWN))


def test_internet_sources_reports_where_and_whether_anything_is_unknown() -> None:
    found, unknown = internet_sources(
        {"cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"], "ipv6_cidr_blocks": UNKNOWN}
    )
    assert found == [("cidr_blocks", "0.0.0.0/0")]
    assert unknown is True


def test_blocks_and_first_block_accept_lists_dicts_and_unknown() -> None:
    assert blocks([{"a": 1}, "junk", {"b": 2}]) == [(0, {"a": 1}), (2, {"b": 2})]
    assert blocks({"a": 1}) == [(0, {"a": 1})]
    assert blocks(None) == []
    assert is_unknown(first_block(UNKNOWN))
    assert first_block([]) is None


def test_load_policy_turns_invalid_text_into_a_named_unknown() -> None:
    loaded = load_policy("{not json")
    assert isinstance(loaded, InvalidPolicy)
    assert unknown_reason(loaded, "policy").startswith("policy cannot be read: ")


class _Ref(Unknown):
    """Stands in for the Terraform source's RefUnknown (an address attribute)."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        super().__init__(f"computed by {address}")
        self.address = address


def test_referenced_type_follows_resource_references_but_not_data_sources() -> None:
    key = Resource("aws_kms_key", "module.db.aws_kms_key.main", {}, Side.IAC)
    context = CheckContext(ResourceSet([key]), Side.IAC)
    assert referenced_type(_Ref("module.db.aws_kms_key.main"), context) == "aws_kms_key"
    assert referenced_type(_Ref("aws_kms_alias.rds"), context) == "aws_kms_alias"
    assert referenced_type(_Ref("data.aws_kms_key.rds"), context) is None
    assert referenced_type(UNKNOWN, context) is None
