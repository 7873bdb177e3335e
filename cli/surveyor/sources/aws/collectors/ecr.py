"""ECR: private repositories; DescribeRepositories carries both settings."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

REPOSITORY = "aws_ecr_repository"


class EcrCollector(Collector):
    service = "ecr"
    scope = Scope.REGIONAL
    resource_types = (REPOSITORY,)
    operations: ClassVar[Operations] = {"DescribeRepositories": (REPOSITORY,)}

    def collect(self, ctx: CollectContext) -> None:
        repositories = ctx.paginate(
            ctx.client(), "DescribeRepositories", "repositories"
        )
        if isinstance(repositories, Failed):
            return
        for repository in repositories:
            _emit(ctx, repository)


def _emit(ctx: CollectContext, repo: dict[str, Any]) -> None:
    name, arn = str(repo["repositoryName"]), str(repo["repositoryArn"])
    scanning = repo.get("imageScanningConfiguration") or {}
    encryption = repo.get("encryptionConfiguration") or {}
    ctx.emit(
        REPOSITORY,
        arn,
        {
            "name": name,
            "arn": arn,
            "repository_url": repo.get("repositoryUri"),
            "image_tag_mutability": repo.get("imageTagMutability", "MUTABLE"),
            "image_scanning_configuration": [
                {"scan_on_push": bool(scanning.get("scanOnPush", False))}
            ],
            "encryption_configuration": [
                {
                    "encryption_type": encryption.get("encryptionType", "AES256"),
                    "kms_key": encryption.get("kmsKey"),
                }
            ],
        },
        name=name,
        arn=arn,
    )
