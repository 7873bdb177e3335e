"""AWS-IAM-003: the root user has access keys."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.types import ACCOUNT_ANCHOR

ATTRIBUTE = "root_access_keys_present"


class RootAccessKeys(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-IAM-003",
        title="Root account has access keys",
        severity=Severity.CRITICAL,
        resource_types=(ACCOUNT_ANCHOR,),
        description=(
            "The account's root user has at least one access key (IAM "
            "GetAccountSummary AccountAccessKeysPresent, the same fact as the "
            "credential report's <root_account> row)."
        ),
        rationale=(
            "A root access key is a long-lived credential that no IAM policy, "
            "permissions boundary or SCP can restrict: whoever holds it owns the "
            "account, including billing, closure and every guardrail."
        ),
        remediation=Remediation(
            terraform="",
            console=(
                "Sign in as the root user > account menu > Security credentials > "
                "Access keys > Deactivate, then Delete each key. With AWS "
                "Organizations, centralized root access management "
                "(aws organizations enable-aws-service-access --service-principal "
                "iam.amazonaws.com; aws iam enable-organizations-root-credentials-"
                "management) removes member-account root credentials for good."
            ),
        ),
        runbook=(
            "Page the account owner. Before deleting, check CloudTrail for calls "
            "with userIdentity.type = Root and an accessKeyId in the last 90 "
            "days: any use you cannot explain is an incident. Find what uses the "
            "key (last-used service/region in the credential report), move it to "
            "an IAM role, then deactivate and delete the key and rotate the root "
            "password and MFA if the key may have leaked."
        ),
        sides=frozenset({Side.LIVE}),
        side_reason=(
            "Root user access keys do not exist in Terraform; only the API sees them."
        ),
        mitre_attack=("T1078.004",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("1.4",),
            "AWS Foundational Security Best Practices": ("IAM.4",),
        },
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_root-user_manage_delete-key.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        value = resource.get(ATTRIBUTE)
        present = as_bool(value)
        if is_unknown(present):
            return Verdict.unknown(unknown_reason(value, ATTRIBUTE), ATTRIBUTE)
        if present is None:
            return Verdict.unknown(
                f"{ATTRIBUTE} was not collected (IAM GetAccountSummary)", ATTRIBUTE
            )
        if present:
            return Verdict.failed(
                f"{ATTRIBUTE} = true: the root user has an access key", ATTRIBUTE
            )
        return Verdict.passed(f"{ATTRIBUTE} = false", ATTRIBUTE)
