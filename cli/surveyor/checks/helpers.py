"""Small tri-state tests that many checks share.

A value read from a resource may be UNKNOWN; every helper here says so in its
return value instead of guessing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from surveyor.checks.base import CheckContext, Verdict
from surveyor.model import UNKNOWN, Resource, Side, Status, Unknown
from surveyor.model.policy_document import (
    PolicyDocument,
    PolicyParseError,
    Tri,
    is_unknown,
    tri_all,
    tri_any,
)

TRUE_STRINGS = frozenset({"true", "1", "yes", "on"})
FALSE_STRINGS = frozenset({"false", "0", "no", "off", ""})


def as_bool(value: Any, default: bool | None = None) -> Tri | None:
    """True/False for bools and "true"/"false" strings; None when absent.

    `default` replaces None (an attribute left out takes the provider default).
    A value that is neither bool-like nor absent is UNKNOWN.
    """
    if value is None:
        return default
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in TRUE_STRINGS:
            return True
        if lowered in FALSE_STRINGS:
            return False
    return UNKNOWN


def is_true(value: Any, default: bool = False) -> Tri:
    """as_bool with a default, so the answer is never None."""
    found = as_bool(value, default)
    return default if found is None else found


def first_block(value: Any) -> Mapping[str, Any] | Unknown | None:
    """The first element of a nested-block list (or the dict itself)."""
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list) and value:
        head = value[0]
        if is_unknown(head) or isinstance(head, Mapping):
            return head
    return None


def blocks(value: Any) -> list[tuple[int, Mapping[str, Any] | Unknown]]:
    """(index, block) for a nested-block list; a single dict is index 0."""
    if value is None:
        return []
    if is_unknown(value):
        return [(0, UNKNOWN)]
    if isinstance(value, Mapping):
        return [(0, value)]
    if isinstance(value, list):
        return [
            (i, item)
            for i, item in enumerate(value)
            if is_unknown(item) or isinstance(item, Mapping)
        ]
    return []


def as_list(value: Any) -> list[Any] | Unknown:
    """A list attribute: None → [], a scalar → [scalar], UNKNOWN stays."""
    if value is None:
        return []
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


class InvalidPolicy(Unknown):
    """An UNKNOWN that comes from policy text that does not parse."""


def load_policy(value: Any) -> PolicyDocument | Unknown | None:
    """PolicyDocument.parse, turning invalid text into UNKNOWN with the reason.

    Invalid policy text cannot be applied by Terraform nor returned by the API,
    so neither PASS nor FAIL would be honest.
    """
    try:
        return PolicyDocument.parse(value)
    except PolicyParseError as exc:
        return InvalidPolicy(str(exc))


def unknown_reason(value: Any, what: str) -> str:
    if isinstance(value, InvalidPolicy):
        return f"{what} cannot be read: {value.reason}"
    reason = value.reason if isinstance(value, Unknown) and value.reason else ""
    return f"{what} is not known statically" + (f" ({reason})" if reason else "")


def hcl_value(value: Any) -> str:
    """A value as Terraform writes it, for messages: true/false, quoted strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else repr(value)


# --- ports and networks -----------------------------------------------------

ALL_PROTOCOLS = frozenset({"-1", "all"})
TCP_PROTOCOLS = frozenset({"tcp", "6"})


def _as_int(value: Any) -> int | Unknown | None:
    if value is None:
        return None
    if is_unknown(value):
        return UNKNOWN
    try:
        return int(str(value).strip())
    except ValueError:
        return UNKNOWN


def rule_covers_port(rule: Mapping[str, Any], port: int, protocol: str = "tcp") -> Tri:
    """Does an ingress rule's protocol and port range admit `port`?

    Protocol "-1"/"all" admits every port whatever from/to say; otherwise the
    protocol must match (by name or number) and from_port <= port <= to_port.
    """
    proto = rule.get("protocol")
    if is_unknown(proto):
        return UNKNOWN
    proto_text = str(proto).strip().lower() if proto is not None else "tcp"
    if proto_text in ALL_PROTOCOLS:
        return True
    wanted = TCP_PROTOCOLS if protocol == "tcp" else {protocol}
    if proto_text not in wanted:
        return False
    low, high = _as_int(rule.get("from_port")), _as_int(rule.get("to_port"))
    if low is None and high is None:
        return True  # an ip_protocol without ports (vpc rule, tcp) admits all
    if is_unknown(low) or is_unknown(high):
        return UNKNOWN
    low = low if low is not None else high
    high = high if high is not None else low
    assert isinstance(low, int) and isinstance(high, int)
    if low == -1 and high == -1:
        return True
    return low <= port <= high


