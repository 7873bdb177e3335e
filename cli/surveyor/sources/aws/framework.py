"""The collector contract: what a service module declares and what it is given.

A collector is a class with class-level declarations (`service`, `scope`,
`resource_types`, `operations`) and one method, `collect(ctx)`, that reads the
API through `ctx` and emits canonical resources. It never raises for an API
failure: `ctx.call` / `ctx.paginate` record it as a CollectionError and return
a `Failed` marker, and the collector writes UNKNOWN for what it could not read.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, TypeVar

from surveyor.model import CollectionError, Resource, Side, Unknown
from surveyor.sources.aws.errors import to_collection_error
from surveyor.sources.aws.session import ClientFactory

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

GLOBAL = "global"


class Scope(enum.Enum):
    GLOBAL = "global"  # collected once per account (IAM, S3's bucket list)
    REGIONAL = "regional"  # collected in every requested region


@dataclass(frozen=True)
class Failed:
    """An API call that failed; the error is already recorded."""

    error: CollectionError

    @property
    def unknown(self) -> Unknown:
        return Unknown(f"{self.error.operation} failed: {self.error.code}")


Operations = Mapping[str, tuple[str, ...]]
Reply = dict[str, Any] | None | Failed  # a response, "does not exist", or failed


class Collector:
    """Base class for one service's collector; see the package docstring."""

    service: ClassVar[str]  # boto3 client name: "s3", "ec2"
    scope: ClassVar[Scope]
    resource_types: ClassVar[tuple[str, ...]]
    # API operation name -> the canonical types left incomplete when it fails.
    operations: ClassVar[Operations]
    # API operation -> IAM action, where the action is not "<service>:<Operation>".
    iam_actions: ClassVar[Mapping[str, str]] = {}
    # The IAM service prefix, when it differs from the boto3 client name.
    iam_prefix: ClassVar[str | None] = None

    def collect(self, ctx: CollectContext) -> None:
        raise NotImplementedError

    @classmethod
    def iam_action(cls, operation: str) -> str:
        """The IAM action that authorizes one of this collector's operations."""
        if ":" in operation:  # another client's call, declared as "svc:Op"
            service, _, name = operation.partition(":")
            return cls.iam_actions.get(operation, f"{service}:{name}")
        return cls.iam_actions.get(
            operation, f"{cls.iam_prefix or cls.service}:{operation}"
        )


@dataclass
class Collected:
    """What collectors emitted, merged across threads by the runner."""

    resources: list[Resource] = field(default_factory=list)
    errors: list[CollectionError] = field(default_factory=list)
    account_attributes: dict[str, Any] = field(default_factory=dict)
    region_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class CollectContext:
    """One collector's view of one region: clients, calls, and emitting."""

    def __init__(
        self,
        collector: Collector,
        region: str,
        *,
        account: str,
        partition: str,
        client_region: str,
        clients: ClientFactory,
        details: ThreadPoolExecutor,
        sink: Collected,
    ) -> None:
        self.collector = collector
        self.region = region  # "global" for global collectors
        self.account = account
        self.partition = partition
        self.client_region = client_region  # where a global service's calls go
        self._clients = clients
        self._details = details
        self._sink = sink

    # -- clients and calls -------------------------------------------------

    def client(self, service: str | None = None, region: str | None = None) -> Any:
        return self._clients.client(
            service or self.collector.service, region or self.client_region
        )

    def call(
        self,
        client: Any,
        operation: str,
        *,
        resource_id: str | None = None,
        absent: Iterable[str] = (),
        region: str | None = None,
        **params: Any,
    ) -> Reply:
        """Call one API operation; None when it answers with an `absent` code."""
        from botocore.exceptions import ClientError

        method = getattr(client, _snake(operation))
        try:
            response: dict[str, Any] = method(**params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in set(absent):
                return None
            return Failed(self.record_failure(exc, operation, resource_id, region))
        except Exception as exc:  # any other botocore failure is data too
            return Failed(self.record_failure(exc, operation, resource_id, region))
        return response

    def paginate(
        self,
        client: Any,
        operation: str,
        key: str,
        *,
        region: str | None = None,
        **params: Any,
    ) -> list[Any] | Failed:
        """Every item under `key` across all pages, or Failed."""
        items: list[Any] = []
        try:
            paginator = client.get_paginator(_snake(operation))
            for page in paginator.paginate(**params):
                items.extend(page.get(key, []))
        except Exception as exc:
            return Failed(self.record_failure(exc, operation, None, region))
        return items

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run per-resource detail work concurrently; results keep item order.

        The function must not call `map` itself: detail work runs on one
        bounded pool, and nesting could leave every worker waiting on another.
        """
        return list(self._details.map(function, items))

    def record_failure(
        self,
        exc: Exception,
        operation: str,
        resource_id: str | None = None,
        region: str | None = None,
    ) -> CollectionError:
        """Record a failed call (for calls made outside `call`/`paginate`)."""
        prefix = self.collector.service if ":" not in operation else ""
        qualified = operation if not prefix else f"{prefix}:{operation}"
        declared = self.collector.operations.get(operation)
        types = declared if declared is not None else self.collector.resource_types
        error = to_collection_error(
            exc, qualified, region or self.region, tuple(types), resource_id
        )
        self.record(error)
        return error

    def record(self, error: CollectionError) -> None:
        logger.info("%s", error.describe())
        with self._sink.lock:
            self._sink.errors.append(error)

    # -- emitting ------------------------------------------------------------

    def emit(
        self,
        type_: str,
        address: str,
        attributes: Mapping[str, Any],
        *,
        name: str = "",
        arn: str | None = None,
        region: str | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> None:
        resource = Resource(
            type=type_,
            address=address,
            attributes=dict(attributes),
            side=Side.LIVE,
            name=name,
            arn=arn,
            account=self.account,
            region=region or self.region,
            tags=dict(tags or {}),
        )
        with self._sink.lock:
            self._sink.resources.append(resource)

    def set_account_attribute(self, key: str, value: Any) -> None:
        with self._sink.lock:
            self._sink.account_attributes[key] = value

    def set_region_attribute(self, key: str, value: Any) -> None:
        with self._sink.lock:
            self._sink.region_attributes.setdefault(self.region, {})[key] = value

    # -- helpers -------------------------------------------------------------

    def arn(
        self, service: str, resource: str, *, region: str = "", account: str = ""
    ) -> str:
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"

    def regional_arn(self, service: str, resource: str) -> str:
        """The ARN of a resource in this context's region and account."""
        return self.arn(service, resource, region=self.region, account=self.account)


def detail(
    reply: Reply, convert: Callable[[dict[str, Any]], Any], absent: Any = None
) -> Any:
    """A converted response, `absent` when it does not exist, UNKNOWN if it failed."""
    if isinstance(reply, Failed):
        return reply.unknown
    if reply is None:
        return absent
    return convert(reply)


def iso(value: Any) -> str | None:
    """botocore datetimes as ISO 8601 UTC text (snapshots are JSON)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        when = value.astimezone(timezone.utc) if value.tzinfo else value
        return when.isoformat().replace("+00:00", "Z")
    return str(value)


def tags_of(items: Iterable[Mapping[str, Any]] | None) -> dict[str, str]:
    """AWS [{Key, Value}] tag lists as a dict."""
    return {str(t["Key"]): str(t.get("Value", "")) for t in items or () if "Key" in t}


def _snake(operation: str) -> str:
    """Botocore's method name for "GetBucketAcl" or "s3control:GetPublicAccessBlock"."""
    from botocore import xform_name

    return str(xform_name(operation.rpartition(":")[2]))
