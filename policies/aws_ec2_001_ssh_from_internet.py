"""AWS-EC2-001: a security group that admits SSH from the internet."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import STANDALONE_RULES, internet_port_verdict
from surveyor.model import Resource, Severity, Side

PORT = 22


class SshFromInternet(Check):
    meta = RuleMeta(
        id="AWS-EC2-001",
        title="Security group allows SSH (22) from 0.0.0.0/0 or ::/0",
        severity=Severity.HIGH,
        resource_types=(
            "aws_security_group",
            "aws_default_security_group",
            *STANDALONE_RULES,
        ),
        description=(
            "An ingress rule whose protocol is tcp (6) with a port range "
            "covering 22 (22-22, 20-23, 0-65535, ...), or protocol -1/all, "
            "admits 0.0.0.0/0 or ::/0 (any /0). Inline ingress blocks, "
            "aws_security_group_rule and aws_vpc_security_group_ingress_rule "
            "are judged together on their group; the finding points at the "
            "rule's own block. A rule whose group is not part of the scan is "
            "judged on its own."
        ),
        rationale=(
            "SSH open to the internet is brute-forced and probed for "
            "vulnerable daemons within minutes of exposure; administrative "
            "access should come through a bastion, VPN or SSM Session Manager."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_vpc_security_group_ingress_rule" "ssh" {\n'
                "  security_group_id = aws_security_group.app.id\n"
                '  ip_protocol       = "tcp"\n'
                "  from_port         = 22\n"
                "  to_port           = 22\n"
                '  cidr_ipv4         = "10.0.0.0/8"  # the admin network only\n'
                "}\n"
                "# better: no SSH ingress at all, use SSM Session Manager\n"
            ),
            console=(
                "EC2 console > Security Groups > group > Inbound rules > Edit "
                "inbound rules: change the source of the SSH rule from "
                "0.0.0.0/0 / ::/0 to the admin network, or delete it. CLI: aws "
                "ec2 revoke-security-group-ingress --group-id sg-... --protocol "
                "tcp --port 22 --cidr 0.0.0.0/0"
            ),
        ),
        runbook=(
            "Contain: revoke the 0.0.0.0/0 and ::/0 rule (reversible, existing "
            "SSH sessions keep working). Verify: list the instances and ENIs "
            "using the group (aws ec2 describe-network-interfaces --filters "
            "Name=group-id,Values=sg-...), check their auth logs and VPC flow "
            "logs for logins from unknown addresses. Fix: restrict the source "
            "in Terraform and apply. Follow up: move to SSM Session Manager and "
            "rotate keys of any host with a suspicious login."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1133", "T1021.004"),
        compliance={
            "CIS AWS Foundations v3.0.0": ("5.2", "5.3"),
            "AWS Foundational Security Best Practices": (
                "EC2.13",
                "EC2.19",
                "EC2.53",
                "EC2.54",
            ),
        },
        references=(
            "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        return internet_port_verdict(resource, PORT, "SSH")
