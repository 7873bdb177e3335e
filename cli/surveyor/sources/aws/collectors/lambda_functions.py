"""Lambda: functions with their environment variables, redacted.

ListFunctions carries each function's environment. Values that look like
secrets are replaced by surveyor.redact markers before they are emitted, so
no snapshot or report ever holds them; AWS-LMB-001 reads the markers.
(The module is not named `lambda`, a Python keyword.)
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.model import Unknown
from surveyor.redact import redact_environment
from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

FUNCTION = "aws_lambda_function"


class LambdaCollector(Collector):
    service = "lambda"
    scope = Scope.REGIONAL
    resource_types = (FUNCTION,)
    operations: ClassVar[Operations] = {"ListFunctions": (FUNCTION,)}

    def collect(self, ctx: CollectContext) -> None:
        functions = ctx.paginate(ctx.client(), "ListFunctions", "Functions")
        if isinstance(functions, Failed):
            return
        for function in functions:
            _emit(ctx, function)


def _emit(ctx: CollectContext, function: dict[str, Any]) -> None:
    name, arn = str(function["FunctionName"]), str(function["FunctionArn"])
    ctx.emit(
        FUNCTION,
        arn,
        {
            "function_name": name,
            "arn": arn,
            "runtime": function.get("Runtime"),
            "role": function.get("Role"),
            "kms_key_arn": function.get("KMSKeyArn"),
            "environment": _environment(function.get("Environment")),
        },
        name=name,
        arn=arn,
    )


def _environment(environment: dict[str, Any] | None) -> Any:
    if not environment:
        return []
    error = environment.get("Error")
    if error and "Variables" not in environment:
        # The variables could not be decrypted for us (KMS): not known.
        return [{"variables": Unknown(f"environment: {error.get('ErrorCode')}")}]
    return [{"variables": redact_environment(environment.get("Variables") or {})}]
