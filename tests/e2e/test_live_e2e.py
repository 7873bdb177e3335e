"""End to end against moto_server: seed an account, scan it as a user would.

One moto_server on a free loopback port per module (always terminated); the
CLI runs in a subprocess with AWS_ENDPOINT_URL and fake credentials, exactly
as in CI against an emulator.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import pytest

pytestmark = pytest.mark.e2e

ACCOUNT = "123456789012"
REGION = "us-east-1"
SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
READ_ONLY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _env(endpoint: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k != "COLUMNS"
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    )
    if endpoint:
        env["AWS_ENDPOINT_URL"] = endpoint
    return env


@pytest.fixture(scope="module")
def account(endpoint: str) -> dict[str, str]:
    """Seed misconfigured and clean resources; return name -> ARN."""
    client = _clients(endpoint)
    s3, ec2, iam = client("s3"), client("ec2"), client("iam")
    arns: dict[str, str] = {}

    s3.create_bucket(Bucket="e2e-public-acl", ACL="public-read")
    s3.create_bucket(Bucket="e2e-public-policy")
    s3.put_bucket_policy(
        Bucket="e2e-public-policy",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::e2e-public-policy/*",
                    }
                ],
            }
        ),
    )
    s3.create_bucket(Bucket="e2e-clean")
    s3.put_public_access_block(
        Bucket="e2e-clean",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    for name in ("e2e-public-acl", "e2e-public-policy", "e2e-clean"):
        arns[name] = f"arn:aws:s3:::{name}"

    open_sg = ec2.create_security_group(GroupName="e2e-ssh-open", Description="x")
    ec2.authorize_security_group_ingress(
        GroupId=open_sg["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    closed_sg = ec2.create_security_group(GroupName="e2e-internal", Description="x")
    ec2.authorize_security_group_ingress(
        GroupId=closed_sg["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
            }
        ],
    )
    sg_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/"
    arns["e2e-ssh-open"] = sg_arn + open_sg["GroupId"]
    arns["e2e-internal"] = sg_arn + closed_sg["GroupId"]

    volume_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/"
    plain = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)
    sealed = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=True)
    arns["plain-volume"] = volume_arn + plain["VolumeId"]
    arns["sealed-volume"] = volume_arn + sealed["VolumeId"]

    db = client("rds").create_db_instance(
        DBInstanceIdentifier="e2e-public-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin",
        MasterUserPassword="Sup3r-secret-pw",
        AllocatedStorage=20,
        PubliclyAccessible=True,
        StorageEncrypted=False,
    )
    arns["e2e-public-db"] = db["DBInstance"]["DBInstanceArn"]

    kms = client("kms")
    still = kms.create_key(Description="no rotation")["KeyMetadata"]
    turning = kms.create_key(Description="rotation")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=turning["KeyId"])
    arns["still-key"], arns["turning-key"] = still["Arn"], turning["Arn"]

    iam.create_user(UserName="e2e-console")
    iam.create_login_profile(UserName="e2e-console", Password="Correct-Horse-9")
    iam.create_user(UserName="e2e-robot")
    arns["e2e-console"] = f"arn:aws:iam::{ACCOUNT}:user/e2e-console"
    arns["e2e-robot"] = f"arn:aws:iam::{ACCOUNT}:user/e2e-robot"
    admin = iam.create_policy(PolicyName="e2e-admin", PolicyDocument=json.dumps(ADMIN))
    narrow = iam.create_policy(
        PolicyName="e2e-read", PolicyDocument=json.dumps(READ_ONLY)
    )
    arns["e2e-admin"] = admin["Policy"]["Arn"]
    arns["e2e-read"] = narrow["Policy"]["Arn"]
    arns["account"] = f"aws://{ACCOUNT}"
    # No CloudTrail trail at all: AWS-CT-001 fails on the account anchor.
    return arns


def _clients(endpoint: str) -> Any:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return lambda name: session.client(name, endpoint_url=endpoint)


def surveyor(
    *args: str, endpoint: str | None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surveyor", *args],
        env=_env(endpoint),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


# Rule id -> seeded resources it must FAIL on, and clean ones it must not.
EXPECTED_FAIL = {
    "AWS-S3-001": ["e2e-public-acl"],
    "AWS-S3-002": ["e2e-public-policy"],
    "AWS-EC2-001": ["e2e-ssh-open"],
    "AWS-EC2-005": ["plain-volume"],
    "AWS-RDS-001": ["e2e-public-db"],
    "AWS-RDS-003": ["e2e-public-db"],
    "AWS-KMS-001": ["still-key"],
    "AWS-IAM-002": ["e2e-console"],
    "AWS-IAM-001": ["e2e-admin"],
    "AWS-CT-001": ["account"],
}
EXPECTED_CLEAN = {
    "AWS-S3-001": ["e2e-clean"],
    "AWS-S3-002": ["e2e-clean"],
    "AWS-EC2-001": ["e2e-internal"],
    "AWS-EC2-005": ["sealed-volume"],
    "AWS-KMS-001": ["turning-key"],
    "AWS-IAM-002": ["e2e-robot"],
    "AWS-IAM-001": ["e2e-read"],
}


def _failures(json_report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (r["rule_id"], r.get("arn") or r["resource"])
        for r in json_report["results"]
        if r["status"] == "FAIL"
    }


@pytest.fixture(scope="module")
def live_scan(
    endpoint: str, account: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    work = tmp_path_factory.mktemp("live")
    done = surveyor(
        "scan", "--aws", "--region", REGION,
        "--format", "sarif", "--output", "out.sarif",
        "--format", "json", "--output", "out.json",
        endpoint=endpoint, cwd=work,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # findings, and nothing unusable
    sarif = json.loads((work / "out.sarif").read_text())
    report = json.loads((work / "out.json").read_text())
    return work, sarif, report


def test_live_sarif_is_valid_and_every_result_has_a_file(
    live_scan: tuple[Path, dict[str, Any], dict[str, Any]],
) -> None:
    _, sarif, _ = live_scan
    schema = json.loads(SARIF_SCHEMA.read_text())

    jsonschema.Draft4Validator(schema).validate(sarif)

    results = sarif["runs"][0]["results"]
    assert results
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == ".surveyor.toml"


def test_seeded_misconfigurations_fire_on_their_arns(
    live_scan: tuple[Path, dict[str, Any], dict[str, Any]], account: dict[str, str]
) -> None:
    _, sarif, report = live_scan
    failures = _failures(report)
    sarif_hits = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for r in sarif["runs"][0]["results"]
    }

    for rule, names in EXPECTED_FAIL.items():
        for name in names:
            assert (rule, account[name]) in failures, f"{rule} missed {name}"
            assert (rule, account[name]) in sarif_hits, f"{rule} not in SARIF: {name}"
    for rule, names in EXPECTED_CLEAN.items():
        for name in names:
            assert (rule, account[name]) not in failures, f"{rule} flagged {name}"
    errors = [r for r in report["results"] if r["status"] == "ERROR"]
    assert errors == [], errors


def test_snapshot_rescanned_offline_gives_the_same_findings(
    endpoint: str,
    live_scan: tuple[Path, dict[str, Any], dict[str, Any]],
) -> None:
    work, _, live_report = live_scan
    taken = surveyor(
        "snapshot", "--aws", "--region", REGION, "-o", "account.json.gz",
        endpoint=endpoint, cwd=work,
    )  # fmt: skip
    assert taken.returncode == 0, taken.stderr
    assert "Sup3r-secret-pw" not in (work / "account.json.gz").read_bytes().decode(
        "latin-1"
    )

    # No endpoint and no reachable AWS: the rescan must not need the network.
    rescan = surveyor(
        "scan", "account.json.gz", "--format", "json", "--output", "offline.json",
        endpoint=None, cwd=work,
    )  # fmt: skip
    assert rescan.returncode == 1, rescan.stderr
    offline = json.loads((work / "offline.json").read_text())

    assert _failures(offline) == _failures(live_report)


def test_no_credentials_exits_2_with_one_line(endpoint: str, tmp_path: Path) -> None:
    env = _env(endpoint)
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]

    done = subprocess.run(
        [sys.executable, "-m", "surveyor", "snapshot", "--aws", "-o", "x.json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "no AWS credentials" in line
    assert not (tmp_path / "x.json").exists()


def test_every_call_collection_makes_is_in_the_permissions_policy(
    endpoint: str,
    account: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from surveyor.sources.aws import AwsOptions, collect_aws
    from surveyor.sources.aws.collectors import ALL
    from surveyor.sources.aws.permissions import declared_operations

    for name, value in _env(endpoint).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    called: set[str] = set()

    def record(model: Any, **_: Any) -> None:
        called.add(f"{model.service_model.service_name}:{model.name}")

    collect_aws(AwsOptions(regions=[REGION], event_hooks=[("before-call", record)]))
    printed = surveyor("permissions", endpoint=None, cwd=tmp_path)
    allowed = set(json.loads(printed.stdout)["Statement"][0]["Action"])
    declared = declared_operations(list(ALL))

    assert "s3control:GetPublicAccessBlock" in called
    undeclared = sorted(called - set(declared))
    assert undeclared == [], f"calls not declared by any collector: {undeclared}"
    missing = sorted(declared[c] for c in called if declared[c] not in allowed)
    assert missing == [], f"calls the printed policy does not allow: {missing}"


def test_source_directory_places_live_findings_on_their_blocks(
    endpoint: str, account: dict[str, str], tmp_path: Path
) -> None:
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(
        'resource "aws_s3_bucket" "public" {\n'
        '  bucket = "e2e-public-acl"\n'
        "}\n"
        "\n"
        'resource "aws_security_group" "bastion" {\n'
        '  name        = "e2e-ssh-open"\n'
        '  description = "x"\n'
        "}\n"
    )

    done = surveyor(
        "scan", "--aws", "--region", REGION, "--source", "infra",
        "--rules", "AWS-S3-001,AWS-EC2-001,AWS-KMS-001",
        "--format", "sarif", "--output", "placed.sarif",
        endpoint=endpoint, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr

    placed = {
        (
            r["ruleId"],
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        ): r["locations"][0]["physicalLocation"]
        for r in json.loads((tmp_path / "placed.sarif").read_text())["runs"][0][
            "results"
        ]
    }
    bucket = placed[("AWS-S3-001", account["e2e-public-acl"])]
    assert bucket["artifactLocation"]["uri"] == "infra/main.tf"
    assert bucket["region"]["startLine"] == 1
    group = placed[("AWS-EC2-001", account["e2e-ssh-open"])]
    assert group["artifactLocation"]["uri"] == "infra/main.tf"
    assert group["region"]["startLine"] == 5
    key = placed[("AWS-KMS-001", account["still-key"])]
    assert key["artifactLocation"]["uri"] == ".surveyor.toml"
    assert key["region"]["startLine"] == 1
