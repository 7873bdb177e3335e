"""Secrets Manager: secrets with their rotation status.

ListSecrets already carries RotationEnabled (absent for a secret that never
rotated, emitted as false); secret values are never read.
"""

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

SECRET = "aws_secretsmanager_secret"


class SecretsManagerCollector(Collector):
    service = "secretsmanager"
    scope = Scope.REGIONAL
    resource_types = (SECRET,)
    operations: ClassVar[Operations] = {"ListSecrets": (SECRET,)}

    def collect(self, ctx: CollectContext) -> None:
        secrets = ctx.paginate(ctx.client(), "ListSecrets", "SecretList")
        if isinstance(secrets, Failed):
            return
        for secret in secrets:
            _emit(ctx, secret)


def _emit(ctx: CollectContext, secret: dict[str, Any]) -> None:
    arn, name = str(secret["ARN"]), str(secret.get("Name", ""))
    rules = secret.get("RotationRules") or {}
    ctx.emit(
        SECRET,
        arn,
        {
            "name": name,
            "arn": arn,
            "kms_key_id": secret.get("KmsKeyId"),
            "rotation_enabled": bool(secret.get("RotationEnabled", False)),
            "rotation_lambda_arn": secret.get("RotationLambdaARN"),
            "rotation_rules": (
                [
                    {
                        "automatically_after_days": rules.get("AutomaticallyAfterDays"),
                        "schedule_expression": rules.get("ScheduleExpression"),
                    }
                ]
                if rules
                else []
            ),
        },
        name=name,
        arn=arn,
        tags=tags_of(secret.get("Tags")),
    )
