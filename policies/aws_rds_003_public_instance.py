"""AWS-RDS-003: a DB instance reachable from the internet."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class PublicDbInstance(Check):
    meta = RuleMeta(
        id="AWS-RDS-003",
        title="DB instance publicly accessible",
        severity=Severity.CRITICAL,
        resource_types=("aws_db_instance",),
        description=(
            "An aws_db_instance with publicly_accessible = true (the default is "
            "false): RDS gives it a public DNS name resolving to a public IP, "
            "so only its security groups stand between it and the internet."
        ),
        rationale=(
            "Databases exposed to the internet are found by scanners and "
            "attacked with credential stuffing and engine exploits; a database "
            "should be reachable only from the application's network."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_db_instance" "this" {\n'
                "  # ...\n"
                "  publicly_accessible    = false\n"
                "  db_subnet_group_name   = aws_db_subnet_group.private.name\n"
                "  vpc_security_group_ids = [aws_security_group.db.id]\n"
                "}\n"
            ),
            console=(
                "RDS console > Databases > instance > Modify > Connectivity > "
                "Additional configuration > Not publicly accessible > Apply "
                "immediately. CLI: aws rds modify-db-instance "
                "--db-instance-identifier ID --no-publicly-accessible "
                "--apply-immediately"
            ),
        ),
        runbook=(
            "Contain: make the instance not publicly accessible (apply "
            "immediately) or remove 0.0.0.0/0 from its security groups. Verify: "
            "check its security groups for internet sources and the database "
            "logs for failed and successful logins from unknown addresses. "
            "Fix: publicly_accessible = false in Terraform, private subnets "
            "only. Follow up: rotate the master password if any login from "
            "outside is found."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1190",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.3.3",),
            "AWS Foundational Security Best Practices": ("RDS.2",),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("publicly_accessible")
        value = as_bool(raw, default=False)
        if is_unknown(value):
            return Verdict.unknown(
                unknown_reason(raw, "publicly_accessible"), "publicly_accessible"
            )
        if value:
            return Verdict.failed(
                "publicly_accessible = true: the instance has a public endpoint",
                "publicly_accessible",
            )
        return Verdict.passed("publicly_accessible is false", "publicly_accessible")
