"""SNS: topics with their KMS key (GetTopicAttributes, one call a topic)."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

TOPIC = "aws_sns_topic"


class SnsCollector(Collector):
    service = "sns"
    scope = Scope.REGIONAL
    resource_types = (TOPIC,)
    operations: ClassVar[Operations] = {
        "ListTopics": (TOPIC,),
        "GetTopicAttributes": (TOPIC,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        topics = ctx.paginate(client, "ListTopics", "Topics")
        if isinstance(topics, Failed):
            return
        ctx.map(lambda topic: _topic(ctx, client, str(topic["TopicArn"])), topics)


def _topic(ctx: CollectContext, client: Any, arn: str) -> None:
    name = arn.rsplit(":", 1)[-1]
    reply = ctx.call(client, "GetTopicAttributes", TopicArn=arn, resource_id=arn)
    key: Any
    if isinstance(reply, Failed):
        key, display = reply.unknown, None
    else:
        attributes = (reply or {}).get("Attributes", {})
        key = attributes.get("KmsMasterKeyId") or None
        display = attributes.get("DisplayName")
    ctx.emit(
        TOPIC,
        arn,
        {"name": name, "arn": arn, "display_name": display, "kms_master_key_id": key},
        name=name,
        arn=arn,
    )
