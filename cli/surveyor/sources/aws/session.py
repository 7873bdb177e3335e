"""boto3 sessions and clients: one shared botocore Config, endpoints honoured.

Clients are created through `ClientFactory` only, so that every client gets
adaptive retries and the connection pool the thread pool needs, and so that
AWS_ENDPOINT_URL (which boto3 reads itself) is never overridden.
"""

from __future__ import annotations

import os
import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

# s3control puts the account id in the host name ({AccountId}.s3-control...);
# against a custom endpoint (moto_server, LocalStack) "123456789012.127.0.0.1"
# does not resolve. botocore's endpoint rules add that label (inject_host_prefix
# does not turn it off), so it is taken off again just before signing, and only
# when a custom endpoint is set; real AWS keeps botocore's behaviour.
_ACCOUNT_LABEL = re.compile(r"^(https?://)\d{12}\.")


def custom_endpoint(service: str) -> str | None:
    """The endpoint URL the environment sets for this service, if any."""
    specific = f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}"
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL")


def make_session(profile: str | None) -> boto3.Session:
    import boto3

    return boto3.Session(profile_name=profile) if profile else boto3.Session()


class ClientFactory:
    """Thread-safe cache of boto3 clients keyed by (service, region)."""

    def __init__(self, session: boto3.Session, max_pool: int = 10) -> None:
        self.session = session
        self._max_pool = max_pool
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._hooks: list[tuple[str, Any]] = []

    def on(self, event: str, handler: Any) -> None:
        """Register a botocore event handler on every client (e.g. before-call)."""
        self._hooks.append((event, handler))

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._create(service, region)
            return self._clients[key]

    def _create(self, service: str, region: str) -> Any:
        from botocore.config import Config

        options: dict[str, Any] = {
            "retries": {"mode": "adaptive", "max_attempts": 8},
            "max_pool_connections": self._max_pool,
            "connect_timeout": 10,
            "read_timeout": 30,
            "user_agent_extra": "surveyor",
        }
        session: Any = self.session  # boto3-stubs wants a literal service name
        client = session.client(service, region_name=region, config=Config(**options))
        if service == "s3control" and custom_endpoint(service):
            client.meta.events.register("before-sign.s3-control", _strip_account_label)
        for event, handler in self._hooks:
            client.meta.events.register(event, handler)
        return client


def _strip_account_label(request: Any, **_: Any) -> None:
    request.url = _ACCOUNT_LABEL.sub(r"\1", request.url, count=1)
