"""AWS-IAM-001: a policy that allows every action on every resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import blocks, load_policy, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import PolicyDocument
from surveyor.resourceset import ResourceSet

POLICY_DOCUMENT = "aws_iam_policy_document"
POLICY_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
)
AWS_MANAGED_PREFIX = "arn:aws:iam::aws:policy/"
ROLE = "aws_iam_role"  # its `inline_policy` blocks (Terraform only)


class AdminPolicy(Check):
    meta = RuleMeta(
        id="AWS-IAM-001",
        title=(
            "Policy allows all actions on all resources (`*` on `*`, also via "
            "NotAction)"
        ),
        severity=Severity.CRITICAL,
        resource_types=(*POLICY_TYPES, POLICY_DOCUMENT, ROLE),
        description=(
            'An Allow statement with Action "*" (or "*:*"), or with a NotAction '
            '(other than "*"), on Resource "*", in a customer-managed policy, an '
            "inline role/user/group policy, an aws_iam_role inline_policy block "
            "or a "
            'data "aws_iam_policy_document". '
            "Conditions do not change the verdict. To report each document "
            "once, in Terraform a policy whose text is exactly the rendered "
            "JSON of a declared aws_iam_policy_document is left to that data "
            "source (whose statement block is the line to fix). Live, the "
            "default version of each customer-managed policy and every inline "
            "policy is read; AWS-managed policies (AdministratorAccess) are not "
            "judged."
        ),
        rationale=(
            "Full administrative rights let whoever holds the policy (or steals "
            "its credentials) do anything, including erasing logs and granting "
            "themselves persistence; least privilege contains a compromise."
        ),
        remediation=Remediation(
            terraform=(
                'data "aws_iam_policy_document" "app" {\n'
                "  statement {\n"
                '    actions   = ["s3:GetObject", "s3:PutObject"]\n'
                '    resources = ["${aws_s3_bucket.app.arn}/*"]\n'
                "  }\n"
                "}\n"
            ),
            console=(
                "IAM console > Policies (or the role/user/group > Permissions) > "
                "edit the policy JSON to list the actions and resources needed; "
                "IAM Access Analyzer can generate a policy from CloudTrail "
                "activity. CLI: aws iam create-policy-version --policy-arn ARN "
                "--policy-document file://narrow.json --set-as-default"
            ),
        ),
        runbook=(
            "Contain: if the policy appeared unexpectedly, detach it (aws iam "
            "detach-*-policy / delete-*-policy) and revoke sessions of the "
            "principals holding it. Verify: list the entities it is attached to "
            "(aws iam list-entities-for-policy) and review their CloudTrail "
            "activity since the change. Fix: replace it in Terraform with the "
            "actions the workload needs. Follow up: if administrators need it, "
            "use the AWS-managed AdministratorAccess behind SSO and MFA instead."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1098.003",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("1.16",),
            "AWS Foundational Security Best Practices": ("IAM.1",),
        },
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == POLICY_DOCUMENT:
            return True
        if resource.type == ROLE:
            # Live inline policies arrive as aws_iam_role_policy resources.
            return resource.side is Side.IAC and bool(
                blocks(resource.get("inline_policy"))
            )
        arn = resource.arn or resource.address
        if resource.side is Side.LIVE and arn.startswith(AWS_MANAGED_PREFIX):
            return False
        if resource.side is Side.IAC:
            return not _rendered_by_document(resource.get("policy"), context)
        return True

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == ROLE:
            return self._inline_policies(resource)
        is_document = resource.type == POLICY_DOCUMENT
        attribute = "json" if is_document else "policy"
        document = load_policy(resource.get(attribute))
        if document is None:
            return Verdict.passed(f"{attribute} is empty")
        if is_unknown(document):
            return Verdict.unknown(unknown_reason(document, attribute), attribute)
        assert isinstance(document, PolicyDocument)

        admin = document.admin_statements()
        if admin:
            statement = admin[0]
            label = f'"{statement.sid}"' if statement.sid else f"[{statement.index}]"
            place = attribute
            if is_document:
                place = _statement_block(resource, document, statement.index)
                if place != attribute:
                    key = "not_actions" if statement.not_actions else "actions"
                    place = f"{place}.{key}"
            return Verdict.failed(
                f"statement {label} allows {statement.action_list()} on "
                'Resource "*": full administrative access',
                place,
            )
        if is_unknown(document.grants_admin()):
            return Verdict.unknown(
                "whether a statement allows * on * depends on values not known "
                "statically",
                attribute,
            )
        return Verdict.passed("no statement allows every action on every resource")

    def _inline_policies(self, role: Resource) -> Verdict:
        unknown_at: str | None = None
        for index, block in blocks(role.get("inline_policy")):
            path = f"inline_policy.{index}.policy"
            raw = block.get("policy") if isinstance(block, Mapping) else block
            document = load_policy(raw)
            if document is None:
                continue
            if not isinstance(document, PolicyDocument):
                unknown_at = unknown_at or path
                continue
            admin = document.admin_statements()
            if admin:
                return Verdict.failed(
                    f"{path}: statement [{admin[0].index}] allows "
                    f'{admin[0].action_list()} on Resource "*": full administrative '
                    "access",
                    path,
                )
            if is_unknown(document.grants_admin()):
                unknown_at = unknown_at or path
        if unknown_at is not None:
            return Verdict.unknown(
                f"{unknown_at}: whether it allows * on * is not known statically",
                unknown_at,
            )
        return Verdict.passed("no inline policy allows every action on every resource")


def _statement_block(document: Resource, rendered: PolicyDocument, index: int) -> str:
    """The `statement.N` block a rendered statement came from, else "json".

    Statements of source_policy_documents come first in the rendered JSON;
    override documents can replace statements, so then the block is unknown.
    """
    own = document.get("statement")
    if document.get("override_policy_documents") is not None or not isinstance(
        own, list
    ):
        return "json"
    offset = len(rendered.statements) + rendered.unknown_statements - len(own)
    block = index - offset
    return f"statement.{block}" if 0 <= block < len(own) else "json"


def _rendered_by_document(policy: Any, context: CheckContext) -> bool:
    """Is this policy text exactly a declared policy document's rendered JSON?"""
    if policy is None or is_unknown(policy):
        return False
    rendered = context.resources.memo(_RENDERED_KEY, _rendered_documents)
    if isinstance(policy, str):
        return policy in rendered.texts
    return any(policy == other for other in rendered.structures)


_RENDERED_KEY = "AWS-IAM-001/rendered-policy-documents"


@dataclass(frozen=True)
class _Rendered:
    texts: frozenset[str]  # rendered JSON text, looked up in O(1)
    structures: tuple[Any, ...]  # documents with unknown parts stay structures


def _rendered_documents(resources: ResourceSet) -> _Rendered:
    texts: set[str] = set()
    structures: list[Any] = []
    for document in resources.of_type(POLICY_DOCUMENT, side=Side.IAC):
        rendered = document.get("json")
        if rendered is None or is_unknown(rendered):
            continue
        if isinstance(rendered, str):
            texts.add(rendered)
        else:
            structures.append(rendered)
    return _Rendered(frozenset(texts), tuple(structures))
