"""AWS-CT-001: no multi-region CloudTrail trail is logging."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import is_true, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri, tri_all, tri_any
from surveyor.model.types import ACCOUNT_ANCHOR

TRAIL = "aws_cloudtrail"


def trail_covers_account(trail: Resource) -> Tri:
    """Multi-region (default false) and logging (enable_logging, default true)."""
    return tri_all(
        [
            is_true(trail.get("is_multi_region_trail"), default=False),
            is_true(trail.get("enable_logging"), default=True),
        ]
    )


class NoMultiRegionTrail(Check):
    meta = RuleMeta(
        id="AWS-CT-001",
        title="No multi-region CloudTrail trail is logging",
        severity=Severity.HIGH,
        resource_types=(TRAIL, ACCOUNT_ANCHOR),
        description=(
            "Terraform: every declared aws_cloudtrail must set "
            "is_multi_region_trail = true (default false), keep global service "
            "events (include_global_service_events, default true) and keep "
            "logging on (enable_logging, default true). Live: the account fails "
            "when none "
            "of its trails (organization trails included) is multi-region and "
            "logging. Event selectors (read/write management events) are not "
            "judged here."
        ),
        rationale=(
            "Without a logging multi-region trail, API activity in other "
            "regions - where attackers like to launch resources - leaves no "
            "durable record, and incident response starts blind."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_cloudtrail" "main" {\n'
                '  name                          = "main"\n'
                "  s3_bucket_name                = aws_s3_bucket.trail.id\n"
                "  is_multi_region_trail         = true\n"
                "  include_global_service_events = true\n"
                "  enable_log_file_validation    = true\n"
                "  enable_logging                = true\n"
                "}\n"
            ),
            console=(
                "CloudTrail console > Trails > Create trail (or edit one) > "
                "'Enable for all accounts/regions' and Logging on. CLI: aws "
                "cloudtrail update-trail --name main --is-multi-region-trail; "
                "aws cloudtrail start-logging --name main"
            ),
        ),
        runbook=(
            "Contain: if logging was stopped unexpectedly, restart it (aws "
            "cloudtrail start-logging) and find who stopped it (StopLogging / "
            "DeleteTrail / UpdateTrail events in the Event history, which keeps "
            "90 days). Verify: look for activity in regions the account does "
            "not use during the gap. Fix: declare a multi-region trail in "
            "Terraform and apply. Follow up: protect the trail with an SCP "
            "denying StopLogging/DeleteTrail."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        side_reason=(
            "IaC judges the trails it declares; the absence of any trail is live-only"
        ),
        mitre_attack=("T1562.008",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.1",),
            "AWS Foundational Security Best Practices": ("CloudTrail.1",),
        },
        references=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        # Terraform judges each trail; live judges the account as a whole.
        wanted = TRAIL if resource.side is Side.IAC else ACCOUNT_ANCHOR
        return resource.type == wanted

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        if resource.type == TRAIL:
            return _declared_trail(resource)
        return _account(resource, context)


def _declared_trail(trail: Resource) -> Verdict:
    multi_raw = trail.get("is_multi_region_trail")
    multi = is_true(multi_raw, default=False)
    if is_unknown(multi):
        return Verdict.unknown(
            unknown_reason(multi_raw, "is_multi_region_trail"), "is_multi_region_trail"
        )
    if not multi:
        if multi_raw is None:
            return Verdict.failed(
                "is_multi_region_trail is not set (default false): the trail "
                "records one region only"
            )
        return Verdict.failed(
            "is_multi_region_trail = false: the trail records one region only",
            "is_multi_region_trail",
        )
    global_raw = trail.get("include_global_service_events")
    global_events = is_true(global_raw, default=True)
    if is_unknown(global_events):
        return Verdict.unknown(
            unknown_reason(global_raw, "include_global_service_events"),
            "include_global_service_events",
        )
    if not global_events:
        return Verdict.failed(
            "include_global_service_events = false: IAM, STS and CloudFront "
            "activity is not recorded (and AWS rejects it on a multi-region trail)",
            "include_global_service_events",
        )
    logging_raw = trail.get("enable_logging")
    logging_ = is_true(logging_raw, default=True)
    if is_unknown(logging_):
        return Verdict.unknown(
            unknown_reason(logging_raw, "enable_logging"), "enable_logging"
        )
    if not logging_:
        return Verdict.failed(
            "enable_logging = false: the trail does not record", "enable_logging"
        )
    return Verdict.passed("multi-region trail with logging on", "is_multi_region_trail")


def _account(anchor: Resource, context: CheckContext) -> Verdict:
    errors = context.resources.errors_for([TRAIL])
    trails = [
        t
        for t in context.resources.of_type(TRAIL, side=Side.LIVE)
        if anchor.account is None or t.account in (None, anchor.account)
    ]
    covering = [t for t in trails if trail_covers_account(t) is True]
    if covering:
        return Verdict.passed(
            f"trail {covering[0].name or covering[0].address} is "
            "multi-region and logging"
        )
    if errors:
        return Verdict.unknown(
            "trails could not all be collected: " + errors[0].describe()
        )
    if is_unknown(tri_any(trail_covers_account(t) for t in trails)):
        return Verdict.unknown("a trail's multi-region or logging status is not known")
    if not trails:
        return Verdict.failed("the account has no CloudTrail trail")
    # A multi-region trail is listed once per region it covers.
    unique = sorted({t.name or t.address for t in trails})
    names = ", ".join(unique[:5]) + (", ..." if len(unique) > 5 else "")
    return Verdict.failed(
        f"no trail is both multi-region and logging (trails: {names})"
    )
