"""Input variable values, in Terraform's order of precedence (later wins):
defaults, TF_VAR_ environment, terraform.tfvars(.json), *.auto.tfvars(.json)
in lexical order, then --var-file and --var in that order."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.evaluator import EVAL_FAILURES, Scope, evaluate_value
from surveyor.sources.terraform.files import parse_files
from surveyor.sources.terraform.parser import parse_expression

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VarFileError:
    path: Path
    message: str
    line: int | None


def _no_names(name: str) -> Any:
    raise KeyError(name)


_EMPTY_SCOPE = Scope(_no_names)


def auto_var_files(module_dir: Path) -> list[Path]:
    found = [module_dir / "terraform.tfvars", module_dir / "terraform.tfvars.json"]
    auto = sorted(
        p
        for p in module_dir.iterdir()
        if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )
    return [p for p in [*found, *auto] if p.is_file()]


def read_var_file(
    path: Path, use_cache: bool = True
) -> tuple[dict[str, Any], VarFileError | None]:
    if path.name.endswith(".json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            return {}, VarFileError(path, f"cannot read variables file: {exc}", None)
        except json.JSONDecodeError as exc:
            return {}, VarFileError(path, f"not valid JSON: {exc.msg}", exc.lineno)
        return (data if isinstance(data, dict) else {}), None
    parsed = parse_files([path], use_cache)[path]
    if "error" in parsed:
        return {}, VarFileError(path, str(parsed["error"]), parsed.get("line"))
    body = {k: v for k, v in parsed["body"].items() if not k.startswith("__")}
    return {k: evaluate_value(v, _EMPTY_SCOPE) for k, v in body.items()}, None


def from_environment(declared: dict[str, dict[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, block in declared.items():
        raw = os.environ.get(f"TF_VAR_{name}")
        if raw is not None:
            values[name] = convert_cli_value(raw, block)
    return values


def convert_cli_value(raw: str, declaration: dict[str, Any]) -> Any:
    """`--var k=v` is a string unless the variable's type says otherwise."""
    declared_type = str(declaration.get("type", "string")).strip("${}").strip()
    if declared_type == "string":
        return raw
    try:
        return parse_expression(raw).evaluate(_EMPTY_SCOPE)
    except EVAL_FAILURES:
        if declared_type == "any":
            return raw
        return Unknown(f"--var value {raw!r} does not match its type")
