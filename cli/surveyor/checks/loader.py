"""Load check classes from directories of Python modules and validate them."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from surveyor.checks.base import ATTACK_TECHNIQUE, RULE_ID, Check, RuleMeta
from surveyor.model import Side

logger = logging.getLogger(__name__)


class PolicyLoadError(Exception):
    """A policy module that cannot be used; the message names the file."""


@dataclass(frozen=True)
class LoadedCheck:
    check: Check
    path: Path

    @property
    def meta(self) -> RuleMeta:
        return self.check.meta


def builtin_policy_dir() -> Path:
    """The shipped policy set: `surveyor/policies` in the wheel or the checkout."""
    # Imported by name: the package maps to the repository's policies/ folder.
    package = importlib.import_module("surveyor.policies")
    assert package.__file__ is not None
    return Path(package.__file__).resolve().parent


def load_checks(
    directories: list[Path], *, known_types: frozenset[str] | None = None
) -> list[LoadedCheck]:
    """Every check in the directories, in id order; raises on the first bad one.

    A directory is read non-recursively; modules starting with `_` are helpers.
    """
    loaded: dict[str, LoadedCheck] = {}
    for directory in directories:
        if not directory.is_dir():
            raise PolicyLoadError(f"{directory}: policy directory does not exist")
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith("_"):
                continue
            found = _load_module_check(path)
            _validate(found, path, known_types)
            if found.meta.id in loaded:
                other = loaded[found.meta.id].path
                raise PolicyLoadError(
                    f"{path}: duplicate rule id {found.meta.id} (also in {other})"
                )
            loaded[found.meta.id] = LoadedCheck(found, path)
    return [loaded[key] for key in sorted(loaded)]


def _load_module_check(path: Path) -> Check:
    digest = hashlib.sha1(str(path.parent).encode()).hexdigest()[:10]
    module_name = f"surveyor_policy_{digest}_{path.stem}"
    module = sys.modules.get(module_name) or _import_path(module_name, path)
    classes = [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Check) and obj is not Check and obj.__module__ == module_name
    ]
    if len(classes) != 1:
        raise PolicyLoadError(
            f"{path}: a policy module defines exactly one Check subclass, "
            f"found {len(classes)}"
        )
    cls = classes[0]
    if not isinstance(getattr(cls, "meta", None), RuleMeta):
        raise PolicyLoadError(f"{path}: {cls.__name__}.meta must be a RuleMeta")
    if cls.evaluate is Check.evaluate:
        raise PolicyLoadError(f"{path}: {cls.__name__} does not define evaluate()")
    try:
        return cls()
    except Exception as exc:
        raise PolicyLoadError(f"{path}: {cls.__name__}() failed: {exc}") from exc


def _import_path(module_name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PolicyLoadError(f"{path}: not an importable Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        line = _error_line(exc, path)
        raise PolicyLoadError(f"{path}{line}: import failed: {exc!r}") from exc
    return module


def _error_line(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f":{exc.lineno}"
    tb = exc.__traceback__
    line = ""
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename) == path:
            line = f":{tb.tb_lineno}"
        tb = tb.tb_next
    return line


def _validate(check: Check, path: Path, known_types: frozenset[str] | None) -> None:
    meta = check.meta
    problems: list[str] = []
    if not RULE_ID.match(meta.id):
        problems.append(f"id {meta.id!r} is not of the form AWS-SERVICE-NNN")
    expected_stem = meta.id.lower().replace("-", "_")
    if not path.stem.startswith(expected_stem):
        problems.append(f"module name must start with {expected_stem!r}")
    for name in ("title", "description", "rationale", "runbook", "owner"):
        if not getattr(meta, name).strip():
            problems.append(f"{name} is empty")
    if not meta.remediation.terraform.strip() and Side.IAC in meta.sides:
        problems.append("remediation.terraform is empty")
    if not meta.remediation.console.strip():
        problems.append("remediation.console is empty")
    if not meta.resource_types:
        problems.append("resource_types is empty")
    if not meta.sides:
        problems.append("sides is empty")
    if meta.sides != frozenset(Side) and not meta.side_reason.strip():
        problems.append(
            "side_reason is required when a rule does not support both sides"
        )
    for technique in meta.mitre_attack:
        if not ATTACK_TECHNIQUE.match(technique):
            problems.append(f"MITRE ATT&CK id {technique!r} is malformed")
    if known_types is not None:
        unknown = sorted(set(meta.resource_types) - known_types)
        if unknown:
            problems.append(f"unknown resource types {unknown}")
    if problems:
        raise PolicyLoadError(f"{path}: {meta.id}: " + "; ".join(problems))