def is_internet_cidr(cidr: Any) -> Tri:
    """0.0.0.0/0 or ::/0 (written any valid way, e.g. ::0/0).

    A malformed block such as "0.0.1.0/0" is not the internet: the provider
    and the API both reject it, so it can never be applied.
    """
    if is_unknown(cidr):
        return UNKNOWN
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=True).prefixlen == 0
    except ValueError:
        return False


def internet_sources(rule: Mapping[str, Any]) -> tuple[list[tuple[str, str]], bool]:
    """(attribute, cidr) pairs open to the internet, and whether any is unknown."""
    found: list[tuple[str, str]] = []
    unknown = False
    for attribute in ("cidr_blocks", "ipv6_cidr_blocks"):
        values = as_list(rule.get(attribute))
        if is_unknown(values):
            unknown = True
            continue
        assert isinstance(values, list)
        for cidr in values:
            verdict = is_internet_cidr(cidr)
            if is_unknown(verdict):
                unknown = True
            elif verdict:
                found.append((attribute, cidr))
    return found, unknown


def open_to_internet_on_port(rule: Mapping[str, Any], port: int) -> Tri:
    covers = rule_covers_port(rule, port)
    sources, unknown = internet_sources(rule)
    open_: Tri = True if sources else (UNKNOWN if unknown else False)
    return tri_all([covers, open_])


def any_of(values: Iterable[Tri]) -> Tri:
    return tri_any(values)


# --- S3 public access block ---------------------------------------------------

PAB_FLAGS = (
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
)


def account_public_access_block(resource: Any, context: Any) -> Any:
    """The account-level aws_s3_account_public_access_block for this resource."""
    return context.resources.account_setting(
        "aws_s3_account_public_access_block",
        side=resource.side,
        account=resource.account,
    )


_BUCKET_BLOCK: Any = object()  # "read the bucket's own public_access_block"


def public_access_flag(
    resource: Any, context: Any, flag: str, own: Any = _BUCKET_BLOCK
) -> Tri:
    """Is one PAB flag on for this bucket, from its own block or the account's?

    `own` is the bucket's block; by default read from `public_access_block`.
    """
    if own is _BUCKET_BLOCK:
        own = first_block(resource.get("public_access_block"))
    bucket_value: Tri = False
    if isinstance(own, Unknown):
        bucket_value = UNKNOWN
    elif isinstance(own, Mapping):
        bucket_value = is_true(own.get(flag))
    account = account_public_access_block(resource, context)
    account_value: Tri = False
    if account is not None:
        account_value = is_true(account.get(flag))
    elif context.resources.errors_for(["aws_s3_account_public_access_block"]):
        account_value = UNKNOWN  # not collected is not "off"
    return tri_any([bucket_value, account_value])


# --- security groups ------------------------------------------------------------


# Rules whose group is not in the scan reach checks as resources of their own.
STANDALONE_RULES = ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule")


def standalone_rule(resource: Any) -> tuple[dict[str, Any], dict[str, str]] | None:
    """An unmerged rule resource as an ingress block, with each key's own path.

    None for an egress aws_security_group_rule.
    """
    if resource.type == "aws_security_group_rule":
        kind = resource.get("type")
        if isinstance(kind, str) and kind != "ingress":
            return None
        keys = ("from_port", "to_port", "protocol", "cidr_blocks", "ipv6_cidr_blocks")
        return {k: resource.get(k) for k in keys}, {k: k for k in keys}
    v4, v6 = resource.get("cidr_ipv4"), resource.get("cidr_ipv6")
    rule = {
        "from_port": resource.get("from_port"),
        "to_port": resource.get("to_port"),
        "protocol": resource.get("ip_protocol"),
        "cidr_blocks": [] if v4 is None else v4 if is_unknown(v4) else [v4],
        "ipv6_cidr_blocks": [] if v6 is None else v6 if is_unknown(v6) else [v6],
    }
    paths = {"cidr_blocks": "cidr_ipv4", "ipv6_cidr_blocks": "cidr_ipv6"}
    return rule, paths


