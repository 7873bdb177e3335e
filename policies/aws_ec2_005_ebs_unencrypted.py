"""AWS-EC2-005: an EBS volume that is not encrypted."""

from __future__ import annotations

from collections.abc import Mapping

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, blocks, is_true, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

DEFAULT_ENCRYPTION = "aws_ebs_encryption_by_default"
DEVICE_BLOCKS = ("root_block_device", "ebs_block_device")


class EbsVolumeUnencrypted(Check):
    meta = RuleMeta(
        id="AWS-EC2-005",
        title="EBS volume not encrypted",
        severity=Severity.HIGH,
        resource_types=("aws_ebs_volume", "aws_instance"),
        description=(
            "An aws_ebs_volume with encrypted false or left out, or an "
            "aws_instance root_block_device / ebs_block_device that sets "
            "encrypted = false. A declared aws_ebs_encryption_by_default with "
            "enabled true (its default) encrypts every new volume whatever the "
            "attribute says, so it makes these pass. A volume restored from a "
            "snapshot_id without an encrypted attribute takes the snapshot's "
            "encryption, which is UNKNOWN statically. An instance block device "
            "that does not mention encrypted follows its AMI and the region "
            "default (AWS-EC2-009) and is not judged here; live, every volume, "
            "root volumes included, is judged from the API's Encrypted flag."
        ),
        rationale=(
            "Unencrypted volumes and their snapshots can be copied or shared "
            "and read outside the account's key controls; encryption ties every "
            "copy to a KMS key policy and is free of performance cost."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_ebs_volume" "data" {\n'
                "  availability_zone = var.az\n"
                "  size              = 100\n"
                "  encrypted         = true\n"
                "  kms_key_id        = aws_kms_key.ebs.arn\n"
                "}\n\n"
                "# and for every new volume in the region:\n"
                'resource "aws_ebs_encryption_by_default" "this" {\n'
                "  enabled = true\n"
                "}\n"
            ),
            console=(
                "A volume cannot be encrypted in place: create a snapshot, copy "
                "it with encryption (aws ec2 copy-snapshot --encrypted "
                "--kms-key-id KEY), create a volume from the copy and swap it in. "
                "Turn on EC2 console > Settings > EBS encryption (aws ec2 "
                "enable-ebs-encryption-by-default) so new volumes are encrypted."
            ),
        ),
        runbook=(
            "Contain: check whether snapshots of the volume are shared or public "
            "(aws ec2 describe-snapshot-attribute) and stop the sharing. Verify: "
            "identify the data on the volume with its owner. Fix: migrate to an "
            "encrypted copy (snapshot, copy --encrypted, new volume) in a "
            "maintenance window and set encrypted = true in Terraform. Follow "
            "up: enable EBS encryption by default in every region used."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.2.1",),
            "AWS Foundational Security Best Practices": ("EC2.3", "EC2.7"),
        },
        references=(
            "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        if resource.type == "aws_ebs_volume":
            return True
        if resource.side is Side.LIVE:
            return False  # live root volumes are aws_ebs_volume resources too
        # Instance block devices are judged only where they state `encrypted`.
        return any(
            is_unknown(block) or (isinstance(block, Mapping) and "encrypted" in block)
            for name in DEVICE_BLOCKS
            for _, block in blocks(resource.get(name))
        )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == "aws_instance":
            return self._instance(resource, context)
        encrypted = as_bool(resource.get("encrypted"))
        if encrypted is True:
            return Verdict.passed("encrypted = true", "encrypted")
        if is_unknown(encrypted):
            return Verdict.unknown(
                unknown_reason(resource.get("encrypted"), "encrypted"), "encrypted"
            )
        if _default_on(resource, context):
            return Verdict.passed(
                "aws_ebs_encryption_by_default encrypts the volume", "encrypted"
            )
        if encrypted is None:
            if resource.get("snapshot_id") is not None:
                return Verdict.unknown(
                    "encrypted is not set, so the volume takes its snapshot's "
                    "encryption, which is not known statically",
                    "snapshot_id",
                )
            return Verdict.failed(
                "encrypted is not set (default false): the volume is not encrypted"
            )
        return Verdict.failed(
            "encrypted = false: the volume is not encrypted", "encrypted"
        )

    def _instance(self, resource: Resource, context: CheckContext) -> Verdict:
        unknown_at: str | None = None
        for name in DEVICE_BLOCKS:
            for index, block in blocks(resource.get(name)):
                path = f"{name}.{index}.encrypted"
                if is_unknown(block):
                    unknown_at = unknown_at or f"{name}.{index}"
                    continue
                assert isinstance(block, Mapping)
                if "encrypted" not in block:
                    continue
                value = is_true(block.get("encrypted"))
                if is_unknown(value):
                    unknown_at = unknown_at or path
                elif not value and not _default_on(resource, context):
                    return Verdict.failed(
                        f"{name}[{index}] encrypted = false: the volume is not "
                        "encrypted",
                        path,
                    )
        if unknown_at is not None:
            return Verdict.unknown(f"{unknown_at} is not known statically", unknown_at)
        return Verdict.passed("every block device that states encrypted is encrypted")


def _default_on(resource: Resource, context: CheckContext) -> bool:
    """Only Terraform needs this: a live volume's own flag is the truth."""
    if resource.side is not Side.IAC:
        return False
    return any(
        is_true(d.get("enabled"), default=True) is True
        for d in context.resources.of_type(DEFAULT_ENCRYPTION, side=Side.IAC)
    )
