"""Helpers for live-collection tests: fake credentials and injected API errors.

(No tests here; the name keeps it among the tests/test_aws_* files.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}

Hook = tuple[str, Callable[..., Any]]


def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3CONTROL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials")
    for name, value in FAKE_ENV.items():
        monkeypatch.setenv(name, value)


class _Status:
    def __init__(self, code: int) -> None:
        self.status_code = code
        self.headers: dict[str, str] = {}
        self.content = b""


def api_error(
    event_service: str,
    operation: str,
    code: str,
    *,
    status: int = 403,
    when: Callable[[dict[str, Any]], bool] | None = None,
    region: str | None = None,
) -> list[Hook]:
    """botocore hooks that make one operation answer with an API error.

    A response returned from `before-call` replaces the HTTP request, so the
    collector sees exactly the ClientError AWS would raise. `when` filters on
    the call's parameters (e.g. one bucket); `region` limits it to one region.
    """

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["test_params"] = dict(params)

    def answer(context: dict[str, Any], **_: Any) -> Any:
        if when is not None and not when(context.get("test_params", {})):
            return None
        if region is not None and context.get("client_region") != region:
            return None
        parsed = {
            "Error": {"Code": code, "Message": f"injected {code}"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        return _Status(status), parsed

    suffix = f"{event_service}.{operation}"
    return [
        (f"before-parameter-build.{suffix}", remember),
        (f"before-call.{suffix}", answer),
    ]
