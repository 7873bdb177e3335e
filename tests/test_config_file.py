"""`.surveyor.toml`: discovery, parsing, and errors that name the line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from surveyor.config import ConfigError, find_config, load_config
from surveyor.config_lines import key_lines
from surveyor.model import Severity

GOOD = """\
fail_on = "high"
policies = ["team-policies"]

[rules]
enable = ["AWS-S3-001", "AWS-S3-004"]
disable = ["AWS-S3-005"]

[rules.severity]
"AWS-S3-004" = "high"

[rules.owner]
"AWS-S3-001" = "storage-team"

[rules.sla]
"AWS-S3-001" = 3

[[waivers]]
rule = "AWS-S3-*"
resource = "aws_s3_bucket.legacy*"
reason = "migrating in Q1"
owner = "alice"
expires = 2027-03-31

[[waivers]]
rule = "AWS-EC2-001"
reason = "bastion host"
"""


def write(tmp_path: Path, text: str, name: str = ".surveyor.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.lines


def test_a_full_config_loads_into_typed_values(tmp_path: Path) -> None:
    (tmp_path / "team-policies").mkdir()
    config = load_config(write(tmp_path, GOOD))

    assert config.fail_on is Severity.HIGH
    assert config.enable == {"AWS-S3-001", "AWS-S3-004"}
    assert config.disable == {"AWS-S3-005"}
    assert config.severity == {"AWS-S3-004": Severity.HIGH}
    assert config.owner == {"AWS-S3-001": "storage-team"}
    assert config.sla_days == {"AWS-S3-001": 3}
    assert config.policies == ((tmp_path / "team-policies").resolve(),)
    first, second = config.waivers
    assert first.expires == dt.date(2027, 3, 31)
    assert first.owner == "alice"
    assert first.line == 17
    assert second.resource == "*"
    assert second.expires is None


def test_a_string_date_is_accepted_for_expires(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[waivers]]\nrule = "AWS-S3-001"\nreason = "r"\nexpires = "2027-01-02"\n',
    )
    assert load_config(path).waivers[0].expires == dt.date(2027, 1, 2)


def test_unknown_keys_are_errors_at_their_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'fail_on = "low"\n\n[rules]\nenabled = ["AWS-S3-001"]\n')
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:4: unknown key rules.enabled;")
    assert "enable" in message


def test_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'fail_on = "low"\nfail-on = "high"\n')
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:2: unknown key fail-on;")


def test_a_waiver_without_reason_names_the_waiver_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[waivers]]\nrule = "AWS-S3-001"\nreason = "ok"\n\n'
        '[[waivers]]\nrule = "AWS-S3-002"\n',
    )
    (message,) = errors_of(path)
    assert message == f"{path}:5: waivers[1] lacks required key reason; add it"


def test_a_blank_reason_is_not_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path, '[[waivers]]\nrule = "AWS-S3-001"\nreason = "   "\n')
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:3: waivers[0].reason")


def test_bad_values_each_get_a_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'fail_on = "hgh"\n'
        "[rules]\n"
        'enable = ["AWS-S3-001", "s3-public"]\n'
        "[rules.severity]\n"
        '"AWS-S3-004" = "high"\n'
        '"aws-s3" = "low"\n'
        "[rules.sla]\n"
        '"AWS-S3-004" = "ten"\n'
        "[[waivers]]\n"
        'rule = "AWS-S3-001"\n'
        'reason = "r"\n'
        'expires = "soon"\n',
    )
    messages = errors_of(path)
    lines = [int(m.split(":")[1]) for m in messages]
    assert lines == [1, 3, 6, 8, 12]
    assert "use critical, high, medium, low, info" in messages[0]
    assert "'s3-public' is not a rule id" in messages[1]
    assert "key 'aws-s3' is not a rule id" in messages[2]
    assert "must be a whole number" in messages[3]
    assert "is not a date; write it as" in messages[4]
    for message in messages:
        assert "\n" not in message and "; " in message


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'fail_on = "high"\n[rules\nenable = []\n')
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:2: not valid TOML")
    assert "(at line" not in message


def test_a_missing_policy_directory_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'policies = ["here", "gone"]\n')
    (tmp_path / "here").mkdir()
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:1: policy directory")
    assert "gone" in message


def test_key_lines_follow_tables_arrays_and_dotted_keys() -> None:
    lines = key_lines(
        '# comment\nrules.enable = ["A"]\n[rules.severity]\n"X-Y-001" = "low"\n'
        "[[waivers]]\nrule = 'a'\n[[waivers]]\n  rule = 'b'\n"
    )
    assert lines[("rules", "enable")] == 2
    assert lines[("rules", "severity", "X-Y-001")] == 4
    assert lines[("waivers", 0, "rule")] == 6
    assert lines[("waivers", 1)] == 7
    assert lines[("waivers", 1, "rule")] == 8


def test_find_config_walks_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    deep = repo / "infra" / "prod"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    config = write(repo, "")

    assert find_config(deep) == config
    assert find_config(deep / "main.tf") == config


def test_find_config_does_not_leave_the_repository(tmp_path: Path) -> None:
    write(tmp_path, "")  # above the repository: not ours
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()

    assert find_config(repo / "infra") is None


def test_the_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "")
    inner = tmp_path / "infra"
    inner.mkdir()
    nearest = write(inner, "")
    assert find_config(inner) == nearest


def test_a_scan_without_config_does_not_import_jsonschema(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from surveyor.config import find_config\n"
        f"find_config(Path({str(tmp_path)!r}))\n"
        "import surveyor.scan, surveyor.commands.scan\n"
        "print('jsonschema' in sys.modules)\n"
    )
    (tmp_path / ".git").mkdir()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_an_impossible_date_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[waivers]]\nrule = "A-B-001"\nreason = "r"\nexpires = "2027-02-30"\n',
    )
    (message,) = errors_of(path)
    assert message.startswith(f"{path}:4: waivers[0].expires = '2027-02-30' is not")
