"""AWS-EC2-004: the default security group of a VPC has rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import blocks
from surveyor.model import Resource, Severity, Side, is_unknown

DEFAULT_GROUP_NAME = "default"


def _only_unknowns(rule: Mapping[str, Any]) -> bool:
    """Every value set is unknown (the rest empty): perhaps no rule at all."""
    known = [v for v in rule.values() if v not in (None, [], "")]
    return bool(known) and all(is_unknown(v) for v in known)


SPLIT_RULE_TYPES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)


def _split_rules_of(resource: Resource, context: CheckContext) -> list[str]:
    """Rule resources aimed at this group that the source left unmerged."""
    if resource.side is not Side.IAC:
        return []
    return [
        rule.address
        for rule in context.resources.of_type(*SPLIT_RULE_TYPES, side=Side.IAC)
        if getattr(rule.get("security_group_id"), "address", None) == resource.address
    ]


class DefaultSecurityGroupAllowsTraffic(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-004",
        title="Default security group of a VPC allows any traffic",
        severity=Severity.MEDIUM,
        resource_types=("aws_default_security_group", "aws_security_group"),
        description=(
            "The VPC's default security group has an inbound or outbound rule. "
            "AWS creates it allowing all traffic between its members and all "
            "outbound traffic; in Terraform, aws_default_security_group with no "
            "ingress or egress blocks removes every rule."
        ),
        rationale=(
            "Resources launched without an explicit group land in the default one. "
            "Rules there give them network paths nobody designed, lateral movement "
            "between unrelated workloads and unreviewed egress for exfiltration."
        ),
        remediation=Remediation(
            terraform=(
                "# Adopt the default group and leave it without rules.\n"
                'resource "aws_default_security_group" "default" {\n'
                "  vpc_id = aws_vpc.this.id\n"
                "}"
            ),
            console=(
                "VPC console > Security groups > the group named default > Inbound "
                "rules and Outbound rules > delete every rule. CLI: aws ec2 "
                "revoke-security-group-ingress / revoke-security-group-egress "
                "--group-id sg-... --ip-permissions <each rule>"
            ),
        ),
        runbook=(
            "List what uses the group (aws ec2 describe-network-interfaces "
            "--filters Name=group-id,Values=sg-...). Move those interfaces to "
            "purpose-built groups first, then remove every rule of the default "
            "group so new resources without a group are isolated."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.007",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("5.4",),
            "AWS Foundational Security Best Practices": ("EC2.2",),
        },
        references=(
            "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == "aws_default_security_group":
            return True
        # Live collection reports every group as aws_security_group; the
        # default group of each VPC is the one AWS named "default".
        return (
            resource.side is Side.LIVE
            and resource.get("name", resource.name) == DEFAULT_GROUP_NAME
        )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        unknown_at: str | None = None
        for direction in ("ingress", "egress"):
            value = resource.get(direction)
            for index, rule in blocks(value):
                # A dynamic block over an unknown collection arrives as one
                # block of unknown values: it may stand for no rule at all.
                if not isinstance(rule, Mapping) or _only_unknowns(rule):
                    unknown_at = unknown_at or f"{direction}.{index}"
                    continue
                return Verdict.failed(
                    f"{direction}.{index}: the default security group has a rule "
                    f"(protocol = {self.describe_value(rule.get('protocol'))}, ports "
                    f"{rule.get('from_port')}-{rule.get('to_port')})",
                    f"{direction}.{index}",
                )
        split = _split_rules_of(resource, context)
        if split:
            return Verdict.failed(
                f"{split[0]} adds a rule to the default security group"
            )
        if unknown_at is not None:
            return Verdict.unknown(
                f"{unknown_at} is not known statically: there may be a rule",
                unknown_at,
            )
        return Verdict.passed("the default security group has no rules")
