"""Every service collector, in the order their tasks are started.

Adding a service: write `collectors/<service>.py` with one `Collector`
subclass (see surveyor.sources.aws for the pattern) and add it to ALL below.
"""

from __future__ import annotations

from surveyor.sources.aws.collectors.cloudfront import CloudFrontCollector
from surveyor.sources.aws.collectors.cloudtrail import CloudTrailCollector
from surveyor.sources.aws.collectors.config import ConfigCollector
from surveyor.sources.aws.collectors.dynamodb import DynamoDbCollector
from surveyor.sources.aws.collectors.ec2 import Ec2Collector
from surveyor.sources.aws.collectors.ecr import EcrCollector
from surveyor.sources.aws.collectors.efs import EfsCollector
from surveyor.sources.aws.collectors.eks import EksCollector
from surveyor.sources.aws.collectors.elasticache import ElastiCacheCollector
from surveyor.sources.aws.collectors.elbv2 import ElbV2Collector
from surveyor.sources.aws.collectors.guardduty import GuardDutyCollector
from surveyor.sources.aws.collectors.iam import IamCollector
from surveyor.sources.aws.collectors.kms import KmsCollector
from surveyor.sources.aws.collectors.lambda_functions import LambdaCollector
from surveyor.sources.aws.collectors.rds import RdsCollector
from surveyor.sources.aws.collectors.redshift import RedshiftCollector
from surveyor.sources.aws.collectors.s3 import S3Collector
from surveyor.sources.aws.collectors.secretsmanager import SecretsManagerCollector
from surveyor.sources.aws.collectors.sns import SnsCollector
from surveyor.sources.aws.collectors.sqs import SqsCollector
from surveyor.sources.aws.framework import Collector

ALL: tuple[type[Collector], ...] = (
    S3Collector,  # first: the most per-resource calls, so the longest task
    IamCollector,
    Ec2Collector,
    RdsCollector,
    KmsCollector,
    CloudTrailCollector,
    GuardDutyCollector,  # AWS-GD-001
    ConfigCollector,  # AWS-CFG-001
    # Data, container, compute and edge services (AWS-DDB-001 ... AWS-CF-001).
    LambdaCollector,
    ElbV2Collector,
    DynamoDbCollector,
    SqsCollector,
    SnsCollector,
    EksCollector,
    EcrCollector,
    EfsCollector,
    RedshiftCollector,
    ElastiCacheCollector,
    SecretsManagerCollector,
    CloudFrontCollector,
)


def by_service(names: set[str] | None = None) -> list[type[Collector]]:
    """The collectors for these boto3 service names (all when None)."""
    return [c for c in ALL if names is None or c.service in names]
