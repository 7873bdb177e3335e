"""AWS-S3-001: a bucket ACL that grants read or write to everyone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_list, blocks, public_access_flag
from surveyor.model import Resource, Severity, Side, is_unknown

# An aws_s3_bucket_acl whose bucket is not in the scan is judged on its own.
STANDALONE_ACL = "aws_s3_bucket_acl"
PUBLIC_CANNED_ACLS = {
    "public-read": "READ to everyone",
    "public-read-write": "READ and WRITE to everyone",
    "authenticated-read": "READ to every AWS account holder",
}
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}


class PublicBucketAcl(Check):
    meta = RuleMeta(
        id="AWS-S3-001",
        title=(
            "Bucket ACL grants public read or write (canned ACL or grant to "
            "AllUsers/AuthenticatedUsers)"
        ),
        severity=Severity.CRITICAL,
        resource_types=("aws_s3_bucket", STANDALONE_ACL),
        description=(
            "The bucket's access control list uses the canned ACL public-read, "
            "public-read-write or authenticated-read, or grants a permission to "
            "the AllUsers or AuthenticatedUsers group. It fails even when a "
            "public access block sets ignore_public_acls (the message says so): "
            "the grant states an intent to publish and returns the day the block "
            "is lifted. An aws_s3_bucket_acl "
            "whose bucket is not part of the scan is judged on its own."
        ),
        rationale=(
            "AllUsers is anyone on the internet; AuthenticatedUsers is anyone "
            "with any AWS account. Either lets outsiders list or read objects "
            "(and, with WRITE, plant or overwrite them)."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket_ownership_controls" "this" {\n'
                "  bucket = aws_s3_bucket.this.id\n"
                "  rule {\n"
                '    object_ownership = "BucketOwnerEnforced"  # disables ACLs\n'
                "  }\n"
                "}\n\n"
                'resource "aws_s3_bucket_public_access_block" "this" {\n'
                "  bucket                  = aws_s3_bucket.this.id\n"
                "  block_public_acls       = true\n"
                "  ignore_public_acls      = true\n"
                "  block_public_policy     = true\n"
                "  restrict_public_buckets = true\n"
                "}\n"
            ),
            console=(
                "S3 console > bucket > Permissions > Access control list: remove "
                "the Everyone and Authenticated users grants, or set Object "
                "Ownership to 'Bucket owner enforced'. CLI: aws s3api "
                "put-bucket-acl --bucket NAME --acl private; aws s3api "
                "put-public-access-block --bucket NAME --public-access-block-"
                "configuration BlockPublicAcls=true,IgnorePublicAcls=true,"
                "BlockPublicPolicy=true,RestrictPublicBuckets=true"
            ),
        ),
        runbook=(
            "Contain: turn on the bucket's public access block (IgnorePublicAcls "
            "at least) now; it takes effect immediately and is reversible. "
            "Verify: list what was readable (aws s3api get-bucket-acl, object "
            "ACLs) and check S3 server access logs / CloudTrail data events for "
            "anonymous GetObject or ListBucket since the grant appeared. Fix: "
            "remove the grant in Terraform (or set BucketOwnerEnforced) and "
            "apply. Follow up: if data was read, treat it as disclosed and notify "
            "the data owner; rotate any secrets stored in the bucket."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.1.4",),
            "AWS Foundational Security Best Practices": ("S3.2", "S3.3", "S3.12"),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        problems: list[tuple[str, str]] = []
        unknown: list[tuple[str, str]] = []

        acl = resource.get("acl")
        if is_unknown(acl):
            unknown.append(("acl", "acl is not known statically"))
        elif isinstance(acl, str) and acl in PUBLIC_CANNED_ACLS:
            problems.append(("acl", f'acl = "{acl}" grants {PUBLIC_CANNED_ACLS[acl]}'))

        prefix = "grant"
        if resource.type == STANDALONE_ACL:
            prefix = "access_control_policy.0.grant"
        for index, grant in blocks(resource.get(prefix)):
            path = f"{prefix}.{index}"
            if is_unknown(grant):
                unknown.append((path, f"{path} is not known statically"))
                continue
            assert isinstance(grant, Mapping)
            found = _public_grant(grant)
            if found is None:
                continue
            group, permissions = found
            if is_unknown(group) or is_unknown(permissions):
                unknown.append((path, f"{path} grantee is not known statically"))
            elif group:
                problems.append(
                    (path, f"{path} grants {permissions} to the {group} group")
                )

        if problems:
            ignored = public_access_flag(resource, context, "ignore_public_acls")
            path, message = problems[0]
            extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            if ignored is True:
                # Still a finding: the grant is live again the day the block goes.
                extra += "; ignore_public_acls masks it for now"
            return Verdict.failed(message + extra, path)
        if unknown:
            return Verdict.unknown(unknown[0][1], unknown[0][0])
        return Verdict.passed(
            "the bucket ACL grants nothing to AllUsers or AuthenticatedUsers"
        )


def _public_grant(grant: Mapping[str, Any]) -> tuple[Any, Any] | None:
    """(group name or UNKNOWN, permissions) when the grantee may be public."""
    uri = grant.get("uri")
    grantee = grant.get("grantee")
    if uri is None and grantee is not None:
        for _, block in blocks(grantee):
            uri = block.get("uri") if isinstance(block, Mapping) else block
    if is_unknown(uri):
        return uri, []
    if not isinstance(uri, str):
        return None
    group = PUBLIC_GROUPS.get(uri.rstrip("/"))
    if group is None:
        return None
    permissions = grant.get("permissions", grant.get("permission"))
    values = as_list(permissions)
    if is_unknown(values):
        return group, values
    shown = ", ".join(str(p) for p in values) if values else "access"  # type: ignore[union-attr]
    return group, shown
