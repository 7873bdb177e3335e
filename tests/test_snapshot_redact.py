"""Secret redaction shared by collectors, snapshots and reports."""

from __future__ import annotations

import pytest

from surveyor.redact import (
    find_secret,
    mask_identifier,
    redact_environment,
    redact_text,
    redact_value,
    redacted_kind,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("AKIAIOSFODNN7EXAMPLE", "aws-access-key-id"),
        ("ASIAY34FZKBOKMUTVV7A", "aws-access-key-id"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "private-key"),
        ("ghp_" + "a" * 36, "github-token"),
        ("xoxb-1234567890-abcdefghij", "slack-token"),
    ],
)
def test_known_secret_shapes_are_found_anywhere(value: str, kind: str) -> None:
    assert find_secret(value) == kind
    assert redact_text(f"prefix {value}") == f"<redacted:{kind}>"


def test_secret_access_key_needs_a_secret_sounding_name() -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert find_secret(secret) is None
    assert find_secret(secret, "AWS_SECRET_ACCESS_KEY") == "aws-secret-access-key"


def test_environment_values_are_redacted_by_name_or_shape() -> None:
    env = {
        "DB_PASSWORD": "hunter2",
        "API_TOKEN": "abc",
        "LOG_LEVEL": "debug",
        "UPSTREAM": "AKIAIOSFODNN7EXAMPLE",
        "EMPTY_SECRET": "",
    }

    redacted = redact_environment(env)

    assert redacted == {
        "DB_PASSWORD": "<redacted:named-secret>",
        "API_TOKEN": "<redacted:named-secret>",
        "LOG_LEVEL": "debug",
        "UPSTREAM": "<redacted:aws-access-key-id>",
        "EMPTY_SECRET": "",
    }
    assert redacted_kind(redacted["DB_PASSWORD"]) == "named-secret"
    assert redacted_kind("debug") is None


def test_redact_value_walks_nested_documents_and_keeps_the_rest() -> None:
    value = {"a": ["ok", {"b": "AKIAIOSFODNN7EXAMPLE"}], "n": 3, "t": (True, None)}

    assert redact_value(value) == {
        "a": ["ok", {"b": "<redacted:aws-access-key-id>"}],
        "n": 3,
        "t": (True, None),
    }


def test_redaction_is_idempotent() -> None:
    once = redact_text("AKIAIOSFODNN7EXAMPLE")
    assert redact_text(once) == once
    assert redact_environment({"PASSWORD": once}) == {"PASSWORD": once}


def test_masked_identifier_keeps_only_the_ends() -> None:
    masked = mask_identifier("AKIAIOSFODNN7EXAMPLE")
    assert masked == "AKIA************MPLE"
    assert find_secret(masked) is None
    assert mask_identifier("short") == "*****"
