"""AWS-IAM-007: an active access key is older than 90 days."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import ACCOUNT_ANCHOR

MAX_AGE = timedelta(days=90)


def parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def observed_at(context: CheckContext, account: str | None) -> datetime:
    """When the account was looked at: the anchor's collected_at, else now.

    A snapshot scanned later is judged as of its collection, so the same
    snapshot always gives the same result.
    """
    for anchor in context.resources.of_type(ACCOUNT_ANCHOR, side=Side.LIVE):
        if account is None or anchor.account == account:
            stamp = anchor.get("collected_at")
            if isinstance(stamp, str) and (moment := parse_time(stamp)):
                return moment
    return datetime.now(timezone.utc)


class StaleAccessKey(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-IAM-007",
        title="Active access key older than 90 days",
        severity=Severity.MEDIUM,
        resource_types=("aws_iam_access_key", "aws_iam_user"),
        description=(
            "An IAM user's access key is Active and was created more than 90 days "
            "before the account was collected (the account anchor's collected_at, "
            "else the time of the scan)."
        ),
        rationale=(
            "Long-lived keys end up in laptops, CI logs, container images and "
            "public repositories. Rotating within 90 days bounds how long a "
            "leaked key stays useful."
        ),
        remediation=Remediation(
            terraform="",
            console=(
                "Create a second key (aws iam create-access-key --user-name USER), "
                "switch the consumer to it, deactivate the old key (aws iam "
                "update-access-key --user-name USER --access-key-id AKIA... "
                "--status Inactive), and delete it once nothing fails. Better: "
                "replace the user's keys with a role."
            ),
        ),
        runbook=(
            "Check aws iam get-access-key-last-used: a key unused for weeks can "
            "be deactivated at once. Otherwise contact the owner (user tags) to "
            "rotate. If the key's last use came from an unexpected region or "
            "service, treat it as leaked: deactivate now and review its CloudTrail "
            "activity."
        ),
        sides=frozenset({Side.LIVE}),
        side_reason=(
            "A key's creation date exists only in the account; Terraform shows the "
            "key resource but not when the key in use was made."
        ),
        mitre_attack=("T1098.001",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("1.14",),
            "AWS Foundational Security Best Practices": ("IAM.3",),
        },
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_credentials_access-keys.html#rotating_access_keys_console",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        # A user speaks only when its keys could not be listed, so that the
        # failure surfaces as this rule's ERROR rather than as silence.
        return resource.type == "aws_iam_access_key" or is_unknown(
            resource.get("access_keys")
        )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == "aws_iam_user":
            keys = resource.get("access_keys")
            return Verdict.unknown(unknown_reason(keys, "access_keys"), "access_keys")
        status = resource.get("status")
        if is_unknown(status):
            return Verdict.unknown(unknown_reason(status, "status"), "status")
        if str(status).lower() != "active":
            return Verdict.passed(f"status = {self.describe_value(status)}", "status")
        created = resource.get("create_date")
        if is_unknown(created):
            return Verdict.unknown(
                unknown_reason(created, "create_date"), "create_date"
            )
        moment = parse_time(created) if isinstance(created, str) else None
        if moment is None:
            return Verdict.unknown(
                f"create_date = {self.describe_value(created)} is not a timestamp",
                "create_date",
            )
        age = observed_at(context, resource.account) - moment
        if age > MAX_AGE:
            return Verdict.failed(
                f"active key created {created}, {age.days} days old (over "
                f"{MAX_AGE.days})",
                "create_date",
            )
        return Verdict.passed(f"active key is {age.days} days old", "create_date")
