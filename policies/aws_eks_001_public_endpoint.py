"""AWS-EKS-001: an EKS cluster's API endpoint should not be open to the internet."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import (
    as_bool,
    as_list,
    first_block,
    is_internet_cidr,
    unknown_reason,
)
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown

_DEFAULT_CIDRS = ["0.0.0.0/0"]  # EKS's default when public access is on


class EksPublicEndpoint(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EKS-001",
        title="EKS cluster API endpoint public to 0.0.0.0/0",
        severity=Severity.HIGH,
        resource_types=("aws_eks_cluster",),
        description=(
            "vpc_config.endpoint_public_access is true (the default) and "
            "public_access_cidrs includes 0.0.0.0/0 (the default when it is not "
            "written), so the Kubernetes API server accepts connections from any "
            "address. A public endpoint limited to named CIDRs, or a private-only "
            "endpoint, passes."
        ),
        rationale=(
            "An internet-reachable API server is exposed to credential stuffing "
            "with leaked kubeconfigs and tokens and to any pre-authentication "
            "vulnerability in Kubernetes; restricting the source addresses removes "
            "most of that exposure at no cost."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_eks_cluster" "main" {\n'
                "  # ...\n"
                "  vpc_config {\n"
                "    subnet_ids              = var.private_subnet_ids\n"
                "    endpoint_private_access = true\n"
                "    endpoint_public_access  = false\n"
                '    # or public, narrowed: public_access_cidrs = ["203.0.113.0/24"]\n'
                "  }\n"
                "}"
            ),
            console=(
                "Console: EKS > Clusters > <cluster> > Networking > Manage endpoint "
                "access > Private, or Public and private with an allow-list of "
                "CIDRs > Save.\n"
                "CLI: aws eks update-cluster-config --name <cluster> "
                "--resources-vpc-config endpointPrivateAccess=true,"
                "publicAccessCidrs=203.0.113.0/24"
            ),
        ),
        runbook=(
            "1. Ask the cluster owner where kubectl, CI runners and GitOps agents "
            "connect from. 2. Turn on private access first, then restrict "
            "public_access_cidrs to those ranges (or turn public access off); the "
            "update takes minutes and keeps the cluster running. 3. Review the "
            "control-plane audit log for authentication failures from unknown "
            "addresses while it was open."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1190",),
        compliance={"AWS Foundational Security Best Practices": ("EKS.1",)},
        references=(
            "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("vpc_config")
        block = first_block(raw)
        if is_unknown(block):
            return Verdict.unknown(unknown_reason(raw, "vpc_config"), "vpc_config")
        if block is None:
            block = {}
        assert not isinstance(block, Unknown)

        public_raw = block.get("endpoint_public_access")
        public = as_bool(public_raw, default=True)
        public_path = "vpc_config.0.endpoint_public_access"
        if is_unknown(public):
            return Verdict.unknown(unknown_reason(public_raw, public_path), public_path)
        if not public:
            return Verdict.passed(f"{public_path} = false", public_path)

        cidrs_raw = block.get("public_access_cidrs")
        cidrs_path = "vpc_config.0.public_access_cidrs"
        cidrs = as_list(cidrs_raw) if cidrs_raw is not None else list(_DEFAULT_CIDRS)
        if is_unknown(cidrs):
            return Verdict.unknown(unknown_reason(cidrs_raw, cidrs_path), cidrs_path)
        assert isinstance(cidrs, list)
        open_cidrs = [c for c in cidrs if is_internet_cidr(c) is True]
        where = cidrs_path if cidrs_raw is not None else public_path
        if open_cidrs:
            shown = (
                f"{cidrs_path} includes {self.describe_value(open_cidrs[0])}"
                if cidrs_raw is not None
                else f"{cidrs_path} is not set (default 0.0.0.0/0)"
            )
            return Verdict.failed(f"endpoint is public and {shown}", where)
        if any(is_unknown(is_internet_cidr(c)) for c in cidrs):
            return Verdict.unknown(f"an entry of {cidrs_path} is not known", cidrs_path)
        return Verdict.passed(
            f"endpoint is public but {cidrs_path} = {self.describe_value(cidrs)}",
            cidrs_path,
        )
