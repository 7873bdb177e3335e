"""AWS-KMS-001: a customer-managed symmetric key without automatic rotation."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

SYMMETRIC_SPEC = "SYMMETRIC_DEFAULT"
ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
# Live key states in which rotation cannot be changed or no longer matters.
INACTIVE_STATES = frozenset({"PendingDeletion", "PendingReplicaDeletion"})


class KeyRotationDisabled(Check):
    meta = RuleMeta(
        id="AWS-KMS-001",
        title="Customer-managed symmetric key rotation disabled",
        severity=Severity.MEDIUM,
        resource_types=("aws_kms_key",),
        description=(
            "An aws_kms_key with customer_master_key_spec SYMMETRIC_DEFAULT (or "
            "left out) and key_usage ENCRYPT_DECRYPT (or left out) whose "
            "enable_key_rotation is false or left out. Asymmetric and HMAC keys "
            "cannot rotate automatically and are not judged; live, neither are "
            "AWS-managed keys (AWS rotates them), keys with imported or external "
            "key material (origin other than AWS_KMS) nor keys pending deletion."
        ),
        rationale=(
            "Automatic rotation limits how much data one key version protects "
            "and is what most frameworks require; it is transparent to callers, "
            "since old versions stay available for decryption."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_kms_key" "this" {\n'
                '  description         = "app data"\n'
                "  enable_key_rotation = true\n"
                "}\n"
            ),
            console=(
                "KMS console > Customer managed keys > key > Key rotation > tick "
                "'Automatically rotate this KMS key every year' > Save. CLI: aws "
                "kms enable-key-rotation --key-id KEY_ID"
            ),
        ),
        runbook=(
            "Contain: nothing is exposed by this alone. Verify: confirm the key "
            "is in use (CloudTrail Decrypt/Encrypt events) and symmetric. Fix: "
            "enable_key_rotation = true in Terraform (or aws kms "
            "enable-key-rotation) - no application change is needed. Follow "
            "up: if the key material may have leaked, rotate on demand (aws kms "
            "rotate-key-on-demand) as well."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1486",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.6",),
            "AWS Foundational Security Best Practices": ("KMS.4",),
        },
        references=(
            "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        spec = resource.get("customer_master_key_spec")
        if spec is None:
            spec = resource.get("key_spec")  # the newer provider argument name
        usage = resource.get("key_usage")
        if not is_unknown(spec) and spec is not None and spec != SYMMETRIC_SPEC:
            return False
        if not is_unknown(usage) and usage is not None and usage != ENCRYPT_DECRYPT:
            return False
        if resource.side is Side.LIVE:
            manager = resource.get("key_manager")
            origin = resource.get("origin")
            state = resource.get("key_state")
            if isinstance(manager, str) and manager.upper() == "AWS":
                return False
            if isinstance(origin, str) and origin != "AWS_KMS":
                return False
            if isinstance(state, str) and state in INACTIVE_STATES:
                return False
        return True

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        for name in ("customer_master_key_spec", "key_usage"):
            if is_unknown(resource.get(name)):
                return Verdict.unknown(unknown_reason(resource.get(name), name), name)
        raw = resource.get("enable_key_rotation")
        value = as_bool(raw, default=False)
        if is_unknown(value):
            return Verdict.unknown(
                unknown_reason(raw, "enable_key_rotation"), "enable_key_rotation"
            )
        if value:
            return Verdict.passed("enable_key_rotation = true", "enable_key_rotation")
        if raw is None:
            return Verdict.failed(
                "enable_key_rotation is not set (default false): the key never rotates"
            )
        return Verdict.failed(
            "enable_key_rotation = false: the key never rotates", "enable_key_rotation"
        )
