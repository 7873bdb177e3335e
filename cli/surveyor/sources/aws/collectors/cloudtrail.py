"""CloudTrail: trails and whether each is logging.

Each region lists the trails that apply to it, shadow copies of multi-region
trails included, so a trail homed in an uncollected region is still seen;
the runner keeps one resource per trail ARN.
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

TRAIL = "aws_cloudtrail"
ACCOUNT = "aws_account"


class CloudTrailCollector(Collector):
    service = "cloudtrail"
    scope = Scope.REGIONAL
    resource_types = (TRAIL,)
    # A missing trail list also leaves "is any trail logging" (an account fact) open.
    operations: ClassVar[Operations] = {
        "DescribeTrails": (TRAIL, ACCOUNT),
        "GetTrailStatus": (TRAIL,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        reply = ctx.call(client, "DescribeTrails", includeShadowTrails=True)
        if isinstance(reply, Failed) or reply is None:
            return
        for trail in reply.get("trailList", []):
            home = str(trail.get("HomeRegion") or ctx.region)
            if home != ctx.region and not trail.get("IsMultiRegionTrail"):
                continue
            _trail(ctx, client, trail, home)


def _trail(ctx: CollectContext, client: Any, trail: dict[str, Any], home: str) -> None:
    arn, name = str(trail["TrailARN"]), str(trail["Name"])
    # GetTrailStatus accepts the ARN from any region the trail applies to.
    status = ctx.call(client, "GetTrailStatus", Name=arn, resource_id=arn)
    ctx.emit(
        TRAIL,
        arn,
        {
            "name": name,
            "arn": arn,
            "home_region": home,
            "s3_bucket_name": trail.get("S3BucketName"),
            "s3_key_prefix": trail.get("S3KeyPrefix"),
            "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail", False)),
            "is_organization_trail": bool(trail.get("IsOrganizationTrail", False)),
            "include_global_service_events": bool(
                trail.get("IncludeGlobalServiceEvents", False)
            ),
            "enable_log_file_validation": bool(
                trail.get("LogFileValidationEnabled", False)
            ),
            "kms_key_id": trail.get("KmsKeyId"),
            "cloud_watch_logs_group_arn": trail.get("CloudWatchLogsLogGroupArn"),
            "sns_topic_name": trail.get("SnsTopicName"),
            "enable_logging": detail(status, lambda r: bool(r.get("IsLogging", False))),
        },
        name=name,
        arn=arn,
        region=home,
    )
