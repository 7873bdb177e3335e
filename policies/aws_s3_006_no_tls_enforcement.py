"""AWS-S3-006: the bucket policy does not deny requests made without TLS."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import load_policy, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import PolicyDocument


class S3NoTlsEnforcement(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-S3-006",
        title="Bucket policy does not deny requests without TLS (aws:SecureTransport)",
        severity=Severity.MEDIUM,
        resource_types=("aws_s3_bucket",),
        description=(
            "The bucket has no policy statement that denies every principal all "
            "S3 actions (s3:* or *) when aws:SecureTransport is false (Bool "
            "condition), or has no bucket policy at all. Inline policy, "
            "aws_s3_bucket_policy with jsonencode or heredoc JSON, and "
            "data.aws_iam_policy_document are judged alike."
        ),
        rationale=(
            "S3 accepts plain HTTP on its endpoints. Without the deny, a "
            "misconfigured client or SDK endpoint override sends data and signed "
            "requests in clear text where anyone on the path can read them."
        ),
        remediation=Remediation(
            terraform=(
                'data "aws_iam_policy_document" "tls_only" {\n'
                "  statement {\n"
                '    sid     = "DenyInsecureTransport"\n'
                '    effect  = "Deny"\n'
                '    actions = ["s3:*"]\n'
                "    resources = [\n"
                "      aws_s3_bucket.this.arn,\n"
                '      "${aws_s3_bucket.this.arn}/*",\n'
                "    ]\n"
                "    principals {\n"
                '      type        = "*"\n'
                '      identifiers = ["*"]\n'
                "    }\n"
                "    condition {\n"
                '      test     = "Bool"\n'
                '      variable = "aws:SecureTransport"\n'
                '      values   = ["false"]\n'
                "    }\n"
                "  }\n"
                "}\n"
                'resource "aws_s3_bucket_policy" "this" {\n'
                "  bucket = aws_s3_bucket.this.id\n"
                "  policy = data.aws_iam_policy_document.tls_only.json\n"
                "}"
            ),
            console=(
                "S3 console > bucket > Permissions > Bucket policy > Edit: add a "
                'statement {"Effect":"Deny","Principal":"*","Action":"s3:*",'
                '"Resource":["arn:aws:s3:::NAME","arn:aws:s3:::NAME/*"],'
                '"Condition":{"Bool":{"aws:SecureTransport":"false"}}} to the '
                "existing statements. CLI: aws s3api put-bucket-policy --bucket "
                "NAME --policy file://policy.json (the whole merged policy)"
            ),
        ),
        runbook=(
            "Add the deny statement to the existing policy - never replace the "
            "policy wholesale. Before applying, check S3 server access logs or "
            "CloudTrail data events for requests with TLS version '-' (plain "
            "HTTP) so those clients can be fixed first."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1040",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.1.1",),
            "AWS Foundational Security Best Practices": ("S3.5",),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "security-best-practices.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("policy")
        document = load_policy(raw)
        if is_unknown(document):
            source = raw if is_unknown(raw) else document
            return Verdict.unknown(unknown_reason(source, "policy"), "policy")
        if document is None:
            return Verdict.failed(
                "the bucket has no policy, so nothing denies aws:SecureTransport = "
                "false",
                "policy",
            )
        assert isinstance(document, PolicyDocument)
        denies = document.denies_insecure_transport()
        if is_unknown(denies):
            return Verdict.unknown(
                "a policy statement is not known statically; it may or may not deny "
                "plain-HTTP requests",
                "policy",
            )
        if denies:
            return Verdict.passed(
                "policy denies s3:* to every principal when aws:SecureTransport = "
                "false",
                "policy",
            )
        return Verdict.failed(
            "policy has no Deny of s3:* for Principal * with Bool "
            "aws:SecureTransport = false",
            "policy",
        )
