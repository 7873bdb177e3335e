"""CloudFront: distributions with their viewer certificate (a global service).

ListDistributions nests its items (DistributionList.Items) where the generic
paginator cannot reach, so the pages are walked here with `ctx.call`; a failed
page leaves the type incomplete (an ERROR), never a partial PASS.
"""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.model import Unknown
from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

DISTRIBUTION = "aws_cloudfront_distribution"


class CloudFrontCollector(Collector):
    service = "cloudfront"
    scope = Scope.GLOBAL
    resource_types = (DISTRIBUTION,)
    operations: ClassVar[Operations] = {"ListDistributions": (DISTRIBUTION,)}

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        marker: str | None = None
        while True:
            params = {"Marker": marker} if marker else {}
            reply = ctx.call(client, "ListDistributions", **params)
            if isinstance(reply, Failed) or reply is None:
                return
            page = reply.get("DistributionList") or {}
            for item in page.get("Items", []):
                _emit(ctx, item)
            marker = page.get("NextMarker")
            if not page.get("IsTruncated") or not marker:
                return


def _emit(ctx: CollectContext, item: dict[str, Any]) -> None:
    dist_id = str(item["Id"])
    arn = str(
        item.get("ARN")
        or ctx.arn("cloudfront", f"distribution/{dist_id}", account=ctx.account)
    )
    cert = item.get("ViewerCertificate")
    # AWS always lists it; an emulator may not. Missing data is not a default.
    viewer: Any = (
        Unknown("ListDistributions returned no ViewerCertificate")
        if cert is None
        else [
            {
                "cloudfront_default_certificate": bool(
                    cert.get("CloudFrontDefaultCertificate", False)
                ),
                "acm_certificate_arn": cert.get("ACMCertificateArn"),
                "iam_certificate_id": cert.get("IAMCertificateId"),
                "minimum_protocol_version": cert.get("MinimumProtocolVersion"),
                "ssl_support_method": cert.get("SSLSupportMethod"),
            }
        ]
    )
    ctx.emit(
        DISTRIBUTION,
        arn,
        {
            "id": dist_id,
            "arn": arn,
            "domain_name": item.get("DomainName"),
            "enabled": bool(item.get("Enabled", False)),
            "aliases": list((item.get("Aliases") or {}).get("Items", [])),
            "viewer_certificate": viewer,
        },
        name=dist_id,
        arn=arn,
    )
