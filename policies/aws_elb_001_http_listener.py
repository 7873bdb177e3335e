"""AWS-ELB-001: a load balancer listener should not serve plain HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import blocks, first_block, unknown_reason
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown
from surveyor.model.policy_document import Tri


class HttpListenerWithoutRedirect(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-ELB-001",
        title="Load balancer listener serves plain HTTP without redirecting to HTTPS",
        severity=Severity.MEDIUM,
        resource_types=("aws_lb_listener", "aws_alb_listener"),
        description=(
            "A listener whose protocol is HTTP (the provider's default for an "
            "Application Load Balancer when protocol is not written) passes only "
            "when a default_action redirects to HTTPS. Forward, fixed-response and "
            "authenticate actions over HTTP fail; HTTPS, TLS, TCP and UDP listeners "
            "are not plain HTTP and pass. Listener rules (aws_lb_listener_rule) "
            "are not read: a redirect in a rule does not make the default action "
            "safe."
        ),
        rationale=(
            "Plain HTTP carries cookies, tokens and form data readable and "
            "changeable by anyone on the network path; redirecting to HTTPS keeps "
            "old links working while making every session encrypted."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_lb_listener" "http" {\n'
                "  load_balancer_arn = aws_lb.web.arn\n"
                "  port              = 80\n"
                '  protocol          = "HTTP"\n'
                "  default_action {\n"
                '    type = "redirect"\n'
                "    redirect {\n"
                '      port        = "443"\n'
                '      protocol    = "HTTPS"\n'
                '      status_code = "HTTP_301"\n'
                "    }\n"
                "  }\n"
                "}"
            ),
            console=(
                "Console: EC2 > Load Balancers > <lb> > Listeners > HTTP:80 > Edit "
                "> Default action: Redirect to URL, HTTPS, port 443, 301 > Save "
                "(an HTTPS:443 listener with a certificate must exist).\n"
                "CLI: aws elbv2 modify-listener --listener-arn <arn> "
                "--default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,"
                "Port=443,StatusCode=HTTP_301}'"
            ),
        ),
        runbook=(
            "1. Confirm the load balancer has an HTTPS listener with a valid "
            "certificate; create one first if not. 2. Change the HTTP listener's "
            "default action to a 301 redirect to HTTPS. 3. Check for clients that "
            "cannot follow redirects (health checkers, old devices) with the owning "
            "team before closing port 80 entirely."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1040",),
        compliance={"AWS Foundational Security Best Practices": ("ELB.1",)},
        references=(
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        # A Gateway Load Balancer listener has neither protocol nor port.
        return not (resource.get("protocol") is None and resource.get("port") is None)

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        protocol = resource.get("protocol")
        if is_unknown(protocol):
            return Verdict.unknown(unknown_reason(protocol, "protocol"), "protocol")
        if protocol is not None and str(protocol).upper() != "HTTP":
            return Verdict.passed(
                f"protocol = {self.describe_value(protocol)}", "protocol"
            )
        shown = 'protocol = "HTTP"' if protocol else "protocol is not set (HTTP)"

        actions = resource.get("default_action")
        if is_unknown(actions):
            return Verdict.unknown(
                unknown_reason(actions, "default_action"), "default_action"
            )
        undecided = False
        for index, action in blocks(actions):
            if is_unknown(action):
                undecided = True
                continue
            assert isinstance(action, Mapping)
            redirects = _redirects_to_https(action)
            if redirects is True:
                return Verdict.passed(
                    f"{shown} and default_action.{index} redirects to HTTPS",
                    f"default_action.{index}",
                )
            if is_unknown(redirects):
                undecided = True
        if undecided:
            return Verdict.unknown(
                f"{shown} and a default_action is not known statically",
                "default_action",
            )
        return Verdict.failed(
            f"{shown} and no default_action redirects to HTTPS",
            "protocol" if protocol else None,
        )


def _redirects_to_https(action: Mapping[str, Any]) -> Tri:
    kind = action.get("type")
    if is_unknown(kind):
        return UNKNOWN
    if str(kind).lower() != "redirect":
        return False
    redirect = first_block(action.get("redirect"))
    if redirect is None:
        return False
    if is_unknown(redirect):
        return UNKNOWN
    assert isinstance(redirect, Mapping)
    target = redirect.get("protocol")
    if is_unknown(target):
        return UNKNOWN
    return str(target).upper() == "HTTPS"
