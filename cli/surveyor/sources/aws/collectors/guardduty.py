"""GuardDuty: the region's detector, if any, and whether it is enabled.

A region has at most one detector. A region without one emits nothing: the
region anchor stands for it (AWS-GD-001 fails there unless ListDetectors
failed, which is recorded and becomes an ERROR).
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    detail,
)

DETECTOR = "aws_guardduty_detector"


class GuardDutyCollector(Collector):
    service = "guardduty"
    scope = Scope.REGIONAL
    resource_types = (DETECTOR,)
    operations: ClassVar[Operations] = {
        "ListDetectors": (DETECTOR,),
        "GetDetector": (DETECTOR,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        ids = ctx.paginate(client, "ListDetectors", "DetectorIds")
        if isinstance(ids, Failed):
            return
        ctx.map(lambda detector_id: _detector(ctx, client, str(detector_id)), ids)


def _detector(ctx: CollectContext, client: Any, detector_id: str) -> None:
    arn = ctx.regional_arn("guardduty", f"detector/{detector_id}")
    reply = ctx.call(client, "GetDetector", DetectorId=detector_id, resource_id=arn)
    found: dict[str, Any] = reply if isinstance(reply, dict) else {}
    ctx.emit(
        DETECTOR,
        arn,
        {
            "id": detector_id,
            "arn": arn,
            # Status is ENABLED or DISABLED; Terraform's `enable` is the bool.
            "enable": detail(reply, lambda r: r.get("Status") == "ENABLED", False),
            "finding_publishing_frequency": found.get("FindingPublishingFrequency"),
            "service_role": found.get("ServiceRole"),
        },
        name=detector_id,
        arn=arn,
        tags={str(k): str(v) for k, v in (found.get("Tags") or {}).items()},
    )
