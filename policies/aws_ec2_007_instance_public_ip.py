"""AWS-EC2-007: an instance gets a public IP address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import (
    as_bool,
    blocks,
    first_block,
    launch_template_named,
    unknown_reason,
)
from surveyor.model import Resource, Severity, Side, is_unknown


class InstancePublicIp(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-007",
        title="Instance gets a public IP address",
        severity=Severity.MEDIUM,
        resource_types=("aws_instance", "aws_launch_template"),
        description=(
            "The instance is given a public IPv4 address: "
            "associate_public_ip_address = true on aws_instance or on a launch "
            "template's network_interfaces; live, the instance has a public IP. "
            "In Terraform an instance that leaves the attribute unset takes its "
            "launch template's setting (judged when the template is declared) or "
            "else the subnet's map_public_ip_on_launch, which this rule does not "
            "judge."
        ),
        rationale=(
            "A public address makes the instance reachable from the internet as "
            "soon as any security group rule or NACL allows it; instances behind "
            "a load balancer or NAT gateway need none, and each public IPv4 "
            "address is also billed."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_instance" "app" {\n'
                "  # ...\n"
                "  subnet_id                   = aws_subnet.private.id\n"
                "  associate_public_ip_address = false\n"
                "}"
            ),
            console=(
                "A running instance keeps its auto-assigned public IP: stop it and "
                "move its workload to a private subnet (launch a replacement from "
                "an AMI), or, for an ENI-level address, EC2 console > Network "
                "interfaces > Manage IP addresses > Auto-assign public IP off. CLI "
                "for new launches: aws ec2 run-instances ... "
                "--network-interfaces DeviceIndex=0,AssociatePublicIpAddress=false"
            ),
        ),
        runbook=(
            "Ask the owner (tags) whether the instance must be reachable directly. "
            "If not, plan a move behind a load balancer, SSM Session Manager for "
            "access, and a NAT gateway for egress. Meanwhile confirm its security "
            "groups admit nothing from 0.0.0.0/0 beyond what it serves."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1190",),
        compliance={"AWS Foundational Security Best Practices": ("EC2.9",)},
        references=(
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/"
            "using-instance-addressing.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == "aws_launch_template":
            return self._launch_template(resource)
        if resource.side is Side.LIVE:
            public_ip = resource.get("public_ip")
            if is_unknown(public_ip):
                return Verdict.unknown(
                    unknown_reason(public_ip, "public_ip"), "public_ip"
                )
            if public_ip:
                return Verdict.failed(f'public_ip = "{public_ip}"', "public_ip")
        value = resource.get("associate_public_ip_address")
        flag = as_bool(value)
        if is_unknown(flag):
            return Verdict.unknown(
                unknown_reason(value, "associate_public_ip_address"),
                "associate_public_ip_address",
            )
        if flag:
            return Verdict.failed(
                "associate_public_ip_address = true", "associate_public_ip_address"
            )
        if flag is None and resource.side is Side.IAC:
            inherited = self._from_launch_template(resource, context)
            if inherited is not None:
                return inherited
        shown = "not set" if flag is None else "false"
        return Verdict.passed(
            f"associate_public_ip_address is {shown}", "associate_public_ip_address"
        )

    def _from_launch_template(
        self, resource: Resource, context: CheckContext
    ) -> Verdict | None:
        """An instance that leaves the flag unset takes its launch template's."""
        spec = first_block(resource.get("launch_template"))
        if spec is None:
            return None
        path = "launch_template"
        if not isinstance(spec, Mapping):
            return Verdict.unknown("launch_template is not known statically", path)
        template = launch_template_named(spec, context)
        if template is None:
            return Verdict.unknown(
                "network interfaces come from a launch template this configuration "
                "does not resolve",
                path,
            )
        verdict = self._launch_template(template)
        return Verdict(
            verdict.status, f"from {template.address}: {verdict.message}", path
        )

    def _launch_template(self, resource: Resource) -> Verdict:
        interfaces = resource.get("network_interfaces")
        unknown_at: str | None = None
        for index, interface in blocks(interfaces):
            path = f"network_interfaces.{index}.associate_public_ip_address"
            if not isinstance(interface, Mapping):
                unknown_at = unknown_at or f"network_interfaces.{index}"
                continue
            # The provider types this attribute as a string: "true"/"false".
            flag = as_bool(interface.get("associate_public_ip_address"))
            if is_unknown(flag):
                unknown_at = unknown_at or path
            elif flag:
                return Verdict.failed(
                    f"network_interfaces.{index}.associate_public_ip_address = true",
                    path,
                )
        if unknown_at is not None:
            return Verdict.unknown(f"{unknown_at} is not known statically", unknown_at)
        return Verdict.passed(
            "no network interface of the template asks for a public IP address"
        )
