"""RDS: DB instances and Aurora/Multi-AZ DB clusters; both list calls carry
everything the checks read, so there are no per-resource calls."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    tags_of,
)

INSTANCE = "aws_db_instance"
CLUSTER = "aws_rds_cluster"


class RdsCollector(Collector):
    service = "rds"
    scope = Scope.REGIONAL
    resource_types = (INSTANCE, CLUSTER)
    operations: ClassVar[Operations] = {
        "DescribeDBInstances": (INSTANCE,),
        "DescribeDBClusters": (CLUSTER,),
    }

    def collect(self, ctx: CollectContext) -> None:
        rds = ctx.client()
        instances = ctx.paginate(rds, "DescribeDBInstances", "DBInstances")
        if not isinstance(instances, Failed):
            for instance in instances:
                _emit_instance(ctx, instance)
        clusters = ctx.paginate(rds, "DescribeDBClusters", "DBClusters")
        if not isinstance(clusters, Failed):
            for cluster in clusters:
                _emit_cluster(ctx, cluster)


def _emit_instance(ctx: CollectContext, db: dict[str, Any]) -> None:
    identifier = str(db["DBInstanceIdentifier"])
    arn = str(db.get("DBInstanceArn") or ctx.regional_arn("rds", f"db:{identifier}"))
    ctx.emit(
        INSTANCE,
        arn,
        {
            "identifier": identifier,
            "arn": arn,
            "engine": db.get("Engine"),
            "engine_version": db.get("EngineVersion"),
            "instance_class": db.get("DBInstanceClass"),
            "storage_encrypted": bool(db.get("StorageEncrypted", False)),
            "kms_key_id": db.get("KmsKeyId"),
            "publicly_accessible": bool(db.get("PubliclyAccessible", False)),
            "backup_retention_period": int(db.get("BackupRetentionPeriod", 0)),
            "replicate_source_db": db.get("ReadReplicaSourceDBInstanceIdentifier"),
            "multi_az": bool(db.get("MultiAZ", False)),
            "deletion_protection": bool(db.get("DeletionProtection", False)),
            "iam_database_authentication_enabled": bool(
                db.get("IAMDatabaseAuthenticationEnabled", False)
            ),
            "auto_minor_version_upgrade": bool(
                db.get("AutoMinorVersionUpgrade", False)
            ),
            "performance_insights_enabled": bool(
                db.get("PerformanceInsightsEnabled", False)
            ),
            "storage_type": db.get("StorageType"),
            "allocated_storage": db.get("AllocatedStorage"),
            "cluster_identifier": db.get("DBClusterIdentifier"),
            "db_subnet_group_name": db.get("DBSubnetGroup", {}).get(
                "DBSubnetGroupName"
            ),
            "vpc_security_group_ids": sorted(
                str(g["VpcSecurityGroupId"]) for g in db.get("VpcSecurityGroups", [])
            ),
        },
        name=identifier,
        arn=arn,
        tags=tags_of(db.get("TagList")),
    )


def _emit_cluster(ctx: CollectContext, cluster: dict[str, Any]) -> None:
    identifier = str(cluster["DBClusterIdentifier"])
    arn = str(
        cluster.get("DBClusterArn") or ctx.regional_arn("rds", f"cluster:{identifier}")
    )
    ctx.emit(
        CLUSTER,
        arn,
        {
            "cluster_identifier": identifier,
            "arn": arn,
            "engine": cluster.get("Engine"),
            "engine_version": cluster.get("EngineVersion"),
            "engine_mode": cluster.get("EngineMode"),
            "storage_encrypted": bool(cluster.get("StorageEncrypted", False)),
            "kms_key_id": cluster.get("KmsKeyId"),
            "backup_retention_period": int(cluster.get("BackupRetentionPeriod", 0)),
            "deletion_protection": bool(cluster.get("DeletionProtection", False)),
            "iam_database_authentication_enabled": bool(
                cluster.get("IAMDatabaseAuthenticationEnabled", False)
            ),
            "publicly_accessible": bool(cluster.get("PubliclyAccessible", False)),
            "cluster_members": sorted(
                str(m["DBInstanceIdentifier"])
                for m in cluster.get("DBClusterMembers", [])
            ),
            "vpc_security_group_ids": sorted(
                str(g["VpcSecurityGroupId"])
                for g in cluster.get("VpcSecurityGroups", [])
            ),
        },
        name=identifier,
        arn=arn,
        tags=tags_of(cluster.get("TagList")),
    )
