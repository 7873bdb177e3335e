"""KMS: keys with their rotation status and aliases.

AWS-managed keys (aws/rds, ...) are emitted too, with `key_manager` "AWS", so
that rules about which key encrypts a database can tell them apart; AWS
rotates them every year and the account cannot change that, so rotation is
not asked for them. Rotation status is asked only for enabled or disabled
symmetric encryption keys, the only ones that can rotate; for the others
`enable_key_rotation` is false.
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    detail,
    iso,
)

KEY = "aws_kms_key"
_SYMMETRIC = "SYMMETRIC_DEFAULT"


class KmsCollector(Collector):
    service = "kms"
    scope = Scope.REGIONAL
    resource_types = (KEY,)
    operations: ClassVar[Operations] = {
        "ListKeys": (KEY,),
        "ListAliases": (KEY,),
        "DescribeKey": (KEY,),
        "GetKeyRotationStatus": (KEY,),
    }

    def collect(self, ctx: CollectContext) -> None:
        kms = ctx.client()
        keys = ctx.paginate(kms, "ListKeys", "Keys")
        if isinstance(keys, Failed):
            return
        aliases = ctx.paginate(kms, "ListAliases", "Aliases")
        names: dict[str, list[str]] = {}
        if not isinstance(aliases, Failed):
            for alias in aliases:
                if alias.get("TargetKeyId"):
                    names.setdefault(str(alias["TargetKeyId"]), []).append(
                        str(alias["AliasName"])
                    )
        ctx.map(lambda key: _key(ctx, kms, key, names, aliases), keys)


def _key(
    ctx: CollectContext,
    kms: Any,
    key: dict[str, Any],
    aliases: dict[str, list[str]],
    alias_reply: list[Any] | Failed,
) -> None:
    key_id, arn = str(key["KeyId"]), str(key["KeyArn"])
    described = ctx.call(kms, "DescribeKey", KeyId=key_id, resource_id=arn)
    if isinstance(described, Failed):
        # Without DescribeKey we cannot tell customer-managed from AWS-managed;
        # emit it so the rules that need it ERROR instead of skipping it.
        ctx.emit(
            KEY,
            arn,
            {"key_id": key_id, "arn": arn, "enable_key_rotation": described.unknown},
            name=key_id,
            arn=arn,
        )
        return
    meta = (described or {}).get("KeyMetadata", {})
    manager = meta.get("KeyManager") or "CUSTOMER"
    spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec") or _SYMMETRIC
    state = meta.get("KeyState")
    usage = meta.get("KeyUsage") or "ENCRYPT_DECRYPT"  # the API's default
    rotation: Any = manager == "AWS"
    if (
        manager == "CUSTOMER"
        and spec == _SYMMETRIC
        and usage == "ENCRYPT_DECRYPT"
        and (state in ("Enabled", "Disabled"))
    ):
        reply = ctx.call(kms, "GetKeyRotationStatus", KeyId=key_id, resource_id=arn)
        rotation = detail(reply, lambda r: bool(r.get("KeyRotationEnabled", False)))
    ctx.emit(
        KEY,
        arn,
        {
            "key_id": key_id,
            "arn": arn,
            "description": meta.get("Description", ""),
            "key_usage": usage,
            "key_manager": manager,
            "customer_master_key_spec": spec,
            "enable_key_rotation": rotation,
            "is_enabled": bool(meta.get("Enabled", False)),
            "key_state": state,
            "multi_region": bool(meta.get("MultiRegion", False)),
            "origin": meta.get("Origin"),
            "creation_date": iso(meta.get("CreationDate")),
            "aliases": (
                alias_reply.unknown
                if isinstance(alias_reply, Failed)
                else sorted(aliases.get(key_id, []))
            ),
        },
        name=key_id,
        arn=arn,
    )
