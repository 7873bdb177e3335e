"""The least-privilege, read-only IAM policy collection needs, from the
operations every collector declares."""

from __future__ import annotations

from typing import Any

from surveyor.sources.aws.framework import Collector


def declared_operations(collectors: list[type[Collector]]) -> dict[str, str]:
    """Every API call collection may make ("s3:GetBucketAcl") -> its IAM action."""
    from surveyor.sources.aws import RUNNER_OPERATIONS

    calls = {op: op for op in RUNNER_OPERATIONS}
    for collector in collectors:
        for operation in collector.operations:
            qualified = (
                operation if ":" in operation else f"{collector.service}:{operation}"
            )
            calls[qualified] = collector.iam_action(operation)
    return calls


def read_only_policy(collectors: list[type[Collector]] | None = None) -> dict[str, Any]:
    from surveyor.sources.aws.collectors import ALL

    actions = sorted(set(declared_operations(list(collectors or ALL)).values()))
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SurveyorReadOnlyCollection",
                "Effect": "Allow",
                "Action": actions,
                "Resource": "*",
            }
        ],
    }
