"""EFS: file systems; DescribeFileSystems carries the encryption flag."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    tags_of,
)

FILE_SYSTEM = "aws_efs_file_system"


class EfsCollector(Collector):
    service = "efs"
    iam_prefix = "elasticfilesystem"
    scope = Scope.REGIONAL
    resource_types = (FILE_SYSTEM,)
    operations: ClassVar[Operations] = {"DescribeFileSystems": (FILE_SYSTEM,)}

    def collect(self, ctx: CollectContext) -> None:
        found = ctx.paginate(ctx.client(), "DescribeFileSystems", "FileSystems")
        if isinstance(found, Failed):
            return
        for file_system in found:
            _emit(ctx, file_system)


def _emit(ctx: CollectContext, fs: dict[str, Any]) -> None:
    fs_id = str(fs["FileSystemId"])
    arn = str(
        fs.get("FileSystemArn")
        or ctx.regional_arn("elasticfilesystem", f"file-system/{fs_id}")
    )
    ctx.emit(
        FILE_SYSTEM,
        arn,
        {
            "id": fs_id,
            "arn": arn,
            "creation_token": fs.get("CreationToken"),
            "encrypted": bool(fs.get("Encrypted", False)),
            "kms_key_id": fs.get("KmsKeyId"),
            "performance_mode": fs.get("PerformanceMode"),
        },
        name=str(fs.get("Name") or fs_id),
        arn=arn,
        tags=tags_of(fs.get("Tags")),
    )
