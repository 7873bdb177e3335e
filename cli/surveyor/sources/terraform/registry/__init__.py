"""Known-module adapters for module calls that `terraform init` has not installed.

A call to a public registry module (e.g. `terraform-aws-modules/s3-bucket/aws`)
in a root without `.terraform/modules` cannot be evaluated from its code. For
the most used terraform-aws-modules modules an adapter (one module here per
adapted module) states what the module creates for the call's inputs, so the
rules judge those resources; findings land on the module call's input lines.

Sources are matched as the registry address (with or without
`registry.terraform.io/`), or the module's GitHub repository (`github.com/...`,
`git::https://github.com/....git`), with any `?ref=` and `//submodule`. The
adapters target the modules' current major versions (each docstring says
which): a call whose `version` pins an older major is not adapted but
reported as not evaluated, since the older defaults differ.
"""

from __future__ import annotations

import re

from surveyor.sources.terraform.registry import (
    ec2_instance,
    eks,
    rds,
    s3_bucket,
    security_group,
    vpc,
)
from surveyor.sources.terraform.registry.adapter import AdaptedCall, Adapter

__all__ = ["ADAPTERS", "AdaptedCall", "Adapter", "find_adapter", "split_source"]

ADAPTERS: dict[str, Adapter] = {
    adapter.source: adapter
    for adapter in (
        s3_bucket.ADAPTER,
        security_group.ADAPTER,
        rds.ADAPTER,
        ec2_instance.ADAPTER,
        vpc.ADAPTER,
        eks.ADAPTER,
    )
}
_GITHUB = re.compile(
    r"^(?:git::)?(?:https://|ssh://git@|git@)?github\.com[/:]"
    r"(?P<owner>[\w.-]+)/terraform-(?P<provider>[a-z0-9]+)-(?P<name>[\w.-]+?)"
    r"(?:\.git)?$"
)


def split_source(source: str) -> tuple[str, str]:
    """(registry address, submodule path) of a module source."""
    text = source.strip()
    text = text.split("?", 1)[0]
    scheme = ""
    if "://" in text:
        scheme, _, text = text.partition("://")
        scheme += "://"
    base, _, submodule = text.partition("//")
    base = scheme + base
    for host in ("registry.terraform.io/", "registry.opentofu.org/"):
        if base.startswith(host):
            base = base[len(host) :]
    found = _GITHUB.match(base)
    if found is not None:
        base = f"{found['owner']}/{found['name']}/{found['provider']}"
    return base.lower(), submodule.strip("/")


def find_adapter(source: str) -> Adapter | None:
    """The adapter for a module source (and its submodule), if there is one."""
    base, submodule = split_source(source)
    adapter = ADAPTERS.get(base)
    if adapter is None or submodule not in adapter.submodules:
        return None
    return adapter
