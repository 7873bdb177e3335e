"""Live AWS collection: boto3 responses normalized into canonical resources.

The same checks judge Terraform and the live account, so a collector's only
job is to produce EXACTLY the canonical shape (Terraform type and attribute
names and nesting, effective view) from API responses.

Adding a service (DynamoDB, SNS, ...): write `collectors/<service>.py` with
one subclass of `framework.Collector` and list it in `collectors.ALL`:

    class SqsCollector(Collector):
        service = "sqs"                      # boto3 client name
        scope = Scope.REGIONAL               # or Scope.GLOBAL: collected once
        resource_types = ("aws_sqs_queue",)  # canonical types it emits
        operations = {                       # every API call it makes, and the
            "ListQueues": ("aws_sqs_queue",),        # types incomplete when
            "GetQueueAttributes": ("aws_sqs_queue",),  # that call fails
        }
        iam_actions = {}   # only where the IAM action differs from sqs:<Op>

        def collect(self, ctx: CollectContext) -> None:
            client = ctx.client()
            urls = ctx.paginate(client, "ListQueues", "QueueUrls")
            if isinstance(urls, Failed):
                return                       # recorded; checks will ERROR
            for url in urls:                 # use ctx.map() to fan out
                reply = ctx.call(client, "GetQueueAttributes", QueueUrl=url,
                                 AttributeNames=["All"], resource_id=arn)
                ctx.emit("aws_sqs_queue", arn, {...}, arn=arn, name=name)

Rules of the pattern:
- Call the API only through `ctx.call` / `ctx.paginate` (never boto3 directly):
  they record failures as CollectionError data (AccessDenied, throttling that
  outlived retries, opt-in regions) and return `Failed`; write `Failed.unknown`
  (or use `framework.detail`) for the attributes that call would have filled.
  Pass `resource_id=<address>` on per-resource calls so the error is attached
  to that resource (which then never PASSes).
- Declare every operation in `operations`; `surveyor permissions` builds the
  read-only IAM policy from those declarations, and a test checks that every
  call made during collection is declared.
- Prefer list calls that already carry the data over per-resource calls.
- Put region-level facts on the region anchor with `ctx.set_region_attribute`
  and account-level facts with `ctx.set_account_attribute`.
- Redact secret-looking values with `surveyor.redact` before emitting them.
- boto3 is imported lazily; a Terraform-only scan never imports it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from surveyor.model import CollectionError, Resource, Side
from surveyor.model.types import ACCOUNT_ANCHOR, REGION_ANCHOR
from surveyor.redact import redact_value
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws.errors import (
    CREDENTIAL_CODES,
    AwsCredentialsError,
    error_code_and_message,
    to_collection_error,
)
from surveyor.sources.aws.framework import (
    GLOBAL,
    CollectContext,
    Collected,
    Scope,
)

__all__ = ["AwsCredentialsError", "AwsOptions", "collect_aws"]

logger = logging.getLogger(__name__)

DEFAULT_REGION = "us-east-1"
# Calls the runner itself makes, beside the collectors' (for `surveyor permissions`).
RUNNER_OPERATIONS = ("sts:GetCallerIdentity", "ec2:DescribeRegions")


@dataclass
class AwsOptions:
    profile: str | None = None
    regions: Sequence[
        str
    ] = ()  # empty: the session's region; ["all"]: every enabled one
    max_workers: int = 8  # (service, region) tasks at once
    detail_workers: int = 16  # per-resource calls at once, across tasks
    services: set[str] | None = None  # boto3 service names; None: every collector
    # botocore event handlers added to every client, e.g. ("before-call", fn).
    event_hooks: Sequence[tuple[str, Callable[..., Any]]] = field(default_factory=tuple)
    show_progress: bool | None = None  # None: when stderr is a terminal


def collect_aws(options: AwsOptions) -> ResourceSet:
    """Collect every declared service; failures come back as collection errors."""
    from surveyor.sources.aws.collectors import by_service
    from surveyor.sources.aws.progress import progress
    from surveyor.sources.aws.session import ClientFactory

    session = _session(options.profile)
    clients = ClientFactory(session, max_pool=max(10, options.detail_workers))
    for event, handler in options.event_hooks:
        clients.on(event, handler)
    home = _home_region(options.regions, session.region_name)
    account, partition = _identity(clients, home)
    regions, region_errors = _regions(clients, home, options.regions)

    collectors = [cls() for cls in by_service(options.services)]
    tasks = [
        (c, region)
        for c in collectors
        for region in ([GLOBAL] if c.scope is Scope.GLOBAL else regions)
    ]
    sink = Collected(errors=list(region_errors))
    with (
        ThreadPoolExecutor(options.detail_workers, "surveyor-detail") as details,
        ThreadPoolExecutor(options.max_workers, "surveyor-collect") as pool,
        progress(len(tasks), enabled=options.show_progress) as bar,
    ):
        futures = {
            pool.submit(
                _run_one,
                CollectContext(
                    collector,
                    region,
                    account=account,
                    partition=partition,
                    client_region=home if region == GLOBAL else region,
                    clients=clients,
                    details=details,
                    sink=sink,
                ),
            ): f"{collector.service} {region}"
            for collector, region in tasks
        }
        for future in as_completed(futures):
            future.result()
            bar.done(futures[future])
    return _assemble(sink, account, partition, regions)


def _run_one(ctx: CollectContext) -> None:
    try:
        ctx.collector.collect(ctx)
    except Exception as exc:
        # A bug or an unexpected response shape in one collector: record it as
        # data for every type it owns, and let the other collectors finish.
        logger.debug("collector %s crashed", ctx.collector.service, exc_info=True)
        code, message = error_code_and_message(exc)
        error = CollectionError(
            operation=f"{ctx.collector.service}:collect",
            region=ctx.region,
            code=f"CollectorFailed.{code}",
            message=message,
            resource_types=ctx.collector.resource_types,
        )
        ctx.record(error)


def _session(profile: str | None) -> Any:
    from botocore.exceptions import BotoCoreError

    from surveyor.sources.aws.session import make_session

    try:
        session = make_session(profile)
        credentials = session.get_credentials()
    except BotoCoreError as exc:  # unknown profile, broken config file
        raise AwsCredentialsError(f"cannot use AWS profile: {exc}") from exc
    if credentials is None:
        raise AwsCredentialsError(
            "no AWS credentials found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
            "AWS_SECRET_ACCESS_KEY, or pass --profile"
        )
    return session


def _home_region(requested: Sequence[str], session_region: str | None) -> str:
    explicit = [r for r in requested if r != "all"]
    return explicit[0] if explicit else session_region or DEFAULT_REGION


def _identity(clients: Any, home: str) -> tuple[str, str]:
    """(account id, partition) from sts:GetCallerIdentity."""
    try:
        reply = clients.client("sts", home).get_caller_identity()
    except Exception as exc:
        code, message = error_code_and_message(exc)
        hint = " (credentials rejected)" if code in CREDENTIAL_CODES else ""
        raise AwsCredentialsError(
            f"sts:GetCallerIdentity failed{hint}: {code}: {message}"
        ) from exc
    partition = str(reply.get("Arn", "arn:aws:")).split(":")[1] or "aws"
    return str(reply["Account"]), partition


def _regions(
    clients: Any, home: str, requested: Sequence[str]
) -> tuple[list[str], list[CollectionError]]:
    if "all" not in requested:
        chosen = list(dict.fromkeys(requested)) or [home]
        return chosen, []
    try:
        reply = clients.client("ec2", home).describe_regions()
    except Exception as exc:
        error = to_collection_error(exc, "ec2:DescribeRegions", home, (REGION_ANCHOR,))
        logger.warning(
            "cannot list regions, collecting %s only: %s", home, error.describe()
        )
        return [home], [error]
    names = sorted(
        str(r["RegionName"])
        for r in reply.get("Regions", [])
        if r.get("OptInStatus", "opt-in-not-required") != "not-opted-in"
    )
    return names or [home], []


def _assemble(
    sink: Collected, account: str, partition: str, regions: list[str]
) -> ResourceSet:
    # The same resource can be seen from several regions (a multi-region trail):
    # the first one wins; a resource's own failed calls are attached to it.
    by_id: dict[str, list[CollectionError]] = {}
    for error in sink.errors:
        if error.resource_id:
            by_id.setdefault(error.resource_id, []).append(error)
    resources: dict[str, Resource] = {}
    for emitted in sink.resources:
        if emitted.address in resources:
            continue
        # A safety net under every collector: nothing shaped like a key or a
        # token leaves collection, whatever a service returned.
        resources[emitted.address] = replace(
            emitted,
            attributes=redact_value(emitted.attributes),
            tags=redact_value(emitted.tags),
            errors=tuple(by_id.get(emitted.address, ())),
        )

    anchors = [
        Resource(
            type=ACCOUNT_ANCHOR,
            address=f"aws://{account}",
            attributes={
                "account_id": account,
                "partition": partition,
                "regions": list(regions),
                # When the account was read: age rules (AWS-IAM-007) judge a
                # snapshot as of its collection, not of the later scan.
                "collected_at": datetime.now(timezone.utc)
                .isoformat(timespec="seconds")
                .replace("+00:00", "Z"),
                **sink.account_attributes,
            },
            side=Side.LIVE,
            name=account,
            account=account,
            region=GLOBAL,
        ),
        *(
            Resource(
                type=REGION_ANCHOR,
                address=f"aws://{account}/{region}",
                attributes={"region": region, **sink.region_attributes.get(region, {})},
                side=Side.LIVE,
                name=region,
                account=account,
                region=region,
            )
            for region in regions
        ),
    ]
    errors = sorted(
        sink.errors, key=lambda e: (e.operation, e.region, e.resource_id or "")
    )
    return ResourceSet([*anchors, *resources.values()], collection_errors=errors)
