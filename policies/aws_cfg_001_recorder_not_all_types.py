"""AWS-CFG-001: AWS Config is not recording every resource type in the region."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, hcl_value, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import REGION_ANCHOR

RECORDER = "aws_config_configuration_recorder"
GROUP = "recording_group"


STATUS = "aws_config_configuration_recorder_status"


def _stopped_by_status_resource(
    recorder: Resource, context: CheckContext
) -> str | None:
    """In Terraform, the status resource that keeps this recorder switched off."""
    if recorder.side is not Side.IAC or not isinstance(recorder.get("name"), str):
        return None
    for status in context.resources.of_type(STATUS, side=Side.IAC):
        if status.get("name") == recorder.get("name") and (
            as_bool(status.get("is_enabled")) is False
        ):
            return status.address
    return None


class ConfigRecorderNotAllTypes(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-CFG-001",
        title="AWS Config recorder not recording all resource types",
        severity=Severity.MEDIUM,
        resource_types=(RECORDER, REGION_ANCHOR),
        description=(
            "The configuration recorder records only some resource types "
            "(recording_group.all_supported = false, an inclusion or exclusion "
            "list). A recorder without a recording_group records all supported "
            "types (all_supported defaults to true) and passes. A recorder that is "
            "stopped fails too: live, is_enabled false in the recorder status; in "
            "Terraform, an aws_config_configuration_recorder_status naming it with "
            "is_enabled = false. Live, a region without a recorder fails."
        ),
        rationale=(
            "Config's history answers 'what did this look like, and who changed "
            "it, when' during an investigation, and feeds Security Hub and "
            "conformance packs. Types left out are changes nobody can "
            "reconstruct afterwards."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_config_configuration_recorder" "this" {\n'
                '  name     = "default"\n'
                "  role_arn = aws_iam_service_linked_role.config.arn\n"
                "  recording_group {\n"
                "    all_supported                 = true\n"
                "    include_global_resource_types = true  # in one region only\n"
                "  }\n"
                "}\n"
                'resource "aws_config_configuration_recorder_status" "this" {\n'
                "  name       = aws_config_configuration_recorder.this.name\n"
                "  is_enabled = true\n"
                "  depends_on = [aws_config_delivery_channel.this]\n"
                "}"
            ),
            console=(
                "AWS Config console (each region) > Settings > Edit > Recording "
                "strategy: All resource types with customizable overrides, "
                "recording on. CLI: aws configservice "
                "put-configuration-recorder --configuration-recorder "
                "name=default,roleARN=ROLE --recording-group "
                "allSupported=true,includeGlobalResourceTypes=true; aws "
                "configservice start-configuration-recorder "
                "--configuration-recorder-name default"
            ),
        ),
        runbook=(
            "If the recorder was stopped or narrowed recently, CloudTrail "
            "StopConfigurationRecorder / PutConfigurationRecorder names who did "
            "it; unexpected changes are defense evasion. Otherwise agree with the "
            "platform team on cost (exclusions are acceptable only with a "
            "recorded reason) and turn full recording on."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.008",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.3",),
            "AWS Foundational Security Best Practices": ("Config.1",),
        },
        references=(
            "https://docs.aws.amazon.com/config/latest/developerguide/"
            "select-resources.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == RECORDER:
            return True
        # The region anchor speaks only for regions without a recorder; when
        # the listing failed, the engine's ERROR result speaks instead.
        return not any(
            recorder.region == resource.region
            for recorder in context.resources.of_type(RECORDER, side=Side.LIVE)
        ) and not context.resources.errors_for([RECORDER], resource.region)

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == REGION_ANCHOR:
            return Verdict.failed(f"no AWS Config recorder in {resource.region}")
        stopped = _stopped_by_status_resource(resource, context)
        if stopped is not None:
            return Verdict.failed(
                f"{stopped} sets is_enabled = false for this recorder"
            )
        if resource.side is Side.LIVE:
            running = as_bool(resource.get("is_enabled"))
            if is_unknown(running):
                return Verdict.unknown(
                    unknown_reason(resource.get("is_enabled"), "is_enabled"),
                    "is_enabled",
                )
            if running is False:
                return Verdict.failed("is_enabled = false: the recorder is stopped")
        return self._judge_group(resource)

    def _judge_group(self, resource: Resource) -> Verdict:
        group = first_block(resource.get(GROUP))
        if is_unknown(group):
            return Verdict.unknown(unknown_reason(resource.get(GROUP), GROUP), GROUP)
        if group is None:
            return Verdict.passed(
                "recording_group is not set: all supported types are recorded"
            )
        assert isinstance(group, Mapping)
        strategy = first_block(group.get("recording_strategy"))
        if isinstance(strategy, Mapping):
            use_only = strategy.get("use_only")
            if isinstance(use_only, str) and use_only != "ALL_SUPPORTED_RESOURCE_TYPES":
                return Verdict.failed(
                    f'recording_group.recording_strategy.use_only = "{use_only}"',
                    f"{GROUP}.0.recording_strategy.0.use_only",
                )
        path = f"{GROUP}.0.all_supported"
        value = group.get("all_supported")
        everything = as_bool(value, default=True)
        if is_unknown(everything):
            return Verdict.unknown(unknown_reason(value, "all_supported"), path)
        if everything:
            return Verdict.passed("recording_group.all_supported = true", path)
        return Verdict.failed(
            f"recording_group.all_supported = {hcl_value(value)}", path
        )
