"""EC2 collection: security group rules, volumes, instances, regional settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_ec2_001_ssh_from_internet import SshFromInternet
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws


@pytest.fixture
def ec2(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("ec2", region_name="us-east-1")


def collect(
    *hooks: tuple[str, Any], regions: tuple[str, ...] = ("us-east-1",)
) -> ResourceSet:
    return collect_aws(
        AwsOptions(regions=list(regions), services={"ec2"}, event_hooks=list(hooks))
    )


def group(resources: ResourceSet, name: str) -> Any:
    found = [g for g in resources.of_type("aws_security_group") if g.name == name]
    assert len(found) == 1, f"security group {name}: {found}"
    return found[0]


def test_ingress_rules_become_terraform_blocks(ec2: Any) -> None:
    group_id = ec2.create_security_group(GroupName="web", Description="web tier")[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            },
            {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group_id}]},
        ],
    )

    found = group(collect(), "web")

    assert found.arn.endswith(f":security-group/{group_id}")
    assert found.attributes["id"] == group_id
    ssh, own = sorted(
        found.attributes["ingress"], key=lambda r: r["protocol"], reverse=True
    )
    assert ssh == {
        "from_port": 22,
        "to_port": 22,
        "protocol": "tcp",
        "cidr_blocks": ["0.0.0.0/0"],
        "ipv6_cidr_blocks": ["::/0"],
        "prefix_list_ids": [],
        "security_groups": [],
        "self": False,
        "description": "ssh",
    }
    assert own["protocol"] == "-1" and own["self"] is True
    assert (own["from_port"], own["to_port"]) == (0, 0)
    assert own["cidr_blocks"] == []
    # AWS adds allow-all egress to every new group.
    assert [e["cidr_blocks"] for e in found.attributes["egress"]] == [["0.0.0.0/0"]]


def test_open_ssh_group_fails_the_ssh_rule_live(ec2: Any) -> None:
    group_id = ec2.create_security_group(GroupName="bastion", Description="x")[
        "GroupId"
    ]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    resources = collect()

    results = run_checks([SshFromInternet()], resources)

    by_resource = {r.resource: r.status for r in results}
    assert by_resource[group(resources, "bastion").arn] is Status.FAIL


def test_volumes_and_instances_carry_encryption_and_metadata(ec2: Any) -> None:
    plain = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)["VolumeId"]
    sealed = ec2.create_volume(
        AvailabilityZone="us-east-1a", Size=8, Encrypted=True, KmsKeyId="alias/ebs"
    )["VolumeId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
    )["Instances"][0]["InstanceId"]

    resources = collect()

    volumes = {
        v.attributes["id"]: v.attributes for v in resources.of_type("aws_ebs_volume")
    }
    assert volumes[plain]["encrypted"] is False
    assert volumes[sealed]["encrypted"] is True
    assert volumes[sealed]["kms_key_id"]
    (found,) = resources.of_type("aws_instance")
    assert found.attributes["id"] == instance
    assert found.attributes["metadata_options"][0]["http_tokens"] == "required"
    assert isinstance(found.attributes["associate_public_ip_address"], bool)


def test_encryption_by_default_is_a_setting_and_a_region_fact(ec2: Any) -> None:
    ec2.enable_ebs_encryption_by_default()

    resources = collect()

    (setting,) = resources.of_type("aws_ebs_encryption_by_default")
    assert setting.attributes == {"enabled": True}
    (region,) = resources.of_type("aws_region")
    assert region.attributes["ebs_encryption_by_default"] is True


def test_each_region_is_collected_and_anchored(ec2: Any) -> None:
    boto3.client("ec2", region_name="eu-west-1").create_security_group(
        GroupName="eu-only", Description="x"
    )

    resources = collect(regions=("us-east-1", "eu-west-1"))

    assert group(resources, "eu-only").region == "eu-west-1"
    assert sorted(r.name for r in resources.of_type("aws_region")) == [
        "eu-west-1",
        "us-east-1",
    ]
    (account,) = resources.of_type("aws_account")
    assert account.attributes["regions"] == ["us-east-1", "eu-west-1"]


def test_region_all_lists_enabled_regions(ec2: Any) -> None:
    resources = collect_aws(AwsOptions(regions=["all"], services=set()))

    regions = {r.name for r in resources.of_type("aws_region")}
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= regions


def test_opt_in_region_failure_is_an_error_for_that_region_only(ec2: Any) -> None:
    hooks = api_error(
        "ec2", "DescribeSecurityGroups", "OptInRequired", status=401, region="eu-west-1"
    )

    resources = collect(*hooks, regions=("us-east-1", "eu-west-1"))

    errors = resources.errors_for(["aws_security_group"])
    assert [(e.region, e.code) for e in errors] == [("eu-west-1", "OptInRequired")]
    assert {g.region for g in resources.of_type("aws_security_group")} == {"us-east-1"}
    results = run_checks([SshFromInternet()], resources)
    assert [r.region for r in results if r.status is Status.ERROR] == ["eu-west-1"]


def test_throttling_that_outlives_retries_is_recorded_not_skipped(ec2: Any) -> None:
    ec2.create_volume(AvailabilityZone="us-east-1a", Size=8)

    resources = collect(*api_error("ec2", "DescribeVolumes", "Throttling", status=400))

    assert resources.of_type("aws_ebs_volume") == []
    (error,) = resources.errors_for(["aws_ebs_volume"])
    assert (error.operation, error.code) == ("ec2:DescribeVolumes", "Throttling")
    assert error.region == "us-east-1"
