"""AWS-S3-002: a bucket policy that lets anyone in."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import load_policy, public_access_flag, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import PolicyDocument


class PublicBucketPolicy(Check):
    meta = RuleMeta(
        id="AWS-S3-002",
        title="Bucket policy allows any principal without a restricting condition",
        severity=Severity.CRITICAL,
        resource_types=("aws_s3_bucket", "aws_s3_bucket_policy"),
        description=(
            'A statement of the bucket policy has Effect "Allow" with Principal '
            '"*" or {"AWS": "*"} (or a NotPrincipal) and no condition that pins '
            "the caller or its network (aws:SourceArn, aws:SourceAccount, "
            "aws:SourceVpc(e), aws:SourceIp, aws:PrincipalOrgID, "
            "aws:PrincipalAccount, aws:PrincipalArn, aws:userid, ...) to a "
            "non-wildcard value. Negated, ...IfExists and ForAllValues operators "
            "do not restrict. It fails even when restrict_public_buckets is on "
            "(the message says so): the statement takes effect the day the block "
            "is lifted. An "
            "aws_s3_bucket_policy whose bucket is not part of the scan is judged "
            "on its own."
        ),
        rationale=(
            "A public statement hands the listed actions to anyone on the "
            "internet: data theft for Get/List, tampering or ransom for "
            "Put/Delete."
        ),
        remediation=Remediation(
            terraform=(
                'data "aws_iam_policy_document" "bucket" {\n'
                "  statement {\n"
                '    actions   = ["s3:GetObject"]\n'
                '    resources = ["${aws_s3_bucket.this.arn}/*"]\n'
                "    principals {\n"
                '      type        = "Service"\n'
                '      identifiers = ["cloudfront.amazonaws.com"]\n'
                "    }\n"
                "    condition {\n"
                '      test     = "StringEquals"\n'
                '      variable = "aws:SourceArn"\n'
                "      values   = [aws_cloudfront_distribution.this.arn]\n"
                "    }\n"
                "  }\n"
                "}\n"
            ),
            console=(
                "S3 console > bucket > Permissions > Bucket policy: replace "
                'Principal "*" with the accounts, roles or services that need '
                "access, or add a condition on aws:SourceArn / aws:PrincipalOrgID. "
                "CLI: aws s3api put-bucket-policy --bucket NAME --policy "
                "file://policy.json; block further public policies with aws s3api "
                "put-public-access-block ... RestrictPublicBuckets=true,"
                "BlockPublicPolicy=true"
            ),
        ),
        runbook=(
            "Contain: set RestrictPublicBuckets (bucket public access block) now; "
            "it neutralises public statements at once. Verify: read the policy "
            "(aws s3api get-bucket-policy), note the actions granted, and search "
            "CloudTrail data events / S3 access logs for requests from outside "
            "the account since the policy changed. Fix: narrow the principal or "
            "add a restricting condition in Terraform and apply. Follow up: "
            "treat readable data as disclosed; check objects written by "
            "strangers if Put was allowed."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.1.4",),
            "AWS Foundational Security Best Practices": ("S3.2", "S3.3"),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        document = load_policy(resource.get("policy"))
        if document is None:
            return Verdict.passed("the bucket has no bucket policy")
        if is_unknown(document):
            return Verdict.unknown(unknown_reason(document, "policy"), "policy")
        assert isinstance(document, PolicyDocument)

        public = document.public_statements()
        if public:
            statement = public[0]
            label = f'"{statement.sid}"' if statement.sid else f"[{statement.index}]"
            message = (
                f"policy statement {label} allows {statement.action_list()} to "
                "any principal without a restricting condition"
            )
            if public_access_flag(resource, context, "restrict_public_buckets") is True:
                # Still a finding: the statement opens up once the block is lifted.
                message += "; restrict_public_buckets masks it for now"
            return Verdict.failed(message, "policy")
        if is_unknown(document.allows_public()):
            return Verdict.unknown(
                "whether the bucket policy admits any principal depends on values "
                "not known statically",
                "policy",
            )
        return Verdict.passed("no statement allows any principal without a condition")