def internet_port_verdict(resource: Any, port: int, service: str) -> Verdict:
    """The verdict of "does any ingress rule admit tcp `port` from /0"."""
    if resource.type in STANDALONE_RULES:
        if is_unknown(resource.get("type")):
            return Verdict.unknown(unknown_reason(resource.get("type"), "type"), "type")
        found = standalone_rule(resource)
        if found is None:
            return Verdict.passed("an egress rule admits no inbound traffic")
        standalone, _paths = found
        verdict = _rule_verdict(standalone, "this rule", port, service)
        if verdict is None:
            return Verdict.passed(f"the rule does not admit port {port} from /0")
        status, message, _ = verdict
        # The rule's own block is the line to fix, as for a merged rule.
        return Verdict(status, message)
    rules = resource.get("ingress")
    if is_unknown(rules):
        return Verdict.unknown(unknown_reason(rules, "ingress"), "ingress")
    unknown_at: str | None = None
    for index, rule in blocks(rules):
        path = f"ingress.{index}"
        if is_unknown(rule):
            unknown_at = unknown_at or path
            continue
        assert isinstance(rule, Mapping)
        verdict = _rule_verdict(rule, path, port, service)
        if verdict is None:
            continue
        status, message, _ = verdict
        if status is Status.FAIL:
            # The finding sits on the rule's block (its own resource when it
            # was written as a split rule); the message names the cidr.
            return Verdict.failed(message, path)
        unknown_at = unknown_at or path
    if unknown_at is not None:
        return Verdict.unknown(
            f"{unknown_at}: whether it admits port {port} from the internet is "
            "not known statically",
            unknown_at,
        )
    return Verdict.passed(f"no ingress rule admits port {port} from 0.0.0.0/0 or ::/0")


def _rule_verdict(
    rule: Mapping[str, Any], label: str, port: int, service: str
) -> tuple[Status, str, str | None] | None:
    """FAIL (with the cidr attribute), UNKNOWN, or None when the rule is fine."""
    covers = rule_covers_port(rule, port)
    if covers is False:
        return None
    sources, unknown_source = internet_sources(rule)
    if sources and covers is True:
        attribute, cidr = sources[0]
        what = _describe_range(rule)
        if what != f"tcp {port}":
            what += f", which includes {service},"
        else:
            what = f"{service} (tcp {port})"
        message = f'{label} allows {what} from {attribute} "{cidr}"'
        return Status.FAIL, message, attribute
    if sources or unknown_source:
        return (
            Status.UNKNOWN,
            f"{label}: whether it admits port {port} from the internet is not "
            "known statically",
            None,
        )
    return None


def _describe_range(rule: Mapping[str, Any]) -> str:
    """`tcp 20-23`, `all traffic (protocol "-1")`, as a message shows a rule."""
    raw = rule.get("protocol")
    protocol = str(raw if raw is not None else "tcp").lower()
    if protocol in ALL_PROTOCOLS:
        return f'all traffic (protocol "{raw}")'
    if protocol == "6":
        protocol = "tcp"
    low, high = rule.get("from_port"), rule.get("to_port")
    if low is None and high is None:
        return f"{protocol} on every port"
    span = str(low) if low == high else f"{low}-{high}"
    return f"{protocol} {span}"


# --- references -------------------------------------------------------------------


def referenced_type(value: Any, context: Any) -> str | None:
    """The resource type an unknown value is computed by, when the source says.

    The Terraform source marks `aws_kms_key.main.arn` as an UNKNOWN that knows
    its `address`; a data source (`data.aws_kms_key.x`) could be anything, so
    it gives None.
    """
    address = getattr(value, "address", None)
    if not isinstance(value, Unknown) or not isinstance(address, str):
        return None
    found = context.resources.get(address)
    if found is not None:
        return str(found.type)
    parts = address.split(".")
    for index, part in enumerate(parts):
        if part.startswith("aws_") and (index == 0 or parts[index - 1] != "data"):
            return part
        if part.startswith("aws_"):
            return None
    return None


def launch_template_named(
    spec: Mapping[str, Any], context: CheckContext
) -> Resource | None:
    """The declared aws_launch_template a `launch_template` block refers to,
    by reference to its id or name, or by its literal name."""
    for key in ("id", "name"):
        value = spec.get(key)
        address = getattr(value, "address", None)
        if isinstance(address, str):
            found = context.resources.get(address)
            if found is not None and found.type == "aws_launch_template":
                return found
        if key == "name" and isinstance(value, str):
            for template in context.resources.of_type(
                "aws_launch_template", side=Side.IAC
            ):
                if template.get("name") == value:
                    return template
    return None
