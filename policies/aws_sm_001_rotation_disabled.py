"""AWS-SM-001: a Secrets Manager secret should rotate automatically."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, unknown_reason
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri

ROTATION_TYPE = "aws_secretsmanager_secret_rotation"


class SecretRotationDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-SM-001",
        title="Secrets Manager secret rotation disabled",
        severity=Severity.MEDIUM,
        resource_types=("aws_secretsmanager_secret",),
        description=(
            "The secret has no automatic rotation. In Terraform, rotation is a "
            "separate resource, aws_secretsmanager_secret_rotation, whose secret_id "
            "references the secret: the rule looks for one (or, in provider v3, an "
            "inline rotation_rules block). When a rotation's secret_id cannot be "
            "matched statically (an unknown for_each key, a value from a variable) "
            "the secrets it could refer to are UNKNOWN rather than failed. Live, "
            "the RotationEnabled flag ListSecrets reports decides."
        ),
        rationale=(
            "A secret that never changes stays valid for as long as any copy of it "
            "exists: in a former employee's shell history, a log line, a leaked "
            "backup. Automatic rotation bounds how long a leak is useful."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_secretsmanager_secret_rotation" "db" {\n'
                "  secret_id           = aws_secretsmanager_secret.db.id\n"
                "  rotation_lambda_arn = aws_lambda_function.rotate_db.arn\n"
                "  rotation_rules {\n"
                "    automatically_after_days = 30\n"
                "  }\n"
                "}"
            ),
            console=(
                "Console: Secrets Manager > Secrets > <secret> > Rotation > Edit "
                "rotation > Automatic rotation on, schedule, rotation function "
                "(AWS provides templates for RDS, Redshift, DocumentDB) > Save.\n"
                "CLI: aws secretsmanager rotate-secret --secret-id <arn> "
                "--rotation-lambda-arn <fn-arn> "
                "--rotation-rules AutomaticallyAfterDays=30"
            ),
        ),
        runbook=(
            "1. Find the secret's consumers (tags, CloudTrail GetSecretValue "
            "callers) and confirm they read the secret at runtime rather than "
            "caching it at deploy time. 2. Attach a rotation function (for managed "
            "databases, the AWS template or manage_master_user_password) and a "
            "schedule of 30-90 days. 3. Trigger one rotation and watch the "
            "consumers' error rates."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="application-security",
        mitre_attack=("T1098.001",),
        compliance={"AWS Foundational Security Best Practices": ("SecretsManager.1",)},
        references=(
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.side is Side.LIVE:
            return self._live(resource)
        inline = first_block(resource.get("rotation_rules"))
        if inline is not None and not is_unknown(inline):
            return Verdict.passed("rotation_rules is set inline", "rotation_rules")

        matched: list[str] = []
        possible: list[str] = []
        for rotation in context.resources.of_type(ROTATION_TYPE, side=Side.IAC):
            verdict = _refers_to(rotation, resource)
            if verdict is True:
                matched.append(rotation.address)
            elif is_unknown(verdict):
                possible.append(rotation.address)
        if matched:
            return Verdict.passed(f"rotated by {matched[0]}")
        if possible:
            return Verdict.unknown(
                f"{possible[0]}.secret_id is not known statically and may refer to "
                "this secret"
            )
        return Verdict.failed(
            f"no {ROTATION_TYPE} references this secret: rotation is disabled"
        )

    def _live(self, resource: Resource) -> Verdict:
        raw = resource.get("rotation_enabled")
        enabled = as_bool(raw, default=False)
        if is_unknown(enabled):
            return Verdict.unknown(
                unknown_reason(raw, "rotation_enabled"), "rotation_enabled"
            )
        if enabled:
            return Verdict.passed("rotation_enabled = true", "rotation_enabled")
        return Verdict.failed("rotation_enabled = false", "rotation_enabled")


def _refers_to(rotation: Resource, secret: Resource) -> Tri:
    """True, False, or UNKNOWN: does the rotation's secret_id name this secret?"""
    secret_id = rotation.get("secret_id")
    if is_unknown(secret_id):
        # A reference to another resource keeps that resource's address.
        target = getattr(secret_id, "address", None)
        if not isinstance(target, str):
            return UNKNOWN
        if target == secret.address:
            return True
        if "[" not in target and secret.address.startswith(target + "["):
            return UNKNOWN  # aws_..._secret.x[each.key]: one of the instances
        return False
    if not isinstance(secret_id, str) or not secret_id:
        return False
    name = secret.get("name")
    arn = secret.get("arn") or secret.arn
    if isinstance(arn, str) and secret_id == arn:
        return True
    if isinstance(name, str) and (secret_id == name or f":secret:{name}-" in secret_id):
        return True
    if is_unknown(name):
        return UNKNOWN
    return False
