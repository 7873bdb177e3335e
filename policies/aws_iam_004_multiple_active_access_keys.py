"""AWS-IAM-004: a user has more than one active access key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri

USER = "aws_iam_user"
ACCESS_KEY = "aws_iam_access_key"


def is_active(status: Any) -> Tri:
    """aws_iam_access_key.status: "Active" (the default) or "Inactive"."""
    if is_unknown(status):
        return UNKNOWN
    return status is None or str(status).lower() == "active"


def same_user(left: Any, right: Any) -> Tri:
    if is_unknown(left) or is_unknown(right):
        left_ref, right_ref = (
            getattr(left, "address", None),
            getattr(right, "address", None),
        )
        if left_ref is not None and left_ref == right_ref:
            return True
        return UNKNOWN
    return bool(left == right)


class MultipleActiveAccessKeys(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-IAM-004",
        title="User has more than one active access key",
        severity=Severity.MEDIUM,
        resource_types=(USER, ACCESS_KEY),
        description=(
            "An IAM user has two active access keys. In Terraform, two or more "
            "aws_iam_access_key resources (status Active, the default) for the "
            "same user; each of them is reported, on its user line. Live, the "
            "user's ListAccessKeys result."
        ),
        rationale=(
            "Two keys are meant to overlap only briefly during a rotation. A "
            "second long-lived key doubles what can leak, and it is often the "
            "forgotten one: still valid after the 'rotated' key was replaced."
        ),
        remediation=Remediation(
            terraform=(
                "# One key per user; rotate by adding the new key, switching the\n"
                "# consumer, then removing the old resource.\n"
                'resource "aws_iam_access_key" "ci" {\n'
                "  user = aws_iam_user.ci.name\n"
                "}"
            ),
            console=(
                "IAM console > Users > user > Security credentials > Access keys: "
                "check 'Last used' of each, deactivate the unused one, then delete "
                "it. CLI: aws iam update-access-key --user-name USER "
                "--access-key-id AKIA... --status Inactive; aws iam "
                "delete-access-key --user-name USER --access-key-id AKIA..."
            ),
        ),
        runbook=(
            "Use aws iam get-access-key-last-used for both keys. The unused or "
            "older one is deactivated first (reversible), deleted after a week "
            "without complaints. Prefer replacing the user's keys with a role "
            "(OIDC for CI, instance profiles, IAM Roles Anywhere)."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1098.001",),
        compliance={"CIS AWS Foundations v3.0.0": ("1.13",)},
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_credentials_access-keys.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        # Terraform declares keys as their own resources, possibly for users
        # declared elsewhere; the API lists them on the user.
        wanted = ACCESS_KEY if resource.side is Side.IAC else USER
        return resource.type == wanted

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.side is Side.LIVE:
            return self._live_user(resource)
        return self._declared_key(resource, context)

    def _declared_key(self, resource: Resource, context: CheckContext) -> Verdict:
        user = resource.get("user")
        active = is_active(resource.get("status"))
        if active is False:
            return Verdict.passed('status = "Inactive"', "status")
        if is_unknown(user) and getattr(user, "address", None) is None:
            return Verdict.unknown(unknown_reason(user, "user"), "user")
        siblings: list[str] = []
        uncertain: list[str] = []
        for other in context.resources.of_type(ACCESS_KEY, side=Side.IAC):
            if other.address == resource.address:
                continue
            match = same_user(user, other.get("user"))
            other_active = is_active(other.get("status"))
            if match is True and other_active is True:
                siblings.append(other.address)
            elif match is not False and other_active is not False:
                uncertain.append(other.address)
        shown = self.describe_value(getattr(user, "address", user))
        if siblings and active is True:
            return Verdict.failed(
                f"user = {shown} has {len(siblings) + 1} active access keys: this "
                f"one and {', '.join(siblings)}",
                "user",
            )
        if siblings or uncertain:
            return Verdict.unknown(
                f"user = {shown}: whether {', '.join(siblings + uncertain)} is another "
                "active key of the same user is not known statically",
                "user",
            )
        return Verdict.passed(f"the only active access key of user = {shown}", "user")

    def _live_user(self, resource: Resource) -> Verdict:
        keys = resource.get("access_keys")
        if is_unknown(keys):
            return Verdict.unknown(unknown_reason(keys, "access_keys"), "access_keys")
        active = [
            key
            for key in keys or []
            if isinstance(key, Mapping) and is_active(key.get("status")) is True
        ]
        if len(active) > 1:
            ids = ", ".join(str(key.get("id")) for key in active)
            return Verdict.failed(
                f"{len(active)} active access keys: {ids}", "access_keys"
            )
        return Verdict.passed(f"{len(active)} active access key(s)", "access_keys")
