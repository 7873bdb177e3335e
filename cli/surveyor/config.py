"""`.surveyor.toml`: find it, parse it, validate it, and say where it is wrong.

jsonschema is imported only when a config file exists, so a scan without one
starts no slower.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from surveyor.config_lines import KeyPath, key_lines, line_of, schema_problems
from surveyor.model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = ".surveyor.toml"


class ConfigError(Exception):
    """An unusable config file; each line reads `file:line: what; what to do`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Waiver:
    """A config-file acceptance of findings: rule and resource are globs."""

    rule: str
    reason: str
    resource: str = "*"
    owner: str | None = None
    expires: dt.date | None = None
    line: int = 0

    def matches(self, rule_id: str, identities: tuple[str, ...]) -> bool:
        return fnmatchcase(rule_id, self.rule.upper()) and any(
            fnmatchcase(identity, self.resource) for identity in identities
        )

    def expired(self, today: dt.date) -> bool:
        """A waiver applies through its `expires` day and stops the day after."""
        return self.expires is not None and today > self.expires


@dataclass(frozen=True)
class Config:
    path: Path
    fail_on: Severity | None = None
    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    owner: Mapping[str, str] = field(default_factory=dict)
    sla_days: Mapping[str, int] = field(default_factory=dict)
    policies: tuple[Path, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    key_lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False)

    def where(self, *path: str | int) -> str:
        """`file:line` of a key path, for messages about this config."""
        return f"{self.path}:{line_of(self.key_lines, path)}"

    def unknown_rule_ids(self, known: set[str]) -> list[str]:
        """Messages for rule ids this config names that no loaded check has."""
        problems = []
        for section, ids in (
            ("enable", sorted(self.enable)),
            ("disable", sorted(self.disable)),
            ("severity", sorted(self.severity)),
            ("owner", sorted(self.owner)),
            ("sla", sorted(self.sla_days)),
        ):
            problems += [
                f"{self._where_id(section, rule_id)}: unknown rule id {rule_id} in "
                f"[rules] {section}; `surveyor rules` lists the ids"
                for rule_id in ids
                if rule_id not in known
            ]
        for index, waiver in enumerate(self.waivers):
            if not any(fnmatchcase(rule_id, waiver.rule.upper()) for rule_id in known):
                problems.append(
                    f"{self.where('waivers', index, 'rule')}: waiver rule "
                    f"{waiver.rule!r} matches no rule id; `surveyor rules` lists them"
                )
        return problems

    def _where_id(self, section: str, rule_id: str) -> str:
        if section in ("enable", "disable"):
            return self.where("rules", section)
        return self.where("rules", section, rule_id)


def find_config(start: Path) -> Path | None:
    """The nearest `.surveyor.toml` from `start` upward, stopping at the
    directory that holds `.git` (the repository root) or the filesystem root."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
        if (candidate / ".git").exists():
            return None
    return None


def load_config(path: Path) -> Config:
    """Parse and validate one config file; raises ConfigError naming lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}:1: cannot read the config file: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(
            [f"{path}:{line}: not valid TOML: {reason}; fix the syntax"]
        ) from None

    lines = key_lines(text)
    plain = _json_ready(data)
    problems = [
        f"{path}:{line}: {message}" for line, message in schema_problems(plain, lines)
    ]
    policies = _policy_dirs(path, plain.get("policies", []))
    for index, directory in enumerate(policies):
        if not problems and not directory.is_dir():
            problems.append(
                f"{path}:{line_of(lines, ('policies', index))}: policy directory "
                f"{directory} does not exist; paths are relative to the config file"
            )
    problems += _bad_dates(path, plain, lines) if not problems else []
    if problems:
        raise ConfigError(problems)
    return _build(path, plain, policies, lines)


def _bad_dates(
    path: Path, data: dict[str, Any], lines: Mapping[KeyPath, int]
) -> list[str]:
    problems = []
    for index, waiver in enumerate(data.get("waivers", [])):
        try:
            if "expires" in waiver:
                dt.date.fromisoformat(waiver["expires"])
        except ValueError:
            line = line_of(lines, ("waivers", index, "expires"))
            problems.append(
                f"{path}:{line}: waivers[{index}].expires = {waiver['expires']!r} "
                "is not a calendar date; write a real day as 2026-12-31"
            )
    return problems


def _build(
    path: Path, data: dict[str, Any], policies: list[Path], lines: dict[KeyPath, int]
) -> Config:
    rules: dict[str, Any] = data.get("rules", {})
    waivers = tuple(
        Waiver(
            rule=item["rule"],
            reason=item["reason"].strip(),
            resource=item.get("resource", "*"),
            owner=item.get("owner"),
            expires=dt.date.fromisoformat(item["expires"])
            if "expires" in item
            else None,
            line=line_of(lines, ("waivers", index)),
        )
        for index, item in enumerate(data.get("waivers", []))
    )
    return Config(
        path=path,
        fail_on=Severity.parse(data["fail_on"]) if "fail_on" in data else None,
        enable=frozenset(rules.get("enable", [])),
        disable=frozenset(rules.get("disable", [])),
        severity={k: Severity.parse(v) for k, v in rules.get("severity", {}).items()},
        owner=dict(rules.get("owner", {})),
        sla_days=dict(rules.get("sla", {})),
        policies=tuple(policies),
        waivers=waivers,
        key_lines=lines,
    )


def _policy_dirs(config_path: Path, entries: object) -> list[Path]:
    if not isinstance(entries, list):
        return []
    base = config_path.resolve().parent
    return [(base / entry).resolve() for entry in entries if isinstance(entry, str)]


def _json_ready(value: Any) -> Any:
    """TOML dates become ISO strings so the JSON schema can judge them."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date subclass
        return value.isoformat()
    return value


def _toml_error_line(message: str) -> int:
    match = re.search(r"at line (\d+)", message)
    return int(match[1]) if match else 1
