"""ELBv2 collection: listeners and their default actions, for AWS-ELB-001."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_elb_001_http_listener import HttpListenerWithoutRedirect
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def elbv2(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("elbv2", region_name="us-east-1")


def balancer(elbv2: Any) -> tuple[str, str]:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"][
            "SubnetId"
        ]
        for cidr, zone in (("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b"))
    ]
    lb = elbv2.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]
    group = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)
    return str(lb["LoadBalancerArn"]), str(group["TargetGroups"][0]["TargetGroupArn"])


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=["us-east-1"], services={"elbv2"}, event_hooks=list(hooks))
    )


def test_http_forward_fails_and_http_redirect_passes(elbv2: Any) -> None:
    lb_arn, group_arn = balancer(elbv2)
    forward = elbv2.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=8080,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group_arn}],
    )["Listeners"][0]["ListenerArn"]
    redirect = elbv2.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {
                "Type": "redirect",
                "RedirectConfig": {
                    "Protocol": "HTTPS",
                    "Port": "443",
                    "StatusCode": "HTTP_301",
                },
            }
        ],
    )["Listeners"][0]["ListenerArn"]

    resources = collect()

    found = resources.get(redirect)
    assert found is not None
    assert found.attributes["default_action"][0]["redirect"][0]["protocol"] == "HTTPS"
    results = run_checks([HttpListenerWithoutRedirect()], resources)
    assert {r.resource: r.status for r in results} == {
        forward: Status.FAIL,
        redirect: Status.PASS,
    }


def test_denied_listeners_make_the_type_an_error_in_the_region(elbv2: Any) -> None:
    balancer(elbv2)

    resources = collect(
        *api_error("elastic-load-balancing-v2", "DescribeListeners", "AccessDenied")
    )

    results = run_checks([HttpListenerWithoutRedirect()], resources)
    assert [r.status for r in results] == [Status.ERROR]
