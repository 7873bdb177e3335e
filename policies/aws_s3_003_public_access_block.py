"""AWS-S3-003: the public access block, bucket and account combined."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import (
    PAB_FLAGS,
    account_public_access_block,
    first_block,
    public_access_flag,
)
from surveyor.model import Resource, Severity, Side, is_unknown

ACCOUNT_PAB = "aws_s3_account_public_access_block"
# A bucket's block whose bucket is not in the scan is judged on its own.
STANDALONE_PAB = "aws_s3_bucket_public_access_block"


class PublicAccessBlockOff(Check):
    meta = RuleMeta(
        id="AWS-S3-003",
        title=(
            "Bucket public access block not fully on (bucket and account "
            "settings combined)"
        ),
        severity=Severity.HIGH,
        resource_types=("aws_s3_bucket", STANDALONE_PAB, ACCOUNT_PAB),
        description=(
            "For each of the four flags (block_public_acls, ignore_public_acls, "
            "block_public_policy, restrict_public_buckets) either the bucket's "
            "own public access block or the account-level block must set it. A "
            "bucket with neither fails; a flag whose value is not known "
            "statically makes the result UNKNOWN. The account block is read "
            "from the same Terraform scan (any declared "
            "aws_s3_account_public_access_block) or, live, from s3control. An "
            "aws_s3_bucket_public_access_block whose bucket is not part of the "
            "scan is judged on its own flags (and the account's)."
        ),
        rationale=(
            "The public access block is the guard rail that stops one careless "
            "ACL or policy change from publishing a bucket. Without it, the "
            "next mistake goes straight to the internet."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket_public_access_block" "this" {\n'
                "  bucket                  = aws_s3_bucket.this.id\n"
                "  block_public_acls       = true\n"
                "  ignore_public_acls      = true\n"
                "  block_public_policy     = true\n"
                "  restrict_public_buckets = true\n"
                "}\n\n"
                "# or once for the whole account:\n"
                'resource "aws_s3_account_public_access_block" "this" {\n'
                "  block_public_acls       = true\n"
                "  ignore_public_acls      = true\n"
                "  block_public_policy     = true\n"
                "  restrict_public_buckets = true\n"
                "}\n"
            ),
            console=(
                "S3 console > Block Public Access settings for this account > "
                "Edit > tick all four > Save; or bucket > Permissions > Block "
                "public access. CLI: aws s3control put-public-access-block "
                "--account-id ID --public-access-block-configuration "
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,"
                "RestrictPublicBuckets=true"
            ),
        ),
        runbook=(
            "Contain: nothing is exposed by this alone; check AWS-S3-001 and "
            "AWS-S3-002 for the same bucket first. Verify: confirm with the "
            "owner whether the bucket must serve the public (a website bucket "
            "should sit behind CloudFront with OAC instead). Fix: add the "
            "bucket's public access block (or the account-wide one) in "
            "Terraform and apply. Follow up: prefer the account-level block so "
            "new buckets are covered by default."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.1.4",),
            "AWS Foundational Security Best Practices": ("S3.1", "S3.8"),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        # The account block is listed so that its collection errors reach this
        # rule as ERROR results; the verdicts are about buckets.
        return resource.type in ("aws_s3_bucket", STANDALONE_PAB)

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        prefix = "public_access_block."
        own = first_block(resource.get("public_access_block"))
        if resource.type == STANDALONE_PAB:
            prefix = ""
            own = {flag: resource.get(flag) for flag in PAB_FLAGS}
        account = account_public_access_block(resource, context)
        account_missing = context.resources.errors_for([ACCOUNT_PAB])
        if own is None and account is None and not account_missing:
            return Verdict.failed(
                "no public access block applies: the bucket has none and no "
                "account-level block is set"
            )
        if is_unknown(own):
            return Verdict.unknown(
                "public_access_block is not known statically", "public_access_block"
            )

        off: list[str] = []
        unknown: list[str] = []
        for flag in PAB_FLAGS:
            value = public_access_flag(resource, context, flag, own)
            if is_unknown(value):
                unknown.append(flag)
            elif not value:
                off.append(flag)

        attribute = "public_access_block" if own is not None and prefix else None
        where = "the bucket's" if own is not None else "the account's"
        if off:
            first = f"{prefix}{off[0]}" if own is not None else None
            if own is None:
                message = (
                    f"the bucket has no public access block and the account's "
                    f"leaves {', '.join(off)} off"
                )
            elif account is None:
                message = (
                    f"public_access_block leaves {', '.join(off)} off and no "
                    "account-level block is set"
                )
            else:
                message = (
                    f"{', '.join(off)} set neither in the bucket's nor in the "
                    "account's public access block"
                )
            return Verdict.failed(message, first or attribute)
        if unknown:
            why = (
                "the account-level block could not be read"
                if account is None and account_missing
                else "not known statically"
            )
            return Verdict.unknown(
                f"{', '.join(unknown)}: {why}",
                f"{prefix}{unknown[0]}" if own is not None else None,
            )
        return Verdict.passed(
            f"all four public access block flags are on ({where} block or both)",
            attribute,
        )
