"""AWS-CF-001: a CloudFront distribution should require TLS 1.2 or later."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown

_MODERN_PREFIXES = ("TLSv1.2_", "TLSv1.3_")  # TLSv1.2_2018, _2019, _2021, ...


class CloudFrontViewerTls(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-CF-001",
        title="CloudFront distribution allows viewer TLS older than 1.2",
        severity=Severity.MEDIUM,
        resource_types=("aws_cloudfront_distribution",),
        description=(
            "viewer_certificate.minimum_protocol_version is SSLv3, TLSv1, "
            "TLSv1_2016 or TLSv1.1_2016 (TLSv1 when not written), or the "
            "distribution uses the default *.cloudfront.net certificate "
            "(cloudfront_default_certificate = true), which always accepts TLSv1. "
            "TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021 and later pass."
        ),
        rationale=(
            "TLS 1.0 and 1.1 are deprecated (RFC 8996): their cipher suites allow "
            "downgrade and decryption attacks on viewer traffic, which carries "
            "session cookies and API tokens."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_cloudfront_distribution" "site" {\n'
                "  # ...\n"
                '  aliases = ["www.example.com"]\n'
                "  viewer_certificate {\n"
                "    acm_certificate_arn      = aws_acm_certificate.site.arn\n"
                '    ssl_support_method       = "sni-only"\n'
                '    minimum_protocol_version = "TLSv1.2_2021"\n'
                "  }\n"
                "}"
            ),
            console=(
                "Console: CloudFront > Distributions > <id> > General > Settings > "
                "Edit > Custom SSL certificate (ACM, us-east-1) and Security policy "
                "TLSv1.2_2021 > Save changes.\n"
                "CLI: aws cloudfront get-distribution-config --id <id> > cfg.json; "
                "set ViewerCertificate.MinimumProtocolVersion to TLSv1.2_2021 (with "
                "an ACMCertificateArn); aws cloudfront update-distribution --id <id> "
                "--if-match <ETag> --distribution-config file://cfg.json"
            ),
        ),
        runbook=(
            "1. Check the distribution's viewer metrics or access logs for clients "
            "still negotiating TLS 1.0/1.1 and warn their owners. 2. For a "
            "distribution on *.cloudfront.net, attach an ACM certificate for a "
            "custom domain first: the default certificate cannot enforce TLS 1.2. "
            "3. Set the security policy to TLSv1.2_2021 and watch 4xx/5xx rates "
            "after the change propagates."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1040",),
        # CloudFront.7 (custom certificates) is related: the default certificate
        # fails here. CloudFront.10 concerns origins, not viewers, so it is not.
        compliance={"AWS Foundational Security Best Practices": ("CloudFront.7",)},
        references=(
            "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("viewer_certificate")
        block = first_block(raw)
        if is_unknown(block):
            return Verdict.unknown(
                unknown_reason(raw, "viewer_certificate"), "viewer_certificate"
            )
        if block is None:
            return Verdict.failed(
                "viewer_certificate is not set: the default certificate accepts TLSv1"
            )
        assert not isinstance(block, Unknown)

        default_raw = block.get("cloudfront_default_certificate")
        default_path = "viewer_certificate.0.cloudfront_default_certificate"
        uses_default = as_bool(default_raw, default=False)
        if is_unknown(uses_default):
            return Verdict.unknown(
                unknown_reason(default_raw, default_path), default_path
            )
        if uses_default:
            return Verdict.failed(
                f"{default_path} = true: the *.cloudfront.net certificate accepts "
                "TLSv1 whatever minimum_protocol_version says",
                default_path,
            )

        version = block.get("minimum_protocol_version")
        path = "viewer_certificate.0.minimum_protocol_version"
        if is_unknown(version):
            return Verdict.unknown(unknown_reason(version, path), path)
        if version is None:
            return Verdict.failed(
                f"{path} is not set (default TLSv1)", "viewer_certificate"
            )
        if str(version).startswith(_MODERN_PREFIXES):
            return Verdict.passed(f"{path} = {self.describe_value(version)}", path)
        return Verdict.failed(
            f"{path} = {self.describe_value(version)} allows TLS older than 1.2", path
        )
