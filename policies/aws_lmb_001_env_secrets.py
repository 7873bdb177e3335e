"""AWS-LMB-001: Lambda environment variables should not hold secrets or AWS keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown
from surveyor.redact import find_secret

# A name that sounds like a secret ...
_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|"
    r"credential|access[_-]?key)",
    re.IGNORECASE,
)
# ... unless it names where the secret lives rather than holding it.
_POINTER_SUFFIX = re.compile(
    r"[_-](arn|name|id|path|param(eter)?|ssm|file|url|uri|ttl|length)$", re.IGNORECASE
)
_POINTER_VALUE = re.compile(r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:)")
# Kinds found by their value's shape alone, whatever the variable is called.
_SHAPE_KINDS = frozenset(
    {"aws-access-key-id", "private-key", "github-token", "slack-token", "jwt"}
)


class LambdaEnvironmentSecrets(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-LMB-001",
        title="Lambda environment variables hold what looks like a secret or AWS key",
        severity=Severity.HIGH,
        resource_types=("aws_lambda_function",),
        description=(
            "A variable in environment { variables } holds a value shaped like an "
            "AWS access key id, a private key or a known token format, or a "
            "non-empty value under a secret-sounding name (PASSWORD, SECRET, TOKEN, "
            "API_KEY, ...). Names that point at a secret (..._ARN, ..._NAME, "
            "..._PATH, ...) and values that are Secrets Manager, SSM or KMS ARNs "
            "pass. A secret-named variable whose value is not known statically "
            "(var.x, a resource attribute) is UNKNOWN: it may be a secret injected "
            "at apply time, which the live scan can judge. Findings name the "
            "variable; the value is never shown."
        ),
        rationale=(
            "Environment variables are returned in clear text by "
            "lambda:GetFunctionConfiguration to anyone with read-only access, are "
            "copied into Terraform state and CI logs, and never rotate. Secrets "
            "belong in Secrets Manager or SSM Parameter Store, fetched at runtime."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_lambda_function" "api" {\n'
                "  # ...\n"
                "  environment {\n"
                "    variables = {\n"
                "      DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn\n"
                "    }\n"
                "  }\n"
                "}\n"
                "# and read the secret at runtime (grant secretsmanager:GetSecretValue)"
            ),
            console=(
                "Console: Lambda > Functions > <fn> > Configuration > Environment "
                "variables > Edit: remove the secret, add a variable holding the "
                "secret's ARN instead > Save.\n"
                "CLI: aws secretsmanager create-secret --name <fn>/<VAR> "
                "--secret-string file://value.txt; then aws lambda "
                "update-function-configuration --function-name <fn> --environment "
                "'Variables={<VAR>_SECRET_ARN=<secret-arn>}'"
            ),
        ),
        runbook=(
            "1. Treat the value as exposed: rotate it at its issuer now (for an "
            "AWS access key: deactivate it in IAM, then check CloudTrail for its "
            "use from unexpected addresses). 2. Store the new value in Secrets "
            "Manager and change the function to read it at runtime. 3. Purge the "
            "old value from Terraform state history and CI logs where possible."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="application-security",
        mitre_attack=("T1552.001",),
        compliance={},
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("environment")
        block = first_block(raw)
        if is_unknown(block):
            return Verdict.unknown(unknown_reason(raw, "environment"), "environment")
        if block is None:
            return Verdict.passed("no environment variables")
        assert not isinstance(block, Unknown)
        variables = block.get("variables")
        path = "environment.0.variables"
        if is_unknown(variables):
            return Verdict.unknown(unknown_reason(variables, path), path)
        if not isinstance(variables, Mapping) or not variables:
            return Verdict.passed("no environment variables")

        secrets: list[tuple[str, str]] = []
        undecided: list[str] = []
        for name, value in variables.items():
            if is_unknown(value):
                if _names_a_secret(name):
                    undecided.append(name)
                continue
            if isinstance(value, str):
                kind = _secret_kind(name, value)
                if kind:
                    secrets.append((name, kind))

        if secrets:
            name, kind = secrets[0]
            more = f" (and {len(secrets) - 1} more)" if len(secrets) > 1 else ""
            others = ", ".join(n for n, _ in secrets[1:])
            listed = f": {others}" if others else ""
            return Verdict.failed(
                f"{path}.{name} holds what looks like a secret ({kind}, value redacted)"
                f"{more}{listed}",
                f"{path}.{name}",
            )
        if undecided:
            return Verdict.unknown(
                f"{path}.{undecided[0]} sounds like a secret and its value is not "
                "known statically",
                f"{path}.{undecided[0]}",
            )
        return Verdict.passed(
            f"none of {len(variables)} environment variables look secret"
        )


def _names_a_secret(name: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and not _POINTER_SUFFIX.search(name)


def _secret_kind(name: str, value: str) -> str | None:
    if not value or _POINTER_VALUE.match(value):
        return None
    kind = find_secret(value, name)
    if kind is None:
        return None
    if kind in _SHAPE_KINDS:
        return kind
    # Name-based kinds (also what a live snapshot's redaction marker says).
    return kind if _names_a_secret(name) else None
