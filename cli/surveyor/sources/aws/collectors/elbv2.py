"""Elastic Load Balancing v2: the listeners of every ALB and NLB.

Listeners are read per load balancer (DescribeListeners needs one). If that
call fails for any load balancer the listener type is incomplete for the
region, so the failure is recorded without a resource id: AWS-ELB-001 then
reports an ERROR rather than judging only the listeners it could see.
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

LISTENER = "aws_lb_listener"


class ElbV2Collector(Collector):
    service = "elbv2"
    iam_prefix = "elasticloadbalancing"
    scope = Scope.REGIONAL
    resource_types = (LISTENER,)
    operations: ClassVar[Operations] = {
        "DescribeLoadBalancers": (LISTENER,),
        "DescribeListeners": (LISTENER,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        balancers = ctx.paginate(client, "DescribeLoadBalancers", "LoadBalancers")
        if isinstance(balancers, Failed):
            return
        ctx.map(lambda lb: _listeners(ctx, client, lb), balancers)


def _listeners(ctx: CollectContext, client: Any, lb: dict[str, Any]) -> None:
    lb_arn = str(lb["LoadBalancerArn"])
    listeners = ctx.paginate(
        client, "DescribeListeners", "Listeners", LoadBalancerArn=lb_arn
    )
    if isinstance(listeners, Failed):
        return
    for listener in listeners:
        arn = str(listener["ListenerArn"])
        port = listener.get("Port")
        ctx.emit(
            LISTENER,
            arn,
            {
                "arn": arn,
                "load_balancer_arn": lb_arn,
                "load_balancer_type": lb.get("Type"),
                "port": port,
                "protocol": listener.get("Protocol"),
                "ssl_policy": listener.get("SslPolicy"),
                "certificate_arn": next(
                    (c.get("CertificateArn") for c in listener.get("Certificates", [])),
                    None,
                ),
                "default_action": [
                    _action(a) for a in listener.get("DefaultActions", [])
                ],
            },
            name=f"{lb.get('LoadBalancerName', '')}:{port}",
            arn=arn,
        )


def _action(action: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {
        "type": action.get("Type"),
        "order": action.get("Order"),
        "target_group_arn": action.get("TargetGroupArn"),
    }
    redirect = action.get("RedirectConfig")
    if redirect:
        converted["redirect"] = [
            {
                "protocol": redirect.get("Protocol"),
                "port": redirect.get("Port"),
                "host": redirect.get("Host"),
                "path": redirect.get("Path"),
                "query": redirect.get("Query"),
                "status_code": redirect.get("StatusCode"),
            }
        ]
    fixed = action.get("FixedResponseConfig")
    if fixed:
        converted["fixed_response"] = [
            {
                "content_type": fixed.get("ContentType"),
                "status_code": fixed.get("StatusCode"),
            }
        ]
    return converted
