"""AWS-ECR-001: an ECR repository should scan images when they are pushed."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown


class EcrScanOnPush(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-ECR-001",
        title="ECR repository does not scan images on push",
        severity=Severity.LOW,
        resource_types=("aws_ecr_repository",),
        description=(
            "image_scanning_configuration { scan_on_push } is false or missing, so "
            "pushed images are not scanned for known vulnerabilities. Known "
            "limitation: registry-level enhanced scanning "
            "(aws_ecr_registry_scanning_configuration, Amazon Inspector) also "
            "satisfies the intent but is not read yet; waive the rule for "
            "repositories covered that way until it is."
        ),
        rationale=(
            "An image with a known critical vulnerability can reach production "
            "unnoticed; scanning at push time puts the findings in front of the team "
            "before deployment and gives an audit trail of what was known when."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_ecr_repository" "app" {\n'
                '  name = "app"\n'
                "  image_scanning_configuration {\n"
                "    scan_on_push = true\n"
                "  }\n"
                "}"
            ),
            console=(
                "Console: ECR > Private registry > Repositories > <repo> > Edit > "
                "Scan on push: enabled > Save.\n"
                "CLI: aws ecr put-image-scanning-configuration --repository-name "
                "<repo> --image-scanning-configuration scanOnPush=true"
            ),
        ),
        runbook=(
            "1. Check whether the registry uses enhanced scanning (`aws ecr "
            "get-registry-scanning-configuration`); if every repository is covered, "
            "waive. 2. Otherwise enable scan on push and start a scan of the tags in "
            "use (`aws ecr start-image-scan`). 3. Send critical findings to the "
            "owning team."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1525",),
        compliance={"AWS Foundational Security Best Practices": ("ECR.1",)},
        references=(
            "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("image_scanning_configuration")
        block = first_block(raw)
        if is_unknown(block):
            return Verdict.unknown(
                unknown_reason(raw, "image_scanning_configuration"),
                "image_scanning_configuration",
            )
        if block is None:
            return Verdict.failed(
                "image_scanning_configuration is not set (scan_on_push defaults to "
                "false)"
            )
        assert not isinstance(block, Unknown)
        path = "image_scanning_configuration.0.scan_on_push"
        value = block.get("scan_on_push")
        scan = as_bool(value, default=False)
        if is_unknown(scan):
            return Verdict.unknown(unknown_reason(value, path), path)
        if scan:
            return Verdict.passed(f"{path} = true", path)
        return Verdict.failed(f"{path} = {Check.describe_value(value)}", path)
