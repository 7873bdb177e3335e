"""AWS-EC2-006: an instance or launch template allows IMDSv1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import first_block, launch_template_named, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown


class ImdsV1Allowed(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-006",
        title='Instance allows IMDSv1 (http_tokens not "required")',
        severity=Severity.HIGH,
        resource_types=(
            "aws_instance",
            "aws_launch_template",
            "aws_launch_configuration",
        ),
        description=(
            "The instance metadata service answers requests without a session "
            'token: metadata_options.http_tokens is "optional" or not set '
            '(the provider and API default is "optional" unless the AMI or the '
            "account's instance metadata defaults say otherwise). An endpoint "
            'switched off (http_endpoint = "disabled") passes. An aws_instance '
            "without metadata_options but with a launch_template block is judged "
            "by that template's settings. Auto Scaling launch configurations are "
            "judged like instances."
        ),
        rationale=(
            "With IMDSv1 a server-side request forgery or an open proxy on the "
            "instance is enough to read the instance role's temporary "
            "credentials from 169.254.169.254 - the path of several large cloud "
            "breaches. IMDSv2's PUT-issued token defeats those requests."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_instance" "app" {\n'
                "  # ...\n"
                "  metadata_options {\n"
                '    http_endpoint               = "enabled"\n'
                '    http_tokens                 = "required"\n'
                "    http_put_response_hop_limit = 1  # 2 for containers on the host\n"
                "  }\n"
                "}"
            ),
            console=(
                "EC2 console > Instances > instance > Actions > Instance settings > "
                "Modify instance metadata options > IMDSv2 Required. CLI: aws ec2 "
                "modify-instance-metadata-options --instance-id i-... "
                "--http-tokens required --http-endpoint enabled"
            ),
        ),
        runbook=(
            "Check the CloudWatch metric MetadataNoToken for the instance: zero "
            "means nothing uses IMDSv1 and you can require tokens now. Otherwise "
            "update the SDKs/agents that still call IMDSv1 first. If the instance "
            "serves untrusted input (web apps, proxies), look for role-credential "
            "use from outside AWS in CloudTrail."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1552.005",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("5.6",),
            "AWS Foundational Security Best Practices": ("EC2.8",),
        },
        references=(
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/"
            "configuring-instance-metadata-service.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        options = resource.get("metadata_options")
        block = first_block(options)
        if is_unknown(block):
            return Verdict.unknown(
                unknown_reason(options, "metadata_options"), "metadata_options"
            )
        if block is None:
            inherited = self._from_launch_template(resource, context)
            if inherited is not None:
                return inherited
            return Verdict.failed(
                'metadata_options is not set: http_tokens defaults to "optional"',
                "metadata_options",
            )
        assert not isinstance(block, Unknown)
        endpoint = block.get("http_endpoint")
        tokens = block.get("http_tokens")
        if isinstance(endpoint, str) and endpoint.lower() == "disabled":
            return Verdict.passed(
                'metadata_options.http_endpoint = "disabled"',
                "metadata_options.0.http_endpoint",
            )
        if is_unknown(tokens):
            return Verdict.unknown(
                unknown_reason(tokens, "metadata_options.http_tokens"),
                "metadata_options.0.http_tokens",
            )
        if isinstance(tokens, str) and tokens.lower() == "required":
            return Verdict.passed(
                'metadata_options.http_tokens = "required"',
                "metadata_options.0.http_tokens",
            )
        if is_unknown(endpoint):
            return Verdict.unknown(
                unknown_reason(endpoint, "metadata_options.http_endpoint"),
                "metadata_options.0.http_endpoint",
            )
        if tokens is None:
            return Verdict.failed(
                'metadata_options.http_tokens is not set (default "optional")',
                "metadata_options",
            )
        return Verdict.failed(
            f"metadata_options.http_tokens = {self.describe_value(tokens)}",
            "metadata_options.0.http_tokens",
        )

    def _from_launch_template(
        self, resource: Resource, context: CheckContext
    ) -> Verdict | None:
        """An instance without metadata_options takes its launch template's."""
        if resource.type != "aws_instance" or resource.side is not Side.IAC:
            return None
        spec = first_block(resource.get("launch_template"))
        if spec is None:
            return None
        path = "launch_template"
        if not isinstance(spec, Mapping):
            return Verdict.unknown("launch_template is not known statically", path)
        template = launch_template_named(spec, context)
        if template is None:
            return Verdict.unknown(
                "metadata_options come from a launch template this configuration "
                "does not resolve",
                path,
            )
        verdict = self.evaluate(template, context)
        return Verdict(
            verdict.status, f"from {template.address}: {verdict.message}", path
        )
