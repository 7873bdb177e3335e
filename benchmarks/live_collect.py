"""Measure live collection against moto_server: API calls and wall time.

Seeds global resources (buckets, IAM users and policies) once and the same
regional set (security groups, volumes, KMS keys, DB instances) in each of
four regions, then collects 1, 2 and 4 regions with every collector.

    python benchmarks/live_collect.py [--repeat 3] [--workers 8]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"]
BUCKETS, USERS, POLICIES = 40, 30, 10
GROUPS, VOLUMES, KEYS, DATABASES = 12, 12, 6, 2  # per region


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(endpoint)
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=REGIONS[0],
            AWS_EC2_METADATA_DISABLED="true",
        )
        _seed(endpoint)
        rows = [_measure(REGIONS[:n], args.repeat, args.workers) for n in (1, 2, 4)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(json.dumps(rows, indent=2))


def _measure(regions: list[str], repeat: int, workers: int) -> dict[str, Any]:
    from surveyor.sources.aws import AwsOptions, collect_aws

    best: dict[str, Any] = {}
    for _ in range(repeat):
        calls: collections.Counter[str] = collections.Counter()

        def count(model: Any, counter: Any = calls, **_: Any) -> None:
            counter[model.service_model.service_name] += 1

        started = time.perf_counter()
        resources = collect_aws(
            AwsOptions(
                regions=regions,
                max_workers=workers,
                event_hooks=[("before-call", count)],
                show_progress=False,
            )
        )
        wall = time.perf_counter() - started
        if not best or wall < best["wall_s"]:
            anchors = {"aws_account", "aws_region"}
            best = {
                "regions": len(regions),
                "resources": sum(1 for r in resources if r.type not in anchors),
                "api_calls": sum(calls.values()),
                "calls_by_service": dict(sorted(calls.items())),
                "collection_errors": len(resources.collection_errors),
                "wall_s": round(wall, 2),
            }
    return best


def _seed(endpoint: str) -> None:
    import boto3

    session = boto3.Session(region_name=REGIONS[0])
    s3, iam = session.client("s3"), session.client("iam")
    for i in range(BUCKETS):
        s3.create_bucket(
            Bucket=f"bench-bucket-{i:03d}",
            ACL="public-read" if i % 5 == 0 else "private",
        )
    admin = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
    )
    for i in range(POLICIES):
        iam.create_policy(PolicyName=f"bench-policy-{i}", PolicyDocument=admin)
    for i in range(USERS):
        iam.create_user(UserName=f"bench-user-{i}")
        if i % 3 == 0:
            iam.create_login_profile(
                UserName=f"bench-user-{i}", Password="Bench-pass-123"
            )
            iam.create_access_key(UserName=f"bench-user-{i}")
    for region in REGIONS:
        ec2 = session.client("ec2", region_name=region)
        kms = session.client("kms", region_name=region)
        rds = session.client("rds", region_name=region)
        for i in range(GROUPS):
            group = ec2.create_security_group(
                GroupName=f"bench-sg-{i}", Description="b"
            )
            ec2.authorize_security_group_ingress(
                GroupId=group["GroupId"],
                IpPermissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 22,
                        "ToPort": 22,
                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                    }
                ],
            )
        for i in range(VOLUMES):
            ec2.create_volume(
                AvailabilityZone=f"{region}a", Size=8, Encrypted=i % 2 == 0
            )
        for _ in range(KEYS):
            kms.create_key(Description="bench")
        for i in range(DATABASES):
            rds.create_db_instance(
                DBInstanceIdentifier=f"bench-db-{i}",
                DBInstanceClass="db.t3.micro",
                Engine="postgres",
                MasterUsername="admin",
                MasterUserPassword="Bench-pass-123",
                AllocatedStorage=20,
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(endpoint: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start")


if __name__ == "__main__":
    main()
