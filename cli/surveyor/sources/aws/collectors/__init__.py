"""Every service collector, in the order their tasks are started.

Adding a service: write `collectors/<service>.py` with one `Collector`
subclass (see surveyor.sources.aws for the pattern) and add it to ALL below.
"""

from __future__ import annotations

from surveyor.sources.aws.collectors.cloudtrail import CloudTrailCollector
from surveyor.sources.aws.collectors.ec2 import Ec2Collector
from surveyor.sources.aws.collectors.iam import IamCollector
from surveyor.sources.aws.collectors.kms import KmsCollector
from surveyor.sources.aws.collectors.rds import RdsCollector
from surveyor.sources.aws.collectors.s3 import S3Collector
from surveyor.sources.aws.framework import Collector

ALL: tuple[type[Collector], ...] = (
    S3Collector,  # first: the most per-resource calls, so the longest task
    IamCollector,
    Ec2Collector,
    RdsCollector,
    KmsCollector,
    CloudTrailCollector,
)


def by_service(names: set[str] | None = None) -> list[type[Collector]]:
    """The collectors for these boto3 service names (all when None)."""
    return [c for c in ALL if names is None or c.service in names]
