"""AWS-IAM-002: an IAM user who can sign in to the console without MFA."""

from __future__ import annotations

from collections.abc import Mapping

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_list
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri


def has_console_password(user: Resource) -> Tri:
    """`login_profile`: a bool, a dict (the profile) or None/{} for none."""
    profile = user.get("login_profile")
    if is_unknown(profile):
        return UNKNOWN
    if isinstance(profile, bool):
        return profile
    if isinstance(profile, (Mapping, list)):
        return bool(profile)
    return profile is not None


class ConsoleUserWithoutMfa(Check):
    meta = RuleMeta(
        id="AWS-IAM-002",
        title="IAM user with a console password has no MFA device",
        severity=Severity.HIGH,
        resource_types=("aws_iam_user",),
        description=(
            "A live IAM user has a login profile (a console password) and no "
            "MFA device, virtual or hardware, is associated with them. Read "
            "from the collected attributes login_profile (bool or the profile) "
            "and mfa_devices (a list)."
        ),
        rationale=(
            "A console password alone falls to phishing, reuse and guessing; "
            "MFA is what stops a stolen password from becoming a session."
        ),
        remediation=Remediation(
            terraform=(
                "# MFA devices are enrolled by the user, not in Terraform; "
                "enforce it\n"
                "# with a policy that denies everything without MFA:\n"
                'data "aws_iam_policy_document" "require_mfa" {\n'
                "  statement {\n"
                '    effect        = "Deny"\n'
                '    not_actions   = ["iam:CreateVirtualMFADevice", '
                '"iam:EnableMFADevice", "sts:GetSessionToken"]\n'
                '    resources     = ["*"]\n'
                "    condition {\n"
                '      test     = "BoolIfExists"\n'
                '      variable = "aws:MultiFactorAuthPresent"\n'
                '      values   = ["false"]\n'
                "    }\n"
                "  }\n"
                "}\n"
            ),
            console=(
                "IAM console > Users > user > Security credentials > Assign MFA "
                "device (the user does this at first sign-in). If the user does "
                "not need the console: Manage console access > Disable (aws iam "
                "delete-login-profile --user-name NAME)."
            ),
        ),
        runbook=(
            "Contain: if the user is unknown or inactive, delete the login "
            "profile (aws iam delete-login-profile). Verify: check the "
            "credential report (password_last_used) and CloudTrail ConsoleLogin "
            "events without MFA for unfamiliar source IPs. Fix: have the user "
            "enrol an MFA device, or move them to IAM Identity Center. Follow "
            "up: attach a deny-without-MFA policy to all console users."
        ),
        sides=frozenset({Side.LIVE}),
        side_reason="MFA devices are not in Terraform",
        mitre_attack=("T1556.006",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("1.10",),
            "AWS Foundational Security Best Practices": ("IAM.5",),
        },
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        password = has_console_password(resource)
        if is_unknown(password):
            return Verdict.unknown(
                "whether the user has a console password is not known"
            )
        if not password:
            return Verdict.passed("the user has no console password", "login_profile")
        devices = as_list(resource.get("mfa_devices"))
        if is_unknown(devices):
            return Verdict.unknown(
                "the user's MFA devices are not known", "mfa_devices"
            )
        if isinstance(devices, list) and devices:
            return Verdict.passed(
                f"console password with {len(devices)} MFA device(s)", "mfa_devices"
            )
        return Verdict.failed(
            "login_profile exists (console password) and mfa_devices is empty",
            "mfa_devices",
        )
