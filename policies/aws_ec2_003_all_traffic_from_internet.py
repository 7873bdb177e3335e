"""AWS-EC2-003: security group admits all ports or all protocols from the internet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import (
    ALL_PROTOCOLS,
    blocks,
    internet_sources,
    unknown_reason,
)
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri, tri_all

HIGHEST_PORT = 65535


def _port(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def admits_every_port(rule: Mapping[str, Any]) -> Tri:
    """Protocol -1/all, or a TCP/UDP range spanning 0/1 to 65535."""
    protocol = rule.get("protocol")
    if is_unknown(protocol):
        return UNKNOWN
    text = str(protocol).strip().lower() if protocol is not None else "-1"
    if text in ALL_PROTOCOLS:
        return True
    low, high = rule.get("from_port"), rule.get("to_port")
    if is_unknown(low) or is_unknown(high):
        return UNKNOWN
    if low is None and high is None:
        return text in {"tcp", "udp", "6", "17"}  # a VPC rule without a range
    low_port, high_port = _port(low), _port(high)
    if low_port is None or high_port is None:
        return UNKNOWN
    return low_port <= 1 and high_port >= HIGHEST_PORT


def _describe(rule: Mapping[str, Any]) -> str:
    protocol = rule.get("protocol")
    if str(protocol).strip().lower() in ALL_PROTOCOLS:
        return f'protocol = "{protocol}" (all protocols and ports)'
    return (
        f'protocol = "{protocol}", ports {rule.get("from_port")}-{rule.get("to_port")}'
    )


class AllTrafficFromInternet(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-003",
        title="Security group allows all ports or all protocols from the internet",
        severity=Severity.CRITICAL,
        resource_types=("aws_security_group", "aws_default_security_group"),
        description=(
            "An ingress rule admits every protocol (protocol -1) or every TCP/UDP "
            "port (0-65535) from 0.0.0.0/0 or ::/0."
        ),
        rationale=(
            "Everything listening on an attached interface - databases, admin "
            "consoles, debug ports, services bound to 0.0.0.0 by accident - "
            "becomes reachable by internet-wide scanners within minutes."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_vpc_security_group_ingress_rule" "https" {\n'
                "  security_group_id = aws_security_group.web.id\n"
                '  ip_protocol       = "tcp"\n'
                "  from_port         = 443\n"
                "  to_port           = 443\n"
                '  cidr_ipv4         = "0.0.0.0/0"  # public ports only\n'
                "}"
            ),
            console=(
                "EC2 console > Security Groups > group > Inbound rules > Edit: delete "
                "the All traffic / 0-65535 rule from 0.0.0.0/0 or ::/0 and add only "
                "the ports the service needs. CLI: aws ec2 revoke-security-group-"
                "ingress --group-id sg-... --ip-permissions "
                "IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]"
            ),
        ),
        runbook=(
            "Treat as an exposure: list the ENIs using the group (aws ec2 "
            "describe-network-interfaces --filters Name=group-id,Values=sg-...), "
            "revoke the rule, then check VPC flow logs and the attached hosts for "
            "inbound connections from unknown addresses since the rule appeared "
            "(CloudTrail AuthorizeSecurityGroupIngress names who added it)."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1190",),
        compliance={"AWS Foundational Security Best Practices": ("EC2.18", "EC2.19")},
        references=(
            "https://docs.aws.amazon.com/vpc/latest/userguide/"
            "security-group-rules.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        ingress = resource.get("ingress")
        unknown_at: str | None = None
        for index, rule in blocks(ingress):
            path = f"ingress.{index}"
            if is_unknown(rule):
                unknown_at = unknown_at or path
                continue
            assert isinstance(rule, Mapping)
            sources, sources_unknown = internet_sources(rule)
            open_: Tri = True if sources else (UNKNOWN if sources_unknown else False)
            every_port = admits_every_port(rule)
            verdict = tri_all([open_, every_port])
            if verdict is True:
                attribute, cidr = sources[0]
                return Verdict.failed(
                    f"{path}: {_describe(rule)} from {attribute} {cidr}",
                    f"{path}.{attribute}",
                )
            if is_unknown(verdict):
                unknown_at = unknown_at or (
                    f"{path}.cidr_blocks" if sources_unknown else f"{path}.protocol"
                )
        if is_unknown(ingress):
            return Verdict.unknown(unknown_reason(ingress, "ingress"), "ingress")
        if unknown_at is not None:
            return Verdict.unknown(
                f"{unknown_at} is not known statically: it may admit all traffic",
                unknown_at,
            )
        return Verdict.passed("no ingress rule admits all traffic from the internet")
