"""Resource types surveyor knows: Terraform AWS provider names plus two anchors.

`aws_account` and `aws_region` have no Terraform block. Live collection emits
one per account and per collected region so that rules about absence ("no
trail is logging", "GuardDuty is off in this region") have a resource to
report on. A check naming a type outside this set is a load error.
"""

from __future__ import annotations

ACCOUNT_ANCHOR = "aws_account"
REGION_ANCHOR = "aws_region"

KNOWN_TYPES: frozenset[str] = frozenset(
    {
        ACCOUNT_ANCHOR,
        REGION_ANCHOR,
        # S3
        "aws_s3_bucket",
        "aws_s3_account_public_access_block",
        # v4 split resources whose bucket is not in the scan stay on their own
        "aws_s3_bucket_acl",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        # IAM
        "aws_iam_policy",
        "aws_iam_role",
        "aws_iam_user",
        "aws_iam_group",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_access_key",
        "aws_iam_user_login_profile",
        "aws_iam_account_password_policy",
        "aws_iam_policy_document",  # data source, evaluated to its .json
        # EC2 / VPC
        "aws_security_group",
        # rules whose group is not in the scan stay on their own
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_default_security_group",
        "aws_ebs_volume",
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",  # Auto Scaling, metadata_options
        "aws_vpc",
        "aws_flow_log",
        "aws_ebs_encryption_by_default",
        # RDS
        "aws_db_instance",
        "aws_rds_cluster",
        # Logging and detection
        "aws_cloudtrail",
        "aws_guardduty_detector",
        "aws_config_configuration_recorder",
        # Keys and secrets
        "aws_kms_key",
        "aws_secretsmanager_secret",
        "aws_secretsmanager_secret_rotation",  # split: rotation of a secret
        # Data stores
        "aws_dynamodb_table",
        "aws_sns_topic",
        "aws_sqs_queue",
        "aws_efs_file_system",
        "aws_redshift_cluster",
        "aws_elasticache_replication_group",
        # Containers and compute
        "aws_ecr_repository",
        "aws_eks_cluster",
        "aws_lambda_function",
        # Edge
        "aws_lb_listener",
        "aws_alb_listener",  # older alias of aws_lb_listener
        "aws_cloudfront_distribution",
    }
)
