"""AWS-IAM-005: the account password policy is shorter than 14 or allows reuse."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import ACCOUNT_ANCHOR

POLICY = "aws_iam_account_password_policy"
MIN_LENGTH = 14
PROVIDER_DEFAULT_LENGTH = 6  # the provider's and IAM's default minimum


def _number(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _length(value: Any) -> int | None:
    return PROVIDER_DEFAULT_LENGTH if value is None else _number(value)


class WeakPasswordPolicy(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-IAM-005",
        title="Account password policy weaker than 14 characters or allows reuse",
        severity=Severity.MEDIUM,
        resource_types=(POLICY, ACCOUNT_ANCHOR),
        description=(
            "The IAM account password policy allows passwords shorter than 14 "
            "characters (minimum_password_length unset means 6) or does not "
            "prevent reuse (password_reuse_prevention unset or 0). Live, an "
            "account with no password policy at all fails as well."
        ),
        rationale=(
            "IAM user console passwords are attacked by spraying and credential "
            "stuffing; length is what makes guessing infeasible, and reuse "
            "prevention stops a rotated, leaked password from coming back."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_iam_account_password_policy" "this" {\n'
                "  minimum_password_length   = 14\n"
                "  password_reuse_prevention = 24\n"
                "  require_symbols           = true\n"
                "  require_numbers           = true\n"
                "  require_uppercase_characters = true\n"
                "  require_lowercase_characters = true\n"
                "}"
            ),
            console=(
                "IAM console > Account settings > Password policy > Edit > Custom: "
                "minimum length 14, prevent password reuse (24). CLI: aws iam "
                "update-account-password-policy --minimum-password-length 14 "
                "--password-reuse-prevention 24"
            ),
        ),
        runbook=(
            "Set the policy (it applies at each user's next password change; "
            "existing passwords keep working). Where IAM users still sign in to "
            "the console, consider moving them to IAM Identity Center and check "
            "AWS-IAM-002 (MFA) for the same users."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1110",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("1.8", "1.9"),
            "AWS Foundational Security Best Practices": ("IAM.7",),
        },
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_credentials_passwords_account-policy.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == POLICY:
            return True
        # The account anchor stands in only for an account without a policy;
        # when the policy could not be read, the engine's ERROR result speaks.
        return context.resources.account_setting(
            POLICY, side=Side.LIVE, account=resource.account
        ) is None and not context.resources.errors_for([POLICY])

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == ACCOUNT_ANCHOR:
            if is_unknown(resource.get("password_policy")):
                return Verdict.unknown(
                    unknown_reason(resource.get("password_policy"), "password_policy"),
                    "password_policy",
                )
            return Verdict.failed(
                "the account has no IAM password policy (IAM default: 8 characters, "
                "reuse allowed)"
            )
        length = resource.get("minimum_password_length")
        reuse = resource.get("password_reuse_prevention")
        # Either weakness alone fails, whatever the other value is.
        length_value = None if is_unknown(length) else _length(length)
        if length_value is not None and length_value < MIN_LENGTH:
            shown = "not set (default 6)" if length is None else f"= {length}"
            return Verdict.failed(
                f"minimum_password_length {shown}, below {MIN_LENGTH}",
                "minimum_password_length",
            )
        remembered = None if is_unknown(reuse) else _number(reuse) if reuse else 0
        if remembered is not None and remembered <= 0:
            shown = "not set" if reuse is None else f"= {reuse}"
            return Verdict.failed(
                f"password_reuse_prevention {shown}: old passwords may be reused",
                "password_reuse_prevention",
            )
        for attribute, value in (
            ("minimum_password_length", length),
            ("password_reuse_prevention", reuse),
        ):
            if is_unknown(value):
                return Verdict.unknown(unknown_reason(value, attribute), attribute)
            if _number(value) is None:
                return Verdict.unknown(
                    f"{attribute} = {self.describe_value(value)} is not a number",
                    attribute,
                )
        return Verdict.passed(
            f"minimum_password_length = {length_value}, "
            f"password_reuse_prevention = {remembered}",
            "minimum_password_length",
        )
