"""terraform-aws-modules/s3-bucket/aws: the bucket and its split resources.

Targets the module's v3.x, v4.x and v5.x (a `version` pinning an older major
is not adapted). v3 inputs are the same; only the public access block's
defaults differ: they became true within the v3 series (April 2023), so for a
call pinned to v3 an unset flag is UNKNOWN rather than guessed.

What the module creates, with count = 1 unless `create_bucket = false`:

- `aws_s3_bucket.this`: `bucket`, `object_lock_enabled` (default false), `tags`.
- `aws_s3_bucket_acl.this` when `acl` is set or `grant` is non-empty; grants
  are maps of `type`, `permission`, `id`, `uri`, `email`.
- `aws_s3_bucket_policy.this` when `attach_policy` (then `policy`) or
  `attach_deny_insecure_transport_policy` / `attach_require_latest_tls_policy`
  (then their Deny statements) are true; other attach_* policies (log
  delivery, inventory, ...) grant AWS services and are left out.
- `aws_s3_bucket_public_access_block.this` unless `attach_public_policy =
  false`; its four flags default to true.
- `aws_s3_bucket_versioning.this` / `_logging.this` /
  `_server_side_encryption_configuration.this` when their map input is
  non-empty (`versioning = { enabled = true }` or `status = "Enabled"`,
  `logging = { target_bucket, target_prefix }`,
  `server_side_encryption_configuration = { rule = {...} }`).

The split resources join the bucket in the resource-set merge, exactly as the
same resources written by hand would.
"""

from __future__ import annotations

import json
from typing import Any

from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
    is_true,
    reference,
)

BUCKET = "aws_s3_bucket.this[0]"


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not (
        creates(inputs.get("create_bucket", True))
        and creates(inputs.get("putin_khuylo", True))
    ):
        return []
    bucket_ref = reference(prefix, BUCKET)
    bucket: dict[str, Any] = {
        "object_lock_enabled": inputs.get("object_lock_enabled", False),
        "tags": inputs.get("tags", {}),
    }
    if inputs.given("bucket"):
        bucket["bucket"] = inputs.get("bucket")
    planned = [
        Planned(
            "aws_s3_bucket",
            "this",
            bucket,
            {"bucket": "bucket", "object_lock_enabled": "object_lock_enabled"},
        )
    ]
    for make in (_acl, _policy, _public_access_block, _versioning, _logging, _sse):
        found = make(inputs)
        if found is not None:
            found.attributes["bucket"] = bucket_ref
            planned.append(found)
    return planned


def _acl(inputs: Inputs) -> Planned | None:
    acl = inputs.get("acl")
    acl = None if acl == "null" else acl
    grants = inputs.get("grant", [])
    if isinstance(grants, str):
        grants = _json_or_unknown(grants)
    if acl is None and isinstance(grants, list) and not grants:
        return None
    attributes: dict[str, Any] = {}
    where: dict[str, str] = {}
    if acl is not None:
        attributes["acl"] = acl
        where["acl"] = "acl"
    if isinstance(grants, Unknown):
        attributes["access_control_policy"] = grants
        where["access_control_policy"] = "grant"
    elif isinstance(grants, list) and grants:
        attributes["access_control_policy"] = [{"grant": _grants(grants)}]
        where["access_control_policy"] = "grant"
        for index in range(len(grants)):
            where[f"access_control_policy.0.grant.{index}"] = "grant"
    return Planned("aws_s3_bucket_acl", "this", attributes, where)


def _grants(grants: list[Any]) -> list[Any]:
    out: list[Any] = []
    for grant in grants:
        if not isinstance(grant, dict):
            out.append(Unknown("grant is not known statically"))
            continue
        grantee = {
            "type": grant.get("type"),
            "id": grant.get("id"),
            "uri": grant.get("uri"),
            "email_address": grant.get("email"),
        }
        out.append({"permission": grant.get("permission"), "grantee": [grantee]})
    return out


