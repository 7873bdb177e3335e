"""terraform-aws-modules/security-group/aws and its preset submodules.

Targets the module's current major versions (v5.x; also v4.x, whose inputs
are the same). The group is `aws_security_group.this_name_prefix[0]` (the
default `use_name_prefix = true`) or `aws_security_group.this[0]`; none is
created with `create = false`; with `create_sg = false` the rules go to the
existing group `security_group_id` as `aws_security_group_rule` resources,
which the merge joins to that group when it is declared here (and which are
judged on their own otherwise).

Rules, given here inline on the group (the module writes them as
`aws_security_group_rule` resources, which the merge would put there too):

- `ingress_rules` / `egress_rules`: named rules (below) for every CIDR in
  `ingress_cidr_blocks` / `ingress_ipv6_cidr_blocks` (egress: default
  0.0.0.0/0 and ::/0);
- `ingress_with_cidr_blocks` / `ingress_with_ipv6_cidr_blocks` (and the
  egress ones): maps of `rule` or `from_port`/`to_port`/`protocol`, with
  `cidr_blocks` a comma-separated string defaulting to the module's list;
- a preset submodule (`//modules/ssh`, `//modules/rdp`, ...) adds its own
  named rules to `ingress_rules` (they reach only `ingress_cidr_blocks`,
  empty by default) and `all-all` egress.

A rule name this table does not know gives a rule with unknown ports, so a
check on it is UNKNOWN rather than silently passing.
"""

from __future__ import annotations

from typing import Any

from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
)

# name: (from_port, to_port, protocol); the module's rule table, common part.
NAMED_RULES: dict[str, tuple[int, int, str]] = {
    "all-all": (-1, -1, "-1"),
    "all-tcp": (0, 65535, "tcp"),
    "all-udp": (0, 65535, "udp"),
    "all-icmp": (-1, -1, "icmp"),
    "all-ipv6-icmp": (-1, -1, "58"),
    "ssh-tcp": (22, 22, "tcp"),
    "rdp-tcp": (3389, 3389, "tcp"),
    "rdp-udp": (3389, 3389, "udp"),
    "http-80-tcp": (80, 80, "tcp"),
    "http-8080-tcp": (8080, 8080, "tcp"),
    "https-443-tcp": (443, 443, "tcp"),
    "https-8443-tcp": (8443, 8443, "tcp"),
    "mysql-tcp": (3306, 3306, "tcp"),
    "postgresql-tcp": (5432, 5432, "tcp"),
    "mssql-tcp": (1433, 1433, "tcp"),
    "oracle-db-tcp": (1521, 1521, "tcp"),
    "redis-tcp": (6379, 6379, "tcp"),
    "memcached-tcp": (11211, 11211, "tcp"),
    "mongodb-27017-tcp": (27017, 27017, "tcp"),
    "elasticsearch-rest-tcp": (9200, 9200, "tcp"),
    "kubernetes-api-tcp": (6443, 6443, "tcp"),
    "winrm-http-tcp": (5985, 5985, "tcp"),
    "winrm-https-tcp": (5986, 5986, "tcp"),
    "dns-udp": (53, 53, "udp"),
    "dns-tcp": (53, 53, "tcp"),
    "ntp-udp": (123, 123, "udp"),
    "nfs-tcp": (2049, 2049, "tcp"),
    "smtp-tcp": (25, 25, "tcp"),
    "ldap-tcp": (389, 389, "tcp"),
    "ldaps-tcp": (636, 636, "tcp"),
}
# Preset submodules whose rules are not simply "<name>-tcp".
_PRESETS: dict[str, list[str]] = {
    "rdp": ["rdp-tcp", "rdp-udp"],
    "http-80": ["http-80-tcp"],
    "https-443": ["https-443-tcp"],
    "https-8443": ["https-8443-tcp"],
    "http-8080": ["http-8080-tcp"],
    "mongodb": ["mongodb-27017-tcp"],
    "elasticsearch": ["elasticsearch-rest-tcp"],
    "kubernetes-api": ["kubernetes-api-tcp"],
    "winrm": ["winrm-http-tcp", "winrm-https-tcp"],
    "dns": ["dns-udp", "dns-tcp"],
    "ntp": ["ntp-udp"],
}
_SUBMODULES = frozenset(
    {"", *(f"modules/{n}" for n in _PRESETS)}
    | {
        f"modules/{name[: -len('-tcp')]}"
        for name in NAMED_RULES
        if name.endswith("-tcp")
    }
)


