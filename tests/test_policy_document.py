"""PolicyDocument: parsing every form a policy arrives in, and its questions."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from surveyor.model import UNKNOWN, Unknown, is_unknown
from surveyor.model.policy_document import (
    Condition,
    PolicyDocument,
    PolicyParseError,
    Principals,
    condition_restricts,
)


def document(*statements: dict[str, Any]) -> PolicyDocument:
    parsed = PolicyDocument.parse(
        {"Version": "2012-10-17", "Statement": list(statements)}
    )
    assert isinstance(parsed, PolicyDocument)
    return parsed


ADMIN = {"Effect": "Allow", "Action": "*", "Resource": "*"}
PUBLIC_READ = {
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::b/*",
}


def test_parse_accepts_json_text_dict_and_url_encoded_text() -> None:
    text = json.dumps({"Statement": [ADMIN]})
    for value in (text, json.loads(text), urllib.parse.quote(text)):
        parsed = PolicyDocument.parse(value)
        assert isinstance(parsed, PolicyDocument)
        assert parsed.grants_admin() is True


def test_parse_of_none_or_blank_is_no_policy_and_unknown_stays_unknown() -> None:
    assert PolicyDocument.parse(None) is None
    assert PolicyDocument.parse("  ") is None
    assert is_unknown(PolicyDocument.parse(Unknown("var.policy")))


def test_invalid_json_raises_a_parse_error_naming_the_position() -> None:
    with pytest.raises(PolicyParseError, match="line 1 column"):
        PolicyDocument.parse('{"Statement": [}')


def test_a_non_object_policy_is_a_parse_error() -> None:
    with pytest.raises(PolicyParseError, match="JSON object"):
        PolicyDocument.parse("[1, 2]")


def test_single_values_become_lists_and_keys_are_case_insensitive() -> None:
    parsed = PolicyDocument.parse(
        {"statement": {"effect": "Allow", "action": "s3:GetObject", "resource": "x"}}
    )
    assert isinstance(parsed, PolicyDocument)
    (statement,) = parsed.statements
    assert statement.actions == ("s3:GetObject",)
    assert statement.resources == ("x",)


def test_principal_forms_are_normalized() -> None:
    everyone = Principals.parse("*")
    assert everyone is not None and everyone.wildcard
    aws = Principals.parse({"AWS": "arn:aws:iam::111122223333:root"})
    assert aws is not None and aws.values("AWS") == ("arn:aws:iam::111122223333:root",)
    assert aws.is_everyone() is False
    star = Principals.parse({"AWS": ["arn:aws:iam::111122223333:root", "*"]})
    assert star is not None and star.is_everyone() is True


def test_grants_admin_for_star_star_colon_star_and_not_action() -> None:
    assert document(ADMIN).grants_admin() is True
    assert document({**ADMIN, "Action": ["*:*"]}).grants_admin() is True
    not_action = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert document(not_action).grants_admin() is True


def test_not_action_star_allows_nothing() -> None:
    nothing = {"Effect": "Allow", "NotAction": "*", "Resource": "*"}
    assert document(nothing).grants_admin() is False


def test_no_admin_for_deny_service_wildcards_or_narrow_resources() -> None:
    assert document({**ADMIN, "Effect": "Deny"}).grants_admin() is False
    assert document({**ADMIN, "Action": "s3:*"}).grants_admin() is False
    assert document({**ADMIN, "Resource": "arn:aws:s3:::b"}).grants_admin() is False


def test_admin_is_unknown_when_the_action_is_unknown_and_nothing_else_decides() -> None:
    unknown_action = {**ADMIN, "Action": UNKNOWN}
    assert is_unknown(document(unknown_action).grants_admin())
    assert document(unknown_action, ADMIN).grants_admin() is True
    narrow = {**unknown_action, "Resource": "arn:aws:s3:::b"}
    assert document(narrow).grants_admin() is False


def test_unknown_statement_entries_make_a_negative_answer_unknown() -> None:
    parsed = PolicyDocument.parse({"Statement": [UNKNOWN]})
    assert isinstance(parsed, PolicyDocument)
    assert is_unknown(parsed.grants_admin())
    whole = PolicyDocument.parse({"Statement": UNKNOWN})
    assert isinstance(whole, PolicyDocument) and is_unknown(whole.allows_public())


def test_public_statement_without_condition() -> None:
    parsed = document(PUBLIC_READ)
    assert parsed.allows_public() is True
    assert parsed.public_statements() == parsed.statements


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("StringEquals", "aws:SourceArn", "arn:aws:cloudtrail:us-east-1:1:trail/t"),
        ("StringEquals", "aws:SourceAccount", "111122223333"),
        ("StringEquals", "aws:SourceVpce", "vpce-0abc"),
        ("StringEquals", "aws:sourcevpc", "vpc-0abc"),
        ("IpAddress", "aws:SourceIp", "203.0.113.0/24"),
        ("StringEquals", "aws:PrincipalOrgID", "o-abc123"),
        ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/app-*"),
        ("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-abc/r-ab12/*"),
        ("StringEquals", "aws:PrincipalAccount", "111122223333"),
        ("StringLike", "aws:userid", "AROAEXAMPLE:*"),
    ],
)
def test_conditions_that_pin_the_caller_restrict(
    operator: str, key: str, value: str
) -> None:
    statement = {**PUBLIC_READ, "Condition": {operator: {key: value}}}
    assert document(statement).allows_public() is False


@pytest.mark.parametrize(
    ("operator", "key", "value"),
    [
        ("Bool", "aws:SecureTransport", "true"),
        ("StringLike", "aws:PrincipalOrgID", "*"),
        ("IpAddress", "aws:SourceIp", "0.0.0.0/0"),
        ("StringNotEquals", "aws:PrincipalOrgID", "o-abc123"),
        ("StringEqualsIfExists", "aws:SourceVpce", "vpce-0abc"),
        ("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", "o-abc/*"),
        ("ArnLike", "aws:SourceArn", "arn:aws:*:*:*:*"),
        ("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"),
    ],
)
def test_conditions_that_do_not_pin_the_caller_leave_it_public(
    operator: str, key: str, value: str
) -> None:
    statement = {**PUBLIC_READ, "Condition": {operator: {key: value}}}
    assert document(statement).allows_public() is True


def test_one_wildcard_value_among_several_admits_everyone() -> None:
    condition = Condition("StringEquals", "aws:SourceAccount", ("111122223333", "*"))
    assert condition_restricts(condition) is False


def test_unknown_condition_value_on_a_restricting_key_is_unknown() -> None:
    statement = {
        **PUBLIC_READ,
        "Condition": {"StringEquals": {"aws:SourceArn": UNKNOWN}},
    }
    assert is_unknown(document(statement).allows_public())


class _Computed(Unknown):
    """Stands in for a value computed by another resource (it has an address)."""

    __slots__ = ("address",)

    def __init__(self, address: str) -> None:
        super().__init__(f"computed by {address}")
        self.address = address


def test_values_computed_by_other_resources_are_never_the_wildcard() -> None:
    account = _Computed("data.aws_caller_identity.current")
    pinned = {
        **PUBLIC_READ,
        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
    }
    assert document(pinned).allows_public() is False
    role = {**PUBLIC_READ, "Principal": {"AWS": _Computed("aws_iam_role.reader")}}
    assert document(role).allows_public() is False


def test_not_principal_with_allow_is_public_and_service_principal_is_not() -> None:
    not_principal = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "s3:GetObject",
        "Resource": "*",
    }
    assert document(not_principal).allows_public() is True
    service = {**PUBLIC_READ, "Principal": {"Service": "cloudfront.amazonaws.com"}}
    assert document(service).allows_public() is False


def test_denies_insecure_transport() -> None:
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    assert document(deny).denies_insecure_transport() is True
    assert document(PUBLIC_READ).denies_insecure_transport() is False
    allow = {**deny, "Effect": "Allow"}
    assert document(allow).denies_insecure_transport() is False


def test_trusted_principals_lists_each_principal_of_allow_statements() -> None:
    trust = document(
        {
            "Effect": "Allow",
            "Principal": {
                "Service": "ec2.amazonaws.com",
                "AWS": ["arn:aws:iam::444455556666:root"],
            },
            "Action": "sts:AssumeRole",
        },
        {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"},
    )
    pairs = {(kind, value) for kind, value, _ in trust.trusted_principals()}
    assert pairs == {
        ("Service", "ec2.amazonaws.com"),
        ("AWS", "arn:aws:iam::444455556666:root"),
    }


def test_statement_sid_and_index_are_kept_for_messages() -> None:
    parsed = document({"Sid": "First", **ADMIN}, {**ADMIN, "Action": "s3:*"})
    first, second = parsed.statements
    assert (first.sid, first.index, second.index) == ("First", 0, 1)
    assert first.action_list() == '["*"]'
