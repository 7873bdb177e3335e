"""EC2 and VPC: security groups, volumes, instances, VPCs, flow logs, and EBS
encryption by default (one `aws_ebs_encryption_by_default` per region)."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    iso,
    tags_of,
)

SECURITY_GROUP = "aws_security_group"
VOLUME = "aws_ebs_volume"
INSTANCE = "aws_instance"
VPC = "aws_vpc"
FLOW_LOG = "aws_flow_log"
EBS_DEFAULT = "aws_ebs_encryption_by_default"
REGION = "aws_region"


class Ec2Collector(Collector):
    service = "ec2"
    scope = Scope.REGIONAL
    resource_types = (
        SECURITY_GROUP,
        VOLUME,
        INSTANCE,
        VPC,
        FLOW_LOG,
        EBS_DEFAULT,
    )
    operations: ClassVar[Operations] = {
        "DescribeSecurityGroups": (SECURITY_GROUP,),
        "DescribeVolumes": (VOLUME, INSTANCE),
        "DescribeInstances": (INSTANCE,),
        "DescribeVpcs": (VPC,),
        "DescribeFlowLogs": (FLOW_LOG, VPC),
        "GetEbsEncryptionByDefault": (EBS_DEFAULT, REGION),
    }

    def collect(self, ctx: CollectContext) -> None:
        ec2 = ctx.client()
        self._encryption_by_default(ctx, ec2)
        self._security_groups(ctx, ec2)
        volumes = self._volumes(ctx, ec2)
        self._instances(ctx, ec2, volumes)
        self._vpcs(ctx, ec2)

    def _encryption_by_default(self, ctx: CollectContext, ec2: Any) -> None:
        reply = ctx.call(ec2, "GetEbsEncryptionByDefault")
        if isinstance(reply, Failed):
            ctx.set_region_attribute("ebs_encryption_by_default", reply.unknown)
            return
        enabled = bool((reply or {}).get("EbsEncryptionByDefault", False))
        ctx.set_region_attribute("ebs_encryption_by_default", enabled)
        ctx.emit(
            EBS_DEFAULT,
            f"aws://{ctx.account}/{ctx.region}/ebs-encryption-by-default",
            {"enabled": enabled},
            name=ctx.region,
        )

    def _security_groups(self, ctx: CollectContext, ec2: Any) -> None:
        groups = ctx.paginate(ec2, "DescribeSecurityGroups", "SecurityGroups")
        if isinstance(groups, Failed):
            return
        for group in groups:
            group_id, name = str(group["GroupId"]), str(group.get("GroupName", ""))
            arn = ctx.regional_arn("ec2", f"security-group/{group_id}")
            ctx.emit(
                # Every group, the VPC's "default" one included, is emitted as
                # aws_security_group; checks tell the default one by its name.
                SECURITY_GROUP,
                arn,
                {
                    "id": group_id,
                    "arn": arn,
                    "name": name,
                    "description": group.get("Description", ""),
                    "vpc_id": group.get("VpcId"),
                    "owner_id": group.get("OwnerId"),
                    "ingress": [
                        rule(p, group_id) for p in group.get("IpPermissions", [])
                    ],
                    "egress": [
                        rule(p, group_id) for p in group.get("IpPermissionsEgress", [])
                    ],
                },
                name=name,
                arn=arn,
                tags=tags_of(group.get("Tags")),
            )

    def _volumes(
        self, ctx: CollectContext, ec2: Any
    ) -> dict[str, dict[str, Any]] | None:
        volumes = ctx.paginate(ec2, "DescribeVolumes", "Volumes")
        if isinstance(volumes, Failed):
            return None
        by_id: dict[str, dict[str, Any]] = {}
        for volume in volumes:
            volume_id = str(volume["VolumeId"])
            arn = ctx.regional_arn("ec2", f"volume/{volume_id}")
            attributes = {
                "id": volume_id,
                "arn": arn,
                "availability_zone": volume.get("AvailabilityZone"),
                "encrypted": bool(volume.get("Encrypted", False)),
                "kms_key_id": volume.get("KmsKeyId"),
                "size": volume.get("Size"),
                "type": volume.get("VolumeType"),
                "iops": volume.get("Iops"),
                "snapshot_id": volume.get("SnapshotId") or None,
                "attached_instance_ids": sorted(
                    str(a["InstanceId"]) for a in volume.get("Attachments", [])
                ),
            }
            by_id[volume_id] = attributes
            tags = tags_of(volume.get("Tags"))
            ctx.emit(
                VOLUME,
                arn,
                attributes,
                name=tags.get("Name", volume_id),
                arn=arn,
                tags=tags,
            )
        return by_id

    def _instances(
        self, ctx: CollectContext, ec2: Any, volumes: dict[str, dict[str, Any]] | None
    ) -> None:
        reservations = ctx.paginate(ec2, "DescribeInstances", "Reservations")
        if isinstance(reservations, Failed):
            return
        for reservation in reservations:
            for instance in reservation.get("Instances", []):
                if instance.get("State", {}).get("Name") == "terminated":
                    continue
                self._instance(ctx, instance, volumes)

    def _instance(
        self,
        ctx: CollectContext,
        instance: dict[str, Any],
        volumes: dict[str, dict[str, Any]] | None,
    ) -> None:
        instance_id = str(instance["InstanceId"])
        arn = ctx.regional_arn("ec2", f"instance/{instance_id}")
        metadata = instance.get("MetadataOptions", {})
        tags = tags_of(instance.get("Tags"))
        ctx.emit(
            INSTANCE,
            arn,
            {
                "id": instance_id,
                "arn": arn,
                "ami": instance.get("ImageId"),
                "instance_type": instance.get("InstanceType"),
                "subnet_id": instance.get("SubnetId"),
                "vpc_security_group_ids": sorted(
                    str(g["GroupId"]) for g in instance.get("SecurityGroups", [])
                ),
                "associate_public_ip_address": bool(instance.get("PublicIpAddress")),
                "public_ip": instance.get("PublicIpAddress"),
                "iam_instance_profile": instance.get("IamInstanceProfile", {}).get(
                    "Arn"
                ),
                "ebs_optimized": bool(instance.get("EbsOptimized", False)),
                "monitoring": instance.get("Monitoring", {}).get("State") == "enabled",
                "metadata_options": [
                    {
                        "http_endpoint": metadata.get("HttpEndpoint", "enabled"),
                        "http_tokens": metadata.get("HttpTokens", "optional"),
                        "http_put_response_hop_limit": metadata.get(
                            "HttpPutResponseHopLimit", 1
                        ),
                        "instance_metadata_tags": metadata.get(
                            "InstanceMetadataTags", "disabled"
                        ),
                    }
                ],
                "root_block_device": _root_device(instance, volumes),
                "launch_time": iso(instance.get("LaunchTime")),
                "state": instance.get("State", {}).get("Name"),
            },
            name=tags.get("Name", instance_id),
            arn=arn,
            tags=tags,
        )

    def _vpcs(self, ctx: CollectContext, ec2: Any) -> None:
        vpcs = ctx.paginate(ec2, "DescribeVpcs", "Vpcs")
        if isinstance(vpcs, Failed):
            return
        flow_logs = ctx.paginate(ec2, "DescribeFlowLogs", "FlowLogs")
        logged: set[str] = set()
        if not isinstance(flow_logs, Failed):
            for log in flow_logs:
                flow_log_id, target = (
                    str(log["FlowLogId"]),
                    str(log.get("ResourceId", "")),
                )
                logged.add(target)
                arn = ctx.regional_arn("ec2", f"vpc-flow-log/{flow_log_id}")
                ctx.emit(
                    FLOW_LOG,
                    arn,
                    {
                        "id": flow_log_id,
                        "vpc_id": target if target.startswith("vpc-") else None,
                        "subnet_id": target if target.startswith("subnet-") else None,
                        "traffic_type": log.get("TrafficType"),
                        "log_destination_type": log.get("LogDestinationType"),
                        "log_destination": log.get("LogDestination"),
                    },
                    name=flow_log_id,
                    arn=arn,
                    tags=tags_of(log.get("Tags")),
                )
        for vpc in vpcs:
            vpc_id = str(vpc["VpcId"])
            arn = ctx.regional_arn("ec2", f"vpc/{vpc_id}")
            tags = tags_of(vpc.get("Tags"))
            ctx.emit(
                VPC,
                arn,
                {
                    "id": vpc_id,
                    "arn": arn,
                    "cidr_block": vpc.get("CidrBlock"),
                    "is_default": bool(vpc.get("IsDefault", False)),
                    "flow_log_ids": (
                        flow_logs.unknown
                        if isinstance(flow_logs, Failed)
                        else sorted(
                            str(f["FlowLogId"])
                            for f in flow_logs
                            if f.get("ResourceId") == vpc_id
                        )
                    ),
                },
                name=tags.get("Name", vpc_id),
                arn=arn,
                tags=tags,
            )


def rule(permission: dict[str, Any], own_group: str) -> dict[str, Any]:
    """One IpPermission as a Terraform ingress/egress block."""
    protocol = str(permission.get("IpProtocol", "-1"))
    all_traffic = protocol == "-1"
    pairs = permission.get("UserIdGroupPairs", [])
    descriptions = [
        r.get("Description")
        for key in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs")
        for r in permission.get(key, [])
        if r.get("Description")
    ]
    return {
        # The API leaves ports out for "all traffic"; Terraform writes 0-0.
        "from_port": 0 if all_traffic else int(permission.get("FromPort", 0)),
        "to_port": 0 if all_traffic else int(permission.get("ToPort", 0)),
        "protocol": protocol,
        "cidr_blocks": [str(r["CidrIp"]) for r in permission.get("IpRanges", [])],
        "ipv6_cidr_blocks": [
            str(r["CidrIpv6"]) for r in permission.get("Ipv6Ranges", [])
        ],
        "prefix_list_ids": [
            str(r["PrefixListId"]) for r in permission.get("PrefixListIds", [])
        ],
        "security_groups": sorted(
            str(p["GroupId"]) for p in pairs if p.get("GroupId") != own_group
        ),
        "self": any(p.get("GroupId") == own_group for p in pairs),
        "description": descriptions[0] if descriptions else "",
    }


def _root_device(
    instance: dict[str, Any], volumes: dict[str, dict[str, Any]] | None
) -> list[dict[str, Any]]:
    root_name = instance.get("RootDeviceName")
    for mapping in instance.get("BlockDeviceMappings", []):
        if mapping.get("DeviceName") != root_name or "Ebs" not in mapping:
            continue
        volume_id = str(mapping["Ebs"].get("VolumeId"))
        volume = (volumes or {}).get(volume_id)
        if volume is None:
            from surveyor.model import Unknown

            reason = (
                "ec2:DescribeVolumes failed" if volumes is None else "volume not listed"
            )
            return [
                {
                    "volume_id": volume_id,
                    "encrypted": Unknown(reason),
                    "kms_key_id": None,
                }
            ]
        return [
            {
                "volume_id": volume_id,
                "encrypted": volume["encrypted"],
                "kms_key_id": volume["kms_key_id"],
                "volume_size": volume["size"],
                "volume_type": volume["type"],
            }
        ]
    return []