def preset_rules(submodule: str) -> list[str]:
    if not submodule:
        return []
    name = submodule.removeprefix("modules/")
    return _PRESETS.get(name, [f"{name}-tcp"])


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not creates(inputs.get("create", True)):
        return []
    if not creates(inputs.get("create_sg", True)):
        return _rules_for_existing_group(inputs, submodule)
    name = (
        "this_name_prefix"
        if inputs.get("use_name_prefix", True) is not False
        else "this"
    )
    attributes: dict[str, Any] = {
        "description": inputs.get("description", "Security Group managed by Terraform"),
        "tags": inputs.get("tags", {}),
    }
    where: dict[str, str] = {}
    for input_name in ("name", "vpc_id"):
        if inputs.given(input_name):
            attributes[input_name] = inputs.get(input_name)
            where[input_name] = input_name
    for direction in ("ingress", "egress"):
        rules, lines = _rules(inputs, direction, submodule)
        attributes[direction] = rules
        for index, source in enumerate(lines):
            where[f"{direction}.{index}"] = source
    return [Planned("aws_security_group", name, attributes, where)]


def _rules_for_existing_group(inputs: Inputs, submodule: str) -> list[Planned]:
    group = inputs.get("security_group_id")
    if group is None:
        return []
    planned: list[Planned] = []
    for direction in ("ingress", "egress"):
        rules, lines = _rules(inputs, direction, submodule)
        for index, (rule, source) in enumerate(zip(rules, lines, strict=True)):
            if not isinstance(rule, dict):
                continue
            attributes = {
                **{k: v for k, v in rule.items() if k != "security_groups"},
                "type": direction,
                "security_group_id": group,
            }
            where = dict.fromkeys(attributes, source)
            where["security_group_id"] = "security_group_id"
            planned.append(
                Planned(
                    "aws_security_group_rule",
                    f"{direction}_rules",
                    attributes,
                    where,
                    index,
                    located_at=source,
                )
            )
    return planned


def _rules(
    inputs: Inputs, direction: str, submodule: str
) -> tuple[list[Any], list[str]]:
    """Rules of one direction and, for each, the input it was written in."""
    internet_default = ["0.0.0.0/0"] if direction == "egress" else []
    internet_default_v6 = ["::/0"] if direction == "egress" else []
    cidrs = inputs.get(f"{direction}_cidr_blocks", internet_default)
    ipv6 = inputs.get(f"{direction}_ipv6_cidr_blocks", internet_default_v6)
    rules: list[Any] = []
    lines: list[str] = []

    named_input = f"{direction}_rules"
    named = inputs.get(named_input, [])
    preset = preset_rules(submodule) if direction == "ingress" else []
    if submodule and direction == "egress":
        preset = ["all-all"]
    if isinstance(named, Unknown):
        rules.append(_rule(named, named, named, cidrs, ipv6))
        lines.append(named_input)
    elif isinstance(named, list):
        for rule_name in [*preset, *(n for n in named if n not in preset)]:
            ports = _named(rule_name)
            rules.append(_rule(*ports, cidrs, ipv6))
            lines.append(named_input if rule_name in named else _cidr_input(direction))

    for with_input, family in (
        (f"{direction}_with_cidr_blocks", "cidr_blocks"),
        (f"{direction}_with_ipv6_cidr_blocks", "ipv6_cidr_blocks"),
    ):
        entries = inputs.get(with_input, [])
        if isinstance(entries, Unknown):
            rules.append(_rule(entries, entries, entries, entries, entries))
            lines.append(with_input)
            continue
        if not isinstance(entries, list):
            continue
        default = cidrs if family == "cidr_blocks" else ipv6
        for entry in entries:
            rules.append(_with_rule(entry, family, default))
            lines.append(with_input)
    return rules, lines


def _cidr_input(direction: str) -> str:
    return f"{direction}_cidr_blocks"


def _named(rule_name: Any) -> tuple[Any, Any, Any]:
    if isinstance(rule_name, str) and rule_name in NAMED_RULES:
        return NAMED_RULES[rule_name]
    unknown = Unknown(f"rule {rule_name!r} is not in surveyor's table of module rules")
    return unknown, unknown, unknown


def _rule(from_port: Any, to_port: Any, protocol: Any, cidrs: Any, ipv6: Any) -> Any:
    return {
        "from_port": from_port,
        "to_port": to_port,
        "protocol": protocol,
        "cidr_blocks": cidrs,
        "ipv6_cidr_blocks": ipv6,
        "security_groups": [],
        "self": False,
        "description": None,
    }


def _with_rule(entry: Any, family: str, default: Any) -> Any:
    if not isinstance(entry, dict):
        unknown = Unknown("rule is not known statically")
        return _rule(unknown, unknown, unknown, unknown, unknown)
    if "rule" in entry:
        from_port, to_port, protocol = _named(entry["rule"])
    else:
        from_port = entry.get("from_port")
        to_port = entry.get("to_port")
        protocol = entry.get("protocol")
    blocks = entry.get(family, default)
    if isinstance(blocks, str):
        blocks = [b.strip() for b in blocks.split(",") if b.strip()]
    rule = _rule(from_port, to_port, protocol, [], [])
    rule[family] = blocks
    if entry.get("description") is not None:
        rule["description"] = entry["description"]
    return rule


ADAPTER = Adapter(
    source="terraform-aws-modules/security-group/aws",
    build=build,
    min_major=4,
    outputs={
        "security_group_id": "aws_security_group",
        "security_group_arn": "aws_security_group",
    },
    submodules=_SUBMODULES,
)
