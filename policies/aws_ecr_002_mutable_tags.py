"""AWS-ECR-002: an ECR repository should make image tags immutable."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

_IMMUTABLE = frozenset({"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"})


class EcrImmutableTags(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-ECR-002",
        title="ECR repository allows mutable image tags",
        severity=Severity.MEDIUM,
        resource_types=("aws_ecr_repository",),
        description=(
            "image_tag_mutability is MUTABLE (the default when not written) or "
            "MUTABLE_WITH_EXCLUSION, so a push can move an existing tag to a "
            "different image. IMMUTABLE and IMMUTABLE_WITH_EXCLUSION pass."
        ),
        rationale=(
            "Deployments and admission policies trust tags. Whoever can push can "
            "silently replace `app:1.4.2` with a backdoored image that every new "
            "task or pod then pulls; immutable tags make a published tag mean one "
            "digest forever."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_ecr_repository" "app" {\n'
                '  name                 = "app"\n'
                '  image_tag_mutability = "IMMUTABLE"\n'
                "}"
            ),
            console=(
                "Console: ECR > Repositories > <repo> > Edit > Tag immutability: "
                "enabled > Save.\n"
                "CLI: aws ecr put-image-tag-mutability --repository-name <repo> "
                "--image-tag-mutability IMMUTABLE"
            ),
        ),
        runbook=(
            "1. Ask the owning team whether any pipeline re-pushes a tag such as "
            "`latest`; such pipelines need to push unique tags (commit SHA) first. "
            "2. Set IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for a `latest` filter). "
            "3. Review CloudTrail PutImage events for tags that were overwritten "
            "recently and compare their digests with what was deployed."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1525",),
        compliance={"AWS Foundational Security Best Practices": ("ECR.2",)},
        references=(
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        value = resource.get("image_tag_mutability")
        attribute = "image_tag_mutability"
        if is_unknown(value):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        if value is None:
            return Verdict.failed(f"{attribute} is not set (default MUTABLE)")
        if str(value).upper() in _IMMUTABLE:
            return Verdict.passed(
                f"{attribute} = {self.describe_value(value)}", attribute
            )
        return Verdict.failed(f"{attribute} = {self.describe_value(value)}", attribute)
