"""AWS-IAM-006: a role trusts anyone, or another account without a condition."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import load_policy, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import PolicyDocument, Statement

ACCOUNT_OF = re.compile(r"^(?:(\d{12})|arn:aws[\w-]*:(?:iam|sts)::(\d{12}):.*)$")
# Keys that pin a cross-account caller: the external id the third party must
# send, or the caller's AWS Organization.
CROSS_ACCOUNT_KEYS = frozenset(
    {"sts:externalid", "aws:principalorgid", "aws:principalorgpaths"}
)
MATCHING = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "foranyvalue:stringlike"}
)
# Computed values that are, by construction, this account's own principals.
SAME_ACCOUNT_SOURCES = ("data.aws_caller_identity.", "aws_iam_role.", "aws_iam_user.")
MODULE_PREFIX = re.compile(r'^(?:module\.[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])?\.)+')


def pins_cross_account(statement: Statement) -> bool:
    """An ExternalId or organization condition whose values are not wildcards.

    An unknown value (`values = [var.external_id]`) still pins: the condition
    is there whatever the id turns out to be.
    """
    for condition in statement.conditions:
        operator = condition.operator.lower().removeprefix("foranyvalue:")
        if condition.key.lower() not in CROSS_ACCOUNT_KEYS:
            continue
        if operator not in MATCHING or not condition.values:
            continue
        if all(
            is_unknown(v) or (isinstance(v, str) and v.strip("*"))
            for v in condition.values
        ):
            return True
    return False


def declared_here(value: Any) -> bool:
    """A computed value of this account's caller identity or of a declared role/user."""
    address = getattr(value, "address", None)
    if not isinstance(address, str):
        return False
    local = MODULE_PREFIX.sub("", address)  # module.x["a"].aws_iam_role.this
    return any(local.startswith(prefix) for prefix in SAME_ACCOUNT_SOURCES)


class OpenRoleTrust(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-IAM-006",
        title=(
            "Role trust policy allows any principal, or another account without "
            "an ExternalId or org condition"
        ),
        severity=Severity.HIGH,
        resource_types=("aws_iam_role",),
        description=(
            'An Allow statement of the role\'s assume_role_policy names Principal "*" '
            '(or AWS "*") without a restricting condition such as '
            "aws:PrincipalOrgID, or names another account (its root or any of its "
            "principals) without an sts:ExternalId or aws:PrincipalOrgID "
            "condition. Service principals pass, as does this account's own. In "
            "Terraform the deploying account is not known, so a literal account "
            "id is UNKNOWN unless it comes from data.aws_caller_identity; "
            "federated (SAML/OIDC) principals are not judged here."
        ),
        rationale=(
            "Whoever may assume the role gets its permissions. A wildcard trust "
            "lets any AWS account in; an unconditioned cross-account trust lets "
            "any principal the other account's admins choose in, and opens the "
            "confused-deputy path an ExternalId exists to close."
        ),
        remediation=Remediation(
            terraform=(
                'data "aws_iam_policy_document" "trust" {\n'
                "  statement {\n"
                '    actions = ["sts:AssumeRole"]\n'
                "    principals {\n"
                '      type        = "AWS"\n'
                '      identifiers = ["arn:aws:iam::111122223333:role/vendor"]\n'
                "    }\n"
                "    condition {\n"
                '      test     = "StringEquals"\n'
                '      variable = "sts:ExternalId"\n'
                "      values   = [var.vendor_external_id]\n"
                "    }\n"
                "  }\n"
                "}\n"
                'resource "aws_iam_role" "vendor" {\n'
                '  name               = "vendor-access"\n'
                "  assume_role_policy = data.aws_iam_policy_document.trust.json\n"
                "}"
            ),
            console=(
                "IAM console > Roles > role > Trust relationships > Edit trust "
                'policy: replace "*" with the exact principal ARNs and add a '
                'Condition {"StringEquals":{"sts:ExternalId":"..."}} (third '
                'parties) or {"StringEquals":{"aws:PrincipalOrgID":"o-..."}} '
                "(your organization). CLI: aws iam update-assume-role-policy "
                "--role-name ROLE --policy-document file://trust.json"
            ),
        ),
        runbook=(
            "Look up who assumed the role (CloudTrail AssumeRole events with "
            "this role ARN, grouped by userIdentity.accountId and sourceIPAddress). "
            "Any account you cannot name is an incident: tighten the trust policy "
            "first, then revoke active sessions (Revoke active sessions in the "
            "console, an aws:TokenIssueTime deny policy) and review what the "
            "sessions did."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1199",),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_roles_create_for-user_externalid.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "assume_role_policy"
        raw = resource.get(attribute)
        document = load_policy(raw)
        if is_unknown(document):
            source = raw if is_unknown(raw) else document
            return Verdict.unknown(unknown_reason(source, attribute), attribute)
        if document is None:
            return Verdict.passed("no trust policy", attribute)
        assert isinstance(document, PolicyDocument)
        own = resource.account if resource.side is Side.LIVE else None
        unknown: list[str] = []
        for kind, value, statement in document.trusted_principals():
            finding = self._judge(kind, value, statement, own)
            if finding is None:
                continue
            failed, message = finding
            where = f"Statement[{statement.index}]"
            if failed and statement.is_allow() is True:
                return Verdict.failed(f"{where}: {message}", attribute)
            unknown.append(f"{where}: {message}")
        if unknown or document.unknown_statements:
            reason = unknown[0] if unknown else "a statement is not known statically"
            return Verdict.unknown(reason, attribute)
        return Verdict.passed(
            "the trust policy names only services, this account, or conditioned "
            "cross-account principals",
            attribute,
        )

    def _judge(
        self, kind: str, value: Any, statement: Statement, own: str | None
    ) -> tuple[bool, str] | None:
        """(True, why) to fail, (False, why) when unsure, None when fine."""
        if kind.lower() in ("service", "federated", "canonicaluser"):
            return None
        if is_unknown(value):
            if declared_here(value):
                return None
            return False, unknown_reason(value, "a trusted principal")
        if value == "*":
            restricted = statement.has_restricting_condition()
            if restricted is True:
                return None
            if is_unknown(restricted):
                return False, 'Principal "*" with a condition not known statically'
            return True, 'Principal "*" without a restricting condition'
        match = ACCOUNT_OF.match(str(value))
        if match is None:
            return None  # a unique id (AROA...) of a deleted principal trusts nobody
        account = match.group(1) or match.group(2)
        if own is not None and account == own:
            return None
        if pins_cross_account(statement):
            return None
        if statement.conditions_unknown:
            return False, f"trusts {value} with a condition not known statically"
        if own is None:
            return (
                False,
                f"trusts account {account} without sts:ExternalId or "
                "aws:PrincipalOrgID; whether it is the deploying account cannot be "
                "told from Terraform",
            )
        return (
            True,
            f"trusts {value} (account {account}, not {own}) without sts:ExternalId "
            "or aws:PrincipalOrgID",
        )
