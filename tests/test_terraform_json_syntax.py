"""Terraform JSON syntax is not evaluated yet, and a scan says so."""

from __future__ import annotations

from pathlib import Path

from surveyor.model import Location
from surveyor.sources.terraform import TerraformOptions, load_terraform


def test_a_tf_json_file_beside_tf_files_is_a_notice_not_a_silent_skip(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_kms_key" "k" {}\n')
    (tmp_path / "extra.tf.json").write_text(
        '{"resource": {"aws_s3_bucket": {"b": {"acl": "public-read"}}}}\n'
    )
    resources = load_terraform(
        TerraformOptions(
            targets=[tmp_path],
            root=tmp_path,
            var_files=[],
            variables={},
            use_cache=False,
        )
    )
    assert [r.address for r in resources] == ["aws_kms_key.k"]
    (notice,) = resources.notices
    assert notice.location == Location("extra.tf.json", 1, 1)
    assert "Terraform JSON syntax (.tf.json) is not read yet" in notice.message
