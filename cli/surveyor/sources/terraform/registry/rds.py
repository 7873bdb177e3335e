"""terraform-aws-modules/rds/aws: the DB instance.

Targets the module's current major version (v6.x). The instance is
`module.db_instance.aws_db_instance.this[0]` inside the call (the module
nests a db_instance submodule), unless `create_db_instance = false`.
Module defaults that differ from the provider's: `storage_encrypted` is true,
`publicly_accessible` false, `deletion_protection` false. `kms_key_id` and
`backup_retention_period` are passed as given (absent: the provider's and
AWS's own default applies, as for a hand-written aws_db_instance).
"""

from __future__ import annotations

from typing import Any

from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
)

# input: module default (None: not set when not given)
_PASSED: dict[str, Any] = {
    "identifier": None,
    "engine": None,
    "engine_version": None,
    "instance_class": None,
    "storage_encrypted": True,
    "kms_key_id": None,
    "publicly_accessible": False,
    "backup_retention_period": None,
    "deletion_protection": False,
    "multi_az": False,
    "iam_database_authentication_enabled": False,
    "db_subnet_group_name": None,
    "vpc_security_group_ids": None,
    "tags": {},
}


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not creates(inputs.get("create_db_instance", True)):
        return []
    attributes: dict[str, Any] = {}
    where: dict[str, str] = {}
    for name, default in _PASSED.items():
        value = inputs.get(name, default)
        if value is None:
            continue
        attributes[name] = value
        if inputs.given(name):
            where[name] = name
    return [
        Planned(
            "aws_db_instance", "this", attributes, where, module="module.db_instance."
        )
    ]


ADAPTER = Adapter(
    source="terraform-aws-modules/rds/aws",
    build=build,
    min_major=6,
    outputs={
        "db_instance_arn": "aws_db_instance",
        "db_instance_identifier": "aws_db_instance",
    },
)
