"""AWS-EC2-009: EBS encryption by default is off in the region."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, hcl_value, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import REGION_ANCHOR

SETTING = "aws_ebs_encryption_by_default"


class EbsDefaultEncryptionOff(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-009",
        title="EBS encryption by default is off in the region",
        severity=Severity.MEDIUM,
        resource_types=(SETTING, REGION_ANCHOR),
        description=(
            "The region's EBS encryption-by-default setting is off, so volumes "
            "and snapshot copies created without an explicit encrypted flag are "
            "stored unencrypted. In Terraform: aws_ebs_encryption_by_default "
            "with enabled = false (a declared resource defaults to true); live: "
            "each collected region's setting."
        ),
        rationale=(
            "One account-level switch per region guarantees every new volume is "
            "encrypted, whatever tool or person creates it, so no unencrypted "
            "volume or snapshot can be shared or copied out later."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_ebs_encryption_by_default" "this" {\n'
                "  enabled = true\n"
                "}\n"
                "# optional: aws_ebs_default_kms_key to use a customer-managed key"
            ),
            console=(
                "EC2 console (each region) > Settings > Data protection and "
                "security > EBS encryption > Manage > Always encrypt new EBS "
                "volumes. CLI: aws ec2 enable-ebs-encryption-by-default --region "
                "REGION"
            ),
        ),
        runbook=(
            "Enable the setting in the region (it affects only new volumes; "
            "existing instances keep running). Then look for unencrypted volumes "
            "and snapshots in the region (AWS-EC2-005) and plan their migration "
            "by snapshot copy with encryption."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.2.1",),
            "AWS Foundational Security Best Practices": ("EC2.7",),
        },
        references=(
            "https://docs.aws.amazon.com/ebs/latest/userguide/"
            "encryption-by-default.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == SETTING:
            return True
        # Live: judge the region anchor only when no setting resource was
        # emitted for that region (a collector may emit either form).
        # When the setting could not be read, the engine's ERROR result speaks.
        return not any(
            setting.region == resource.region
            for setting in context.resources.of_type(SETTING, side=Side.LIVE)
        ) and not context.resources.errors_for([SETTING], resource.region)

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == REGION_ANCHOR:
            return self._region(resource, context)
        value = resource.get("enabled")
        enabled = as_bool(value, default=True)
        if is_unknown(enabled):
            return Verdict.unknown(unknown_reason(value, "enabled"), "enabled")
        if enabled:
            shown = "is not set (default true)" if value is None else "= true"
            return Verdict.passed(f"enabled {shown}", "enabled")
        return Verdict.failed(f"enabled = {hcl_value(value)}", "enabled")

    def _region(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "ebs_encryption_by_default"
        value = resource.get(attribute)
        if is_unknown(value):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        if value is None:
            return Verdict.failed(
                f"{attribute} was not reported for {resource.region}: treated as off",
                attribute,
            )
        if as_bool(value) is True:
            return Verdict.passed(f"{attribute} = true in {resource.region}", attribute)
        return Verdict.failed(
            f"{attribute} = {hcl_value(value)} in {resource.region}",
            attribute,
        )
