"""AWS Config: the region's configuration recorder, what it records, and
whether it is running (DescribeConfigurationRecorderStatus, folded into the
recorder as `is_enabled`, the attribute name of
aws_config_configuration_recorder_status).

A region without a recorder emits nothing: the region anchor stands for it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

RECORDER = "aws_config_configuration_recorder"


class ConfigCollector(Collector):
    service = "config"
    scope = Scope.REGIONAL
    resource_types = (RECORDER,)
    operations: ClassVar[Operations] = {
        "DescribeConfigurationRecorders": (RECORDER,),
        "DescribeConfigurationRecorderStatus": (RECORDER,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        reply = ctx.call(client, "DescribeConfigurationRecorders")
        if isinstance(reply, Failed) or reply is None:
            return
        recorders = reply.get("ConfigurationRecorders", [])
        if not recorders:
            return
        # One recorder per region is the AWS limit: a failed status call is
        # attached to it, so the recorder reports ERROR rather than UNKNOWN.
        arns = [_arn(ctx, recorder) for recorder in recorders]
        status = ctx.call(
            client,
            "DescribeConfigurationRecorderStatus",
            resource_id=arns[0] if len(arns) == 1 else None,
        )
        running: dict[str, bool] = {}
        if isinstance(status, dict):
            running = {
                str(s.get("name")): bool(s.get("recording", False))
                for s in status.get("ConfigurationRecordersStatus", [])
            }
        for recorder, arn in zip(recorders, arns, strict=True):
            name = str(recorder.get("name", "default"))
            is_enabled: Any = (
                status.unknown
                if isinstance(status, Failed)
                else running.get(name, False)
            )
            ctx.emit(
                RECORDER,
                arn,
                {
                    "name": name,
                    "arn": arn,
                    "role_arn": recorder.get("roleARN"),
                    "recording_group": _recording_group(recorder.get("recordingGroup")),
                    "is_enabled": is_enabled,
                },
                name=name,
                arn=arn,
            )


def _arn(ctx: CollectContext, recorder: dict[str, Any]) -> str:
    name = str(recorder.get("name", "default"))
    return str(
        recorder.get("arn")
        or ctx.regional_arn("config", f"configuration-recorder/{name}")
    )


def _recording_group(group: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The API's recordingGroup as Terraform's recording_group block.

    The API fills in allSupported (true unless types were chosen); absent, the
    recorder records everything, as Terraform's default does.
    """
    if not group:
        return []
    exclusions = group.get("exclusionByResourceTypes") or {}
    strategy = group.get("recordingStrategy") or {}
    return [
        {
            "all_supported": bool(group.get("allSupported", True)),
            "include_global_resource_types": bool(
                group.get("includeGlobalResourceTypes", False)
            ),
            "resource_types": sorted(group.get("resourceTypes", [])),
            "exclusion_by_resource_types": (
                [{"resource_types": sorted(exclusions.get("resourceTypes", []))}]
                if exclusions.get("resourceTypes")
                else []
            ),
            "recording_strategy": (
                [{"use_only": strategy["useOnly"]}] if strategy.get("useOnly") else []
            ),
        }
    ]
