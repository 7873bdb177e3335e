"""AWS-GD-001: GuardDuty is not enabled in the region."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, hcl_value, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import REGION_ANCHOR

DETECTOR = "aws_guardduty_detector"


class GuardDutyDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-GD-001",
        title="GuardDuty not enabled in the region",
        severity=Severity.HIGH,
        resource_types=(DETECTOR, REGION_ANCHOR),
        description=(
            "No GuardDuty detector is enabled in the region. In Terraform: an "
            "aws_guardduty_detector with enable = false (the default is true). "
            "Live: a region with no detector, or whose detector is not ENABLED."
        ),
        rationale=(
            "GuardDuty is the managed detection for credential misuse, crypto "
            "mining, reconnaissance and calls from known-bad addresses. Attackers "
            "favour regions nobody uses; a region without a detector is one where "
            "nothing raises an alarm."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_guardduty_detector" "this" {\n'
                "  enable                       = true\n"
                '  finding_publishing_frequency = "FIFTEEN_MINUTES"\n'
                "}"
            ),
            console=(
                "GuardDuty console (each region) > Get started > Enable GuardDuty; "
                "with AWS Organizations, enable it from the delegated administrator "
                "with auto-enable for all members. CLI: aws guardduty "
                "create-detector --enable --region REGION (or update-detector "
                "--detector-id ID --enable)"
            ),
        ),
        runbook=(
            "Check CloudTrail for DeleteDetector/UpdateDetector in the region: a "
            "detector disabled by someone other than the platform team is an "
            "incident (defense evasion). Re-enable it, then review the findings "
            "of the other regions for the same principal."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.001",),
        compliance={"AWS Foundational Security Best Practices": ("GuardDuty.1",)},
        references=(
            "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == DETECTOR:
            return True
        # The region anchor speaks only for regions without any detector; when
        # the listing failed, the engine's ERROR result speaks instead.
        return not _detectors_in(resource.region, context) and not (
            context.resources.errors_for([DETECTOR], resource.region)
        )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == REGION_ANCHOR:
            return Verdict.failed(f"no GuardDuty detector in {resource.region}")
        value = resource.get("enable")
        enabled = as_bool(value, default=True)
        if is_unknown(enabled):
            return Verdict.unknown(unknown_reason(value, "enable"), "enable")
        if enabled:
            shown = "is not set (default true)" if value is None else "= true"
            return Verdict.passed(f"enable {shown}", "enable")
        return Verdict.failed(f"enable = {hcl_value(value)}", "enable")


def _detectors_in(region: str | None, context: CheckContext) -> list[Resource]:
    return [
        detector
        for detector in context.resources.of_type(DETECTOR, side=Side.LIVE)
        if detector.region == region
    ]
