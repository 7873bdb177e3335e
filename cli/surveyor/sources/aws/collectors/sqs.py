"""SQS: queues with their encryption (GetQueueAttributes, one call a queue).

A queue whose attributes omit SqsManagedSseEnabled (queues older than SSE-SQS)
is emitted with it false: AWS did not encrypt it.
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

QUEUE = "aws_sqs_queue"


class SqsCollector(Collector):
    service = "sqs"
    scope = Scope.REGIONAL
    resource_types = (QUEUE,)
    operations: ClassVar[Operations] = {
        "ListQueues": (QUEUE,),
        "GetQueueAttributes": (QUEUE,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        urls = ctx.paginate(client, "ListQueues", "QueueUrls")
        if isinstance(urls, Failed):
            return
        ctx.map(lambda url: _queue(ctx, client, str(url)), urls)


def _queue(ctx: CollectContext, client: Any, url: str) -> None:
    name = url.rstrip("/").rsplit("/", 1)[-1]
    guess = ctx.regional_arn("sqs", name)
    reply = ctx.call(
        client,
        "GetQueueAttributes",
        QueueUrl=url,
        AttributeNames=["All"],
        resource_id=guess,
    )
    attributes: dict[str, Any]
    if isinstance(reply, Failed):
        unknown = reply.unknown
        attributes = {"kms_master_key_id": unknown, "sqs_managed_sse_enabled": unknown}
        arn = guess
    else:
        found = (reply or {}).get("Attributes", {})
        arn = str(found.get("QueueArn") or guess)
        attributes = {
            "kms_master_key_id": found.get("KmsMasterKeyId") or None,
            "sqs_managed_sse_enabled": str(
                found.get("SqsManagedSseEnabled", "false")
            ).lower()
            == "true",
            "fifo_queue": str(found.get("FifoQueue", "false")).lower() == "true",
        }
    ctx.emit(
        QUEUE,
        arn,
        {"name": name, "arn": arn, "url": url, **attributes},
        name=name,
        arn=arn,
    )
