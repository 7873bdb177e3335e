"""DynamoDB collection: encryption in the shape AWS-DDB-001 judges."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from surveyor.policies.aws_ddb_001_table_cmk import DynamoDbTableCustomerManagedKey
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"
KEYS = [{"AttributeName": "id", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "id", "AttributeType": "S"}]


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield boto3.client("dynamodb", region_name="us-east-1")


def create(ddb: Any, name: str, **sse: Any) -> None:
    ddb.create_table(
        TableName=name,
        KeySchema=KEYS,
        AttributeDefinitions=ATTRS,
        BillingMode="PAY_PER_REQUEST",
        **({"SSESpecification": sse} if sse else {}),
    )


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(
            regions=["us-east-1"], services={"dynamodb"}, event_hooks=list(hooks)
        )
    )


def table(resources: ResourceSet, name: str) -> Any:
    found = resources.get(f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{name}")
    assert found is not None, f"table {name} not collected"
    return found


def verdict(resources: ResourceSet, name: str) -> Status:
    results = run_checks([DynamoDbTableCustomerManagedKey()], resources)
    return next(r.status for r in results if r.resource.endswith(f"table/{name}"))


def test_default_table_has_no_encryption_block_and_fails(ddb: Any) -> None:
    create(ddb, "owned")

    resources = collect()

    assert table(resources, "owned").attributes["server_side_encryption"] == []
    assert verdict(resources, "owned") is Status.FAIL


def test_customer_managed_key_is_kept_and_passes(ddb: Any) -> None:
    kms = boto3.client("kms", region_name="us-east-1")
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    create(ddb, "cmk", Enabled=True, SSEType="KMS", KMSMasterKeyId=key_arn)

    resources = collect()

    sse = table(resources, "cmk").attributes["server_side_encryption"]
    assert sse == [{"enabled": True, "kms_key_arn": key_arn}]
    assert verdict(resources, "cmk") is Status.PASS


def test_unreadable_key_manager_is_unknown_and_errors(ddb: Any) -> None:
    kms = boto3.client("kms", region_name="us-east-1")
    key_arn = kms.create_key()["KeyMetadata"]["Arn"]
    create(ddb, "hidden", Enabled=True, SSEType="KMS", KMSMasterKeyId=key_arn)

    resources = collect(*api_error("kms", "DescribeKey", "AccessDeniedException"))

    found = table(resources, "hidden")
    assert is_unknown(found.attributes["server_side_encryption"][0]["kms_key_arn"])
    assert found.errors and found.errors[0].operation == "kms:DescribeKey"
    assert verdict(resources, "hidden") is Status.ERROR


def test_denied_list_is_a_collection_error_not_an_empty_account(ddb: Any) -> None:
    create(ddb, "any")

    resources = collect(*api_error("dynamodb", "ListTables", "AccessDeniedException"))

    assert resources.of_type("aws_dynamodb_table") == []
    errors = resources.errors_for(["aws_dynamodb_table"])
    assert [e.code for e in errors] == ["AccessDeniedException"]
