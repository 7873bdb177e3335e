"""Turn botocore exceptions into CollectionError data."""

from __future__ import annotations

from surveyor.model import CollectionError


class AwsCredentialsError(Exception):
    """No usable credentials: the collection cannot start (exit 2)."""


# Codes meaning the credentials themselves are bad, not one permission.
CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "SignatureDoesNotMatch",
    }
)


def error_code_and_message(exc: Exception) -> tuple[str, str]:
    """(code, one-line message) of any botocore exception."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "ClientError")
        message = str(error.get("Message") or exc)
        return code, _one_line(message)
    if isinstance(exc, BotoCoreError):
        return type(exc).__name__, _one_line(str(exc))
    return type(exc).__name__, _one_line(str(exc))


def to_collection_error(
    exc: Exception,
    operation: str,
    region: str,
    resource_types: tuple[str, ...],
    resource_id: str | None = None,
) -> CollectionError:
    code, message = error_code_and_message(exc)
    return CollectionError(
        operation=operation,
        region=region,
        code=code,
        message=message,
        resource_types=resource_types,
        resource_id=resource_id,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
