"""AWS-EC2-008: a VPC has no flow log."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

FLOW_LOG = "aws_flow_log"


class VpcWithoutFlowLog(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC2-008",
        title="VPC has no flow log",
        severity=Severity.MEDIUM,
        resource_types=("aws_vpc",),
        description=(
            "No flow log captures the VPC's traffic. In Terraform: no "
            "aws_flow_log whose vpc_id refers to this aws_vpc (the VPCs the "
            "configuration declares are judged; a flow log with an unknown vpc_id "
            "makes the answer UNKNOWN). Live: DescribeFlowLogs lists none for the "
            "VPC."
        ),
        rationale=(
            "Flow logs are the only record of which addresses talked to which "
            "interfaces and how much data left. Without them an investigation "
            "cannot tell whether an exposed port was used or data was exfiltrated."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_flow_log" "this" {\n'
                "  vpc_id               = aws_vpc.this.id\n"
                '  traffic_type         = "ALL"\n'
                '  log_destination_type = "s3"\n'
                "  log_destination      = aws_s3_bucket.flow_logs.arn\n"
                "}"
            ),
            console=(
                "VPC console > Your VPCs > VPC > Flow logs > Create flow log: "
                "Filter All, destination S3 or CloudWatch Logs. CLI: aws ec2 "
                "create-flow-logs --resource-type VPC --resource-ids vpc-... "
                "--traffic-type ALL --log-destination-type s3 --log-destination "
                "arn:aws:s3:::BUCKET"
            ),
        ),
        runbook=(
            "Create the flow log (no impact on traffic). If the VPC hosts anything "
            "internet-facing and an incident is open, note that there is no record "
            "before now and look for other evidence (ELB/ALB access logs, "
            "GuardDuty findings)."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.008",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.7",),
            "AWS Foundational Security Best Practices": ("EC2.6",),
        },
        references=("https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.side is Side.LIVE:
            ids = resource.get("flow_log_ids")
            if is_unknown(ids):
                return Verdict.unknown(
                    unknown_reason(ids, "flow_log_ids"), "flow_log_ids"
                )
            if ids:
                return Verdict.passed(f"flow logs: {', '.join(map(str, ids))}")
            return Verdict.failed("no flow log for the VPC (DescribeFlowLogs)")
        undecided: list[str] = []
        for flow_log in context.resources.of_type(FLOW_LOG, side=Side.IAC):
            target = flow_log.get("vpc_id")
            address = getattr(target, "address", None)
            if address == resource.address:
                return Verdict.passed(f"{flow_log.address} has vpc_id = {address}.id")
            if is_unknown(target) and address is None:
                undecided.append(flow_log.address)
        if undecided:
            return Verdict.unknown(
                f"{', '.join(undecided)}: vpc_id is not known statically and may be "
                "this VPC"
            )
        return Verdict.failed(
            "no aws_flow_log in the configuration has vpc_id referring to this VPC"
        )
