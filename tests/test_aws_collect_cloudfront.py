"""CloudFront collection: viewer certificates, for AWS-CF-001 (a global service).

moto's ListDistributions leaves ViewerCertificate out of its summaries, which
real AWS always includes, so the pages here are AWS-shaped replies injected
at the botocore layer; the collector, its paging and the check run for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws
from surveyor.policies.aws_cf_001_viewer_tls import CloudFrontViewerTls
from test_aws_support import api_error, fake_credentials

from surveyor.engine import run_checks
from surveyor.model import Status, is_unknown
from surveyor.resourceset import ResourceSet
from surveyor.sources.aws import AwsOptions, collect_aws

ACCOUNT = "123456789012"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0a1b-2c3d-4e5f"


class _Ok:
    status_code = 200
    headers: dict[str, str] = {}  # noqa: RUF012
    content = b""


def summary(dist_id: str, viewer: dict[str, Any] | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "Id": dist_id,
        "ARN": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist_id}",
        "DomainName": f"{dist_id.lower()}.cloudfront.net",
        "Enabled": True,
    }
    if viewer is not None:
        item["ViewerCertificate"] = viewer
    return item


def pages(*batches: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """before-call hooks answering ListDistributions with these pages in order."""
    replies = []
    for index, items in enumerate(batches):
        last = index == len(batches) - 1
        page: dict[str, Any] = {"Items": items, "IsTruncated": not last}
        if not last:
            page["NextMarker"] = f"page-{index + 1}"
        replies.append({"DistributionList": page, "ResponseMetadata": {}})
    seen: list[Any] = []

    def answer(params: dict[str, Any], **_: Any) -> Any:
        seen.append(params.get("query_string", {}).get("Marker"))
        return _Ok(), replies[len(seen) - 1]

    return [("before-call.cloudfront.ListDistributions", answer)]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    fake_credentials(monkeypatch)
    with mock_aws():
        yield


def collect(*hooks: tuple[str, Any]) -> ResourceSet:
    return collect_aws(
        AwsOptions(
            regions=["us-east-1"], services={"cloudfront"}, event_hooks=list(hooks)
        )
    )


def statuses(resources: ResourceSet) -> dict[str, Status]:
    results = run_checks([CloudFrontViewerTls()], resources)
    return {r.resource.rsplit("/", 1)[-1]: r.status for r in results}


def test_every_page_is_read_and_each_distribution_judged(aws: None) -> None:
    default = {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}
    modern = {
        "ACMCertificateArn": CERT,
        "SSLSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
        "CloudFrontDefaultCertificate": False,
    }
    old = {**modern, "MinimumProtocolVersion": "TLSv1_2016"}

    resources = collect(
        *pages(
            [summary("EDEFAULT", default), summary("EMODERN", modern)],
            [summary("EOLD", old)],
        )
    )

    found = resources.get(f"arn:aws:cloudfront::{ACCOUNT}:distribution/EMODERN")
    assert found is not None and found.region == "global"
    assert found.attributes["viewer_certificate"][0]["acm_certificate_arn"] == CERT
    assert statuses(resources) == {
        "EDEFAULT": Status.FAIL,
        "EMODERN": Status.PASS,
        "EOLD": Status.FAIL,
    }


def test_a_summary_without_certificate_is_unknown_not_a_default(aws: None) -> None:
    resources = collect(*pages([summary("EBARE", None)]))

    found = resources.get(f"arn:aws:cloudfront::{ACCOUNT}:distribution/EBARE")
    assert found is not None and is_unknown(found.attributes["viewer_certificate"])
    assert statuses(resources) == {"EBARE": Status.UNKNOWN}


def test_denied_list_is_a_global_error(aws: None) -> None:
    resources = collect(*api_error("cloudfront", "ListDistributions", "AccessDenied"))

    results = run_checks([CloudFrontViewerTls()], resources)
    assert [(r.status, r.region) for r in results] == [(Status.ERROR, "global")]
