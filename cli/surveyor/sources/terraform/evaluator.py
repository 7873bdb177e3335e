"""Evaluating parsed expressions in a module's scope, never with Python eval."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.functions import call_function
from surveyor.sources.terraform.lexer import HclSyntaxError
from surveyor.sources.terraform.nodes import Node
from surveyor.sources.terraform.parser import parse_template
from surveyor.sources.terraform.values import EvalError, to_template_string

logger = logging.getLogger(__name__)

# What goes wrong inside one expression: Terraform would reject it, or the
# value is of a shape we do not model. Either way the value becomes UNKNOWN.
EVAL_FAILURES = (
    EvalError,
    HclSyntaxError,
    TypeError,
    ValueError,
    KeyError,
    IndexError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
)


class Scope:
    """Names visible to an expression: the module's roots plus local bindings."""

    __slots__ = ("bindings", "module_dir", "reads", "resolve")

    def __init__(
        self,
        resolve: Callable[[str], Any],
        bindings: dict[str, Any] | None = None,
        module_dir: Path | None = None,
        reads: list[Path] | None = None,
    ) -> None:
        self.resolve = resolve
        self.bindings = bindings or {}
        self.module_dir = module_dir
        self.reads = reads  # files read by file(), for the scan cache

    def lookup(self, name: str) -> Any:
        if name in self.bindings:
            return self.bindings[name]
        return self.resolve(name)

    def child(self, bindings: dict[str, Any]) -> Scope:
        return Scope(
            self.resolve, {**self.bindings, **bindings}, self.module_dir, self.reads
        )

    def call(self, name: str, args: list[Node], expand: bool) -> Any:
        if name == "try":
            return self._try(args)
        if name == "can":
            return self._can(args)
        values = [arg.evaluate(self) for arg in args]
        if expand and values:
            last = values.pop()
            if isinstance(last, Unknown):
                return Unknown(f"{name}() with unknown expanded arguments")
            values.extend(last)
        if name == "file":
            return self._file(values)
        if name == "templatefile":
            return self._templatefile(values)
        return call_function(name, values)

    def _try(self, args: list[Node]) -> Any:
        for arg in args:
            try:
                return arg.evaluate(self)
            except EVAL_FAILURES:
                continue
        raise EvalError("try(): no argument could be evaluated")

    def _can(self, args: list[Node]) -> Any:
        try:
            value = args[0].evaluate(self)
        except EVAL_FAILURES:
            return False
        return Unknown("can() of an unknown value") if contains_unknown(value) else True

    def _file(self, values: list[Any]) -> Any:
        """file() of a path inside the module: the policy JSON next to the code."""
        if len(values) != 1 or self.module_dir is None or contains_unknown(values):
            return Unknown("file() of an unknown path")
        target = (self.module_dir / to_template_string(values[0])).resolve()
        if self.reads is not None:
            self.reads.append(target)
        try:
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return Unknown(f"file() could not read {values[0]}")

    def _templatefile(self, values: list[Any]) -> Any:
        """templatefile(): the file as a template that sees only the given vars."""
        if len(values) != 2 or not isinstance(values[1], dict):
            return Unknown("templatefile() with unknown variables")
        text = self._file(values[:1])
        if isinstance(text, Unknown):
            return text
        bindings = dict(values[1])

        def no_names(name: str) -> Any:
            raise EvalError(f"templatefile() template reads undeclared {name!r}")

        template = Scope(no_names, bindings, self.module_dir, self.reads)
        return parse_template(text, escapes=False).evaluate(template)


def evaluate_value(raw: Any, scope: Scope) -> Any:
    """An attribute value as python-hcl2 gives it (strings hold expressions)."""
    if isinstance(raw, str):
        return evaluate_text(raw, scope)
    if isinstance(raw, list):
        return [evaluate_value(item, scope) for item in raw]
    if isinstance(raw, dict):
        out: dict[str, Any] = {}
        for key, item in raw.items():
            name = key
            if "${" in key:
                name = evaluate_text(key.strip('"'), scope)
                if isinstance(name, Unknown):
                    return Unknown("object key is unknown")
                name = to_template_string(name)
            out[name] = evaluate_value(item, scope)
        return out
    return raw


def evaluate_text(text: str, scope: Scope) -> Any:
    try:
        return parse_template(text).evaluate(scope)
    except EVAL_FAILURES as exc:
        # Reasons reach reports: EvalError messages name no values (they may
        # be secrets); other exceptions are reduced to their type.
        reason = str(exc) if isinstance(exc, EvalError) else type(exc).__name__
        logger.debug("expression not evaluated: %s", reason)
        return Unknown(f"not evaluated: {reason}")
