"""S3: buckets (ACL, policy, public access block, encryption, versioning,
logging) and the account-level public access block.

The bucket list is account-wide, so this collector is global; each bucket's
detail calls go to a client in the bucket's own region (no redirects).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    detail,
)

BUCKET = "aws_s3_bucket"
ACCOUNT_BLOCK = "aws_s3_account_public_access_block"

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"

# Canned ACL -> the non-owner grants it produces, as {(uri, permission)}.
_CANNED: dict[str, frozenset[tuple[str, str]]] = {
    "private": frozenset(),
    "public-read": frozenset({(ALL_USERS, "READ")}),
    "public-read-write": frozenset({(ALL_USERS, "READ"), (ALL_USERS, "WRITE")}),
    "authenticated-read": frozenset({(AUTHENTICATED_USERS, "READ")}),
    "log-delivery-write": frozenset(
        {(LOG_DELIVERY, "WRITE"), (LOG_DELIVERY, "READ_ACP")}
    ),
}
_FLAGS = {
    "BlockPublicAcls": "block_public_acls",
    "BlockPublicPolicy": "block_public_policy",
    "IgnorePublicAcls": "ignore_public_acls",
    "RestrictPublicBuckets": "restrict_public_buckets",
}


class S3Collector(Collector):
    service = "s3"
    scope = Scope.GLOBAL
    resource_types = (BUCKET, ACCOUNT_BLOCK)
    operations: ClassVar[Operations] = {
        "ListBuckets": (BUCKET,),
        "GetBucketLocation": (BUCKET,),
        "GetBucketAcl": (BUCKET,),
        "GetBucketPolicy": (BUCKET,),
        "GetBucketPolicyStatus": (BUCKET,),
        "GetPublicAccessBlock": (BUCKET,),
        "GetBucketEncryption": (BUCKET,),
        "GetBucketVersioning": (BUCKET,),
        "GetBucketLogging": (BUCKET,),
        "s3control:GetPublicAccessBlock": (ACCOUNT_BLOCK,),
    }
    iam_actions: ClassVar[Mapping[str, str]] = {
        "ListBuckets": "s3:ListAllMyBuckets",
        "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
        "GetBucketEncryption": "s3:GetEncryptionConfiguration",
        "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    }

    def collect(self, ctx: CollectContext) -> None:
        self._account_block(ctx)
        buckets = ctx.paginate(ctx.client(), "ListBuckets", "Buckets")
        if isinstance(buckets, Failed):
            return
        ctx.map(lambda b: self._bucket(ctx, str(b["Name"])), buckets)

    def _account_block(self, ctx: CollectContext) -> None:
        client = ctx.client("s3control")
        reply = ctx.call(
            client,
            "s3control:GetPublicAccessBlock",
            AccountId=ctx.account,
            absent=("NoSuchPublicAccessBlockConfiguration",),
            region="global",
        )
        if isinstance(reply, Failed):
            return  # recorded against both types: S3-003 combines them
        # No configuration means every flag is off: that is the effective view.
        config = (reply or {}).get("PublicAccessBlockConfiguration", {})
        ctx.emit(
            ACCOUNT_BLOCK,
            f"aws://{ctx.account}/s3-account-public-access-block",
            {
                "account_id": ctx.account,
                **_flags(config),
                "configured": reply is not None,
            },
            name=ctx.account,
        )

    def _bucket(self, ctx: CollectContext, name: str) -> None:
        arn = ctx.arn("s3", name)
        home = ctx.client()
        location = ctx.call(home, "GetBucketLocation", Bucket=name, resource_id=arn)
        region = (
            ctx.client_region
            if isinstance(location, Failed) or location is None
            else _bucket_region(location.get("LocationConstraint"))
        )
        s3 = ctx.client("s3", region)

        def get(operation: str, *absent: str) -> Any:
            return ctx.call(s3, operation, Bucket=name, resource_id=arn, absent=absent)

        acl = get("GetBucketAcl")
        policy = get("GetBucketPolicy", "NoSuchBucketPolicy")
        block = get("GetPublicAccessBlock", "NoSuchPublicAccessBlockConfiguration")
        encryption = get(
            "GetBucketEncryption", "ServerSideEncryptionConfigurationNotFoundError"
        )
        versioning = get("GetBucketVersioning")
        logging_ = get("GetBucketLogging")
        status: Any = policy if isinstance(policy, Failed) else None
        if isinstance(policy, dict):
            status = get("GetBucketPolicyStatus", "NoSuchBucketPolicy")

        grants = detail(acl, _grants)
        attributes = {
            "bucket": name,
            "arn": arn,
            "region": region,
            "acl": detail(acl, _canned_acl),
            "grant": grants,
            "policy": detail(policy, lambda r: r.get("Policy")),
            # AWS's own verdict on the policy; None when it gave none.
            "policy_is_public": detail(status, _is_public, False),
            "public_access_block": detail(
                block, lambda r: _flags(r.get("PublicAccessBlockConfiguration", {}))
            ),
            "server_side_encryption_configuration": detail(encryption, _encryption, []),
            "versioning": detail(versioning, _versioning),
            "logging": detail(logging_, _logging),
        }
        ctx.emit(BUCKET, arn, attributes, name=name, arn=arn, region=region)


def _bucket_region(constraint: str | None) -> str:
    # us-east-1 answers with no constraint; very old buckets say "EU".
    if not constraint:
        return "us-east-1"
    return "eu-west-1" if constraint == "EU" else constraint


def _is_public(reply: dict[str, Any]) -> bool | None:
    value = reply.get("PolicyStatus", {}).get("IsPublic")
    return None if value is None else bool(value)


def _flags(config: dict[str, Any]) -> dict[str, bool]:
    return {ours: bool(config.get(theirs, False)) for theirs, ours in _FLAGS.items()}


def _grants(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """Grants in the shape of Terraform's `grant` blocks, one per grantee."""
    merged: dict[tuple[str, str, str], list[str]] = {}
    for grant in reply.get("Grants", []):
        grantee = grant.get("Grantee", {})
        key = (
            str(grantee.get("Type", "")),
            str(grantee.get("URI") or ""),
            str(grantee.get("ID") or grantee.get("EmailAddress") or ""),
        )
        merged.setdefault(key, []).append(str(grant.get("Permission")))
    return [
        {"type": t, "uri": uri or None, "id": id_ or None, "permissions": sorted(perms)}
        for (t, uri, id_), perms in merged.items()
    ]


