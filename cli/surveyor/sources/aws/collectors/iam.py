"""IAM: users, groups, roles, customer-managed policies, inline policies,
access keys, login profiles, MFA devices, the password policy, root facts.

GetAccountAuthorizationDetails returns every user, group, role and local
policy (with documents) in a few pages; only login profiles, MFA devices and
access keys need per-user calls.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from surveyor.redact import mask_identifier
from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    detail,
    iso,
    tags_of,
)

USER = "aws_iam_user"
GROUP = "aws_iam_group"
ROLE = "aws_iam_role"
POLICY = "aws_iam_policy"
USER_POLICY = "aws_iam_user_policy"
GROUP_POLICY = "aws_iam_group_policy"
ROLE_POLICY = "aws_iam_role_policy"
ACCESS_KEY = "aws_iam_access_key"
LOGIN_PROFILE = "aws_iam_user_login_profile"
PASSWORD_POLICY = "aws_iam_account_password_policy"
ACCOUNT = "aws_account"

_AUTHZ_TYPES = (USER, GROUP, ROLE, POLICY, USER_POLICY, GROUP_POLICY, ROLE_POLICY)

_PASSWORD_POLICY = {
    "MinimumPasswordLength": "minimum_password_length",
    "RequireSymbols": "require_symbols",
    "RequireNumbers": "require_numbers",
    "RequireUppercaseCharacters": "require_uppercase_characters",
    "RequireLowercaseCharacters": "require_lowercase_characters",
    "AllowUsersToChangePassword": "allow_users_to_change_password",
    "MaxPasswordAge": "max_password_age",
    "PasswordReusePrevention": "password_reuse_prevention",
    "HardExpiry": "hard_expiry",
}


class IamCollector(Collector):
    service = "iam"
    scope = Scope.GLOBAL
    resource_types = (
        *_AUTHZ_TYPES,
        ACCESS_KEY,
        LOGIN_PROFILE,
        PASSWORD_POLICY,
        ACCOUNT,
    )
    operations: ClassVar[Operations] = {
        "GetAccountAuthorizationDetails": _AUTHZ_TYPES,
        "GetLoginProfile": (USER, LOGIN_PROFILE),
        "ListMFADevices": (USER,),
        "ListAccessKeys": (USER, ACCESS_KEY),
        "GetAccountPasswordPolicy": (PASSWORD_POLICY, ACCOUNT),
        "GetAccountSummary": (ACCOUNT,),
    }

    def collect(self, ctx: CollectContext) -> None:
        iam = ctx.client()
        self._account(ctx, iam)
        details = _authorization_details(ctx, iam)
        if isinstance(details, Failed):
            return
        users, groups, roles, policies = details
        for group in groups:
            self._group(ctx, group)
        for role in roles:
            self._role(ctx, role)
        for policy in policies:
            self._policy(ctx, policy)
        ctx.map(lambda user: self._user(ctx, iam, user), users)

    def _account(self, ctx: CollectContext, iam: Any) -> None:
        summary = ctx.call(iam, "GetAccountSummary")
        facts = detail(summary, lambda r: r.get("SummaryMap", {}), {})
        if isinstance(summary, Failed):
            ctx.set_account_attribute("root_access_keys_present", summary.unknown)
            ctx.set_account_attribute("root_mfa_enabled", summary.unknown)
        else:
            ctx.set_account_attribute(
                "root_access_keys_present", bool(facts.get("AccountAccessKeysPresent"))
            )
            ctx.set_account_attribute(
                "root_mfa_enabled", bool(facts.get("AccountMFAEnabled"))
            )

        reply = ctx.call(iam, "GetAccountPasswordPolicy", absent=("NoSuchEntity",))
        policy = detail(
            reply,
            lambda r: {
                ours: r["PasswordPolicy"].get(theirs)
                for theirs, ours in _PASSWORD_POLICY.items()
            },
        )
        # None: no policy set, so IAM's weak defaults apply.
        ctx.set_account_attribute("password_policy", policy)
        if isinstance(policy, dict):
            ctx.emit(
                PASSWORD_POLICY,
                f"aws://{ctx.account}/iam-account-password-policy",
                policy,
                name=ctx.account,
            )

    def _group(self, ctx: CollectContext, group: dict[str, Any]) -> None:
        arn, name = str(group["Arn"]), str(group["GroupName"])
        ctx.emit(
            GROUP,
            arn,
            {
                "name": name,
                "path": group.get("Path", "/"),
                "arn": arn,
                "unique_id": group.get("GroupId"),
                "policy_arns": _attached(group),
            },
            name=name,
            arn=arn,
        )
        _inline(
            ctx,
            type_=GROUP_POLICY,
            owner_key="group",
            owner=name,
            owner_arn=arn,
            policies=group.get("GroupPolicyList", []),
        )

    def _role(self, ctx: CollectContext, role: dict[str, Any]) -> None:
        arn, name = str(role["Arn"]), str(role["RoleName"])
        boundary = role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        ctx.emit(
            ROLE,
            arn,
            {
                "name": name,
                "path": role.get("Path", "/"),
                "arn": arn,
                "unique_id": role.get("RoleId"),
                "description": role.get("Description", ""),
                "assume_role_policy": _document(role.get("AssumeRolePolicyDocument")),
                "max_session_duration": role.get("MaxSessionDuration", 3600),
                "managed_policy_arns": _attached(role),
                "permissions_boundary": boundary,
                "create_date": iso(role.get("CreateDate")),
            },
            name=name,
            arn=arn,
            tags=tags_of(role.get("Tags")),
        )
        _inline(
            ctx,
            type_=ROLE_POLICY,
            owner_key="role",
            owner=name,
            owner_arn=arn,
            policies=role.get("RolePolicyList", []),
        )

    def _policy(self, ctx: CollectContext, policy: dict[str, Any]) -> None:
        arn = str(policy["Arn"])
        name = str(policy.get("PolicyName") or arn.rpartition("/")[2])
        default = policy.get("DefaultVersionId")
        document = next(
            (
                v.get("Document")
                for v in policy.get("PolicyVersionList", [])
                if v.get("IsDefaultVersion") or v.get("VersionId") == default
            ),
            None,
        )
        ctx.emit(
            POLICY,
            arn,
            {
                "name": name,
                "path": policy.get("Path", "/"),
                "arn": arn,
                "description": policy.get("Description", ""),
                "policy": _document(document),
                "default_version_id": default,
                "attachment_count": policy.get("AttachmentCount", 0),
            },
            name=name,
            arn=arn,
            tags=tags_of(policy.get("Tags")),
        )

    def _user(self, ctx: CollectContext, iam: Any, user: dict[str, Any]) -> None:
        arn, name = str(user["Arn"]), str(user["UserName"])
        profile = ctx.call(
            iam,
            "GetLoginProfile",
            UserName=name,
            resource_id=arn,
            absent=("NoSuchEntity",),
        )
        mfa = ctx.call(iam, "ListMFADevices", UserName=name, resource_id=arn)
        keys = ctx.call(iam, "ListAccessKeys", UserName=name, resource_id=arn)
        login = detail(profile, lambda r: [_login_profile(r["LoginProfile"])], [])
        access_keys = detail(keys, _access_keys)
        ctx.emit(
            USER,
            arn,
            {
                "name": name,
                "path": user.get("Path", "/"),
                "arn": arn,
                "unique_id": user.get("UserId"),
                "create_date": iso(user.get("CreateDate")),
                "login_profile": login,
                "mfa_devices": detail(mfa, _mfa_devices),
                "access_keys": access_keys,
                "groups": list(user.get("GroupList", [])),
                "policy_arns": _attached(user),
                "permissions_boundary": user.get("PermissionsBoundary", {}).get(
                    "PermissionsBoundaryArn"
                ),
            },
            name=name,
            arn=arn,
            tags=tags_of(user.get("Tags")),
        )
        _inline(
            ctx,
            type_=USER_POLICY,
            owner_key="user",
            owner=name,
            owner_arn=arn,
            policies=user.get("UserPolicyList", []),
        )
        if isinstance(login, list) and login:
            ctx.emit(
                LOGIN_PROFILE,
                f"{arn}/login-profile",
                {"user": name, **login[0]},
                name=name,
            )
        if isinstance(access_keys, list):
            for key in access_keys:
                ctx.emit(
                    ACCESS_KEY,
                    f"{arn}/access-key/{key['id']}",
                    {"user": name, **key},
                    name=name,
                )


def _authorization_details(
    ctx: CollectContext, iam: Any
) -> tuple[list[Any], list[Any], list[Any], list[Any]] | Failed:
    pages: dict[str, list[Any]] = {}
    for key in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"):
        pages[key] = []
    try:
        paginator = iam.get_paginator("get_account_authorization_details")
        for page in paginator.paginate(
            Filter=["User", "Role", "Group", "LocalManagedPolicy"]
        ):
            for key, items in pages.items():
                items.extend(page.get(key, []))
    except Exception as exc:
        return Failed(ctx.record_failure(exc, "GetAccountAuthorizationDetails"))
    return (
        pages["UserDetailList"],
        pages["GroupDetailList"],
        pages["RoleDetailList"],
        pages["Policies"],
    )


def _inline(
    ctx: CollectContext,
    *,
    type_: str,
    owner_key: str,
    owner: str,
    owner_arn: str,
    policies: list[dict[str, Any]],
) -> None:
    for item in policies:
        name = str(item["PolicyName"])
        ctx.emit(
            type_,
            f"{owner_arn}/inline-policy/{name}",
            {
                owner_key: owner,
                "name": name,
                "policy": _document(item.get("PolicyDocument")),
            },
            name=name,
        )


def _document(document: Any) -> str | None:
    """A policy document as JSON text; boto3 has already URL-decoded it."""
    if document is None or isinstance(document, str):
        return document
    return json.dumps(document, sort_keys=False)


def _attached(entity: dict[str, Any]) -> list[str]:
    return sorted(
        str(p["PolicyArn"]) for p in entity.get("AttachedManagedPolicies", [])
    )


def _login_profile(profile: dict[str, Any]) -> dict[str, Any]:
    return {
        "create_date": iso(profile.get("CreateDate")),
        "password_reset_required": bool(profile.get("PasswordResetRequired", False)),
    }


def _mfa_devices(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "serial_number": d.get("SerialNumber"),
            "enable_date": iso(d.get("EnableDate")),
        }
        for d in reply.get("MFADevices", [])
    ]


def _access_keys(reply: dict[str, Any]) -> list[dict[str, Any]]:
    # The key id is masked like the console does: enough to find the key,
    # not the whole credential half.
    return [
        {
            "id": mask_identifier(str(k["AccessKeyId"])),
            "status": k.get("Status"),
            "create_date": iso(k.get("CreateDate")),
        }
        for k in reply.get("AccessKeyMetadata", [])
    ]