def _deny_statement(sid: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::<bucket>", "arn:aws:s3:::<bucket>/*"],
        "Condition": condition,
    }


def _policy(inputs: Inputs) -> Planned | None:
    statements: list[Any] = []
    where: dict[str, str] = {}
    decided = True
    tls = is_true(inputs.get("attach_deny_insecure_transport_policy", False))
    if tls is True:
        statements.append(
            _deny_statement(
                "denyInsecureTransport", {"Bool": {"aws:SecureTransport": "false"}}
            )
        )
        where["policy"] = "attach_deny_insecure_transport_policy"
    latest = is_true(inputs.get("attach_require_latest_tls_policy", False))
    if latest is True:
        statements.append(
            _deny_statement(
                "denyOutdatedTLS", {"NumericLessThan": {"s3:TlsVersion": "1.2"}}
            )
        )
        where.setdefault("policy", "attach_require_latest_tls_policy")
    attach = is_true(inputs.get("attach_policy", False))
    if isinstance(tls, Unknown) or isinstance(latest, Unknown):
        decided = False
    if attach is True or isinstance(attach, Unknown):
        policy = inputs.get("policy")
        where["policy"] = "policy" if inputs.given("policy") else "attach_policy"
        if isinstance(attach, Unknown):
            statements.append(Unknown("attach_policy is not known statically"))
        else:
            statements.extend(_statements(policy))
    if not statements:
        return None
    document: Any = {"Version": "2012-10-17", "Statement": statements}
    if not decided:
        document["Statement"].append(Unknown("an attach_* input is not known"))
    policy_value = document if contains_unknown(document) else json.dumps(document)
    return Planned("aws_s3_bucket_policy", "this", {"policy": policy_value}, where)


def _statements(policy: Any) -> list[Any]:
    if policy is None:
        return []
    document = _json_or_unknown(policy) if isinstance(policy, str) else policy
    if isinstance(document, dict):
        found = document.get("Statement", [])
        return list(found) if isinstance(found, list) else [found]
    return [Unknown("policy is not known statically")]


def _json_or_unknown(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return Unknown("not valid JSON")


_PAB_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)


def _public_access_block(inputs: Inputs) -> Planned | None:
    attach = inputs.get("attach_public_policy", True)
    if not creates(attach):
        return None
    pinned = inputs.pinned_major()
    default: Any = True
    if pinned is not None and pinned < 4:
        default = Unknown("s3-bucket module v3: the flag's default changed in v3.x")
    attributes = {flag: inputs.get(flag, default) for flag in _PAB_FLAGS}
    where = {flag: flag for flag in _PAB_FLAGS if inputs.given(flag)}
    return Planned("aws_s3_bucket_public_access_block", "this", attributes, where)


def _map_input(inputs: Inputs, name: str) -> dict[str, Any] | Unknown | None:
    value = inputs.get(name, {})
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict) and value:
        return value
    return None


def _versioning(inputs: Inputs) -> Planned | None:
    versioning = _map_input(inputs, "versioning")
    if versioning is None:
        return None
    if isinstance(versioning, Unknown):
        attributes: dict[str, Any] = {"versioning_configuration": versioning}
        return Planned(
            "aws_s3_bucket_versioning",
            "this",
            attributes,
            {"versioning_configuration": "versioning"},
        )
    status = _status(versioning.get("enabled", versioning.get("status")))
    mfa = _status(versioning.get("mfa_delete"), off="Disabled")
    config: dict[str, Any] = {"status": status}
    if mfa is not None:
        config["mfa_delete"] = mfa
    key = "enabled" if "enabled" in versioning else "status"
    return Planned(
        "aws_s3_bucket_versioning",
        "this",
        {"versioning_configuration": [config]},
        {
            "versioning_configuration": "versioning",
            "versioning_configuration.0.status": f"versioning.{key}",
            "versioning_configuration.0.mfa_delete": "versioning.mfa_delete",
        },
    )


def _status(value: Any, off: str = "Suspended") -> Any:
    """true/"true"/"Enabled" -> "Enabled"; the module's own normalisation."""
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return "Enabled" if value else off
    text = str(value).lower()
    if text in ("true", "enabled"):
        return "Enabled"
    if text in ("false",):
        return off
    return text.title()


def _logging(inputs: Inputs) -> Planned | None:
    logging_ = _map_input(inputs, "logging")
    if logging_ is None:
        return None
    attributes: dict[str, Any]
    if isinstance(logging_, Unknown):
        attributes = {"target_bucket": logging_, "target_prefix": logging_}
    else:
        attributes = {
            "target_bucket": logging_.get("target_bucket"),
            "target_prefix": logging_.get("target_prefix"),
        }
    return Planned(
        "aws_s3_bucket_logging",
        "this",
        attributes,
        {
            "target_bucket": "logging.target_bucket",
            "target_prefix": "logging.target_prefix",
        },
    )


def _sse(inputs: Inputs) -> Planned | None:
    name = "server_side_encryption_configuration"
    config = _map_input(inputs, name)
    if config is None:
        return None
    rules: Any
    if isinstance(config, Unknown):
        rules = config
    else:
        raw = config.get("rule", [])
        raw = raw if isinstance(raw, list) else [raw]
        rules = [_sse_rule(rule) for rule in raw]
    return Planned(
        "aws_s3_bucket_server_side_encryption_configuration",
        "this",
        {"rule": rules},
        {"rule": f"{name}.rule"},
    )


def _sse_rule(rule: Any) -> Any:
    if not isinstance(rule, dict):
        return Unknown("encryption rule is not known statically")
    out: dict[str, Any] = {}
    if rule.get("bucket_key_enabled") is not None:
        out["bucket_key_enabled"] = rule["bucket_key_enabled"]
    default = rule.get("apply_server_side_encryption_by_default")
    if isinstance(default, Unknown):
        out["apply_server_side_encryption_by_default"] = default
    elif isinstance(default, dict):
        by_default = {"sse_algorithm": default.get("sse_algorithm")}
        if default.get("kms_master_key_id") is not None:
            by_default["kms_master_key_id"] = default["kms_master_key_id"]
        out["apply_server_side_encryption_by_default"] = [by_default]
    return out


ADAPTER = Adapter(
    source="terraform-aws-modules/s3-bucket/aws",
    build=build,
    min_major=3,
    outputs={"s3_bucket_id": "aws_s3_bucket", "s3_bucket_arn": "aws_s3_bucket"},
)