def _canned_acl(reply: dict[str, Any]) -> str | None:
    """The canned ACL these grants amount to, or None for a custom ACL."""
    owner = reply.get("Owner", {}).get("ID")
    others: set[tuple[str, str]] = set()
    for grant in reply.get("Grants", []):
        grantee = grant.get("Grantee", {})
        if grantee.get("Type") == "CanonicalUser" and grantee.get("ID") == owner:
            continue
        if grantee.get("Type") != "Group":
            return None
        others.add((str(grantee.get("URI")), str(grant.get("Permission"))))
    for canned, grants in _CANNED.items():
        if others == grants:
            return canned
    return None


def _encryption(reply: dict[str, Any]) -> list[dict[str, Any]]:
    rules = reply.get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
    return [
        {
            "rule": [
                {
                    "apply_server_side_encryption_by_default": [
                        {
                            "sse_algorithm": d.get("SSEAlgorithm"),
                            "kms_master_key_id": d.get("KMSMasterKeyID"),
                        }
                    ]
                    if (d := r.get("ApplyServerSideEncryptionByDefault"))
                    else [],
                    "bucket_key_enabled": bool(r.get("BucketKeyEnabled", False)),
                }
                for r in rules
            ]
        }
    ]


def _versioning(reply: dict[str, Any]) -> list[dict[str, bool]]:
    return [
        {
            "enabled": reply.get("Status") == "Enabled",
            "mfa_delete": reply.get("MFADelete") == "Enabled",
        }
    ]


def _logging(reply: dict[str, Any]) -> list[dict[str, Any]]:
    enabled = reply.get("LoggingEnabled")
    if not enabled:
        return []
    return [
        {
            "target_bucket": enabled.get("TargetBucket"),
            "target_prefix": enabled.get("TargetPrefix", ""),
        }
    ]
