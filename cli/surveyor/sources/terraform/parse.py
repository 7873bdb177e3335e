"""One .tf file to python-hcl2's dict, with every attribute's line added.

Each block dict gets `__lines__` ({attribute name: line}); python-hcl2 only
gives a block's first and last line, so the attribute lines are found by
reading the block's own lines (nested blocks' lines excluded).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

PARSER_ID = "python-hcl2-7.3.1+lines1+inline2"
_ATTRIBUTE = re.compile(r"^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?![=>])")
_INLINE_ATTRIBUTE = re.compile(r"[{;,]\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?![=>])")


def parse_text(text: str) -> dict[str, Any]:
    """{"body": ...} for a file that parses, {"error": ..., "line": n} if not."""
    from hcl2.parser import parser
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = parser().parse(text + "\n")
        body = _transformer()(with_meta=True).transform(tree)
    except UnexpectedInput as exc:
        return {"error": _first_line(exc), "line": getattr(exc, "line", None)}
    except (LarkError, ValueError, TypeError, KeyError, IndexError) as exc:
        # python-hcl2's transformer raises plain exceptions on odd input.
        return {"error": _first_line(exc), "line": None}
    lines = text.split("\n")
    _add_lines(body, lines)
    return {"body": body}


@lru_cache(maxsize=1)
def _transformer() -> Any:
    """python-hcl2's transformer, made faithful where it writes expression text.

    Stock 7.3.1 drops the quotes of strings in a list or object written
    inside an expression (`toset(["a"])` becomes `toset([a])`) and writes
    Python reprs for lists in `?:` and parentheses; these overrides write
    HCL our expression parser reads back exactly.
    """
    from hcl2.transformer import DictTransformer

    class FaithfulTransformer(DictTransformer):
        def to_tf_inline(self, value: Any) -> str:
            if isinstance(value, list):
                return "[" + ", ".join(self._element(v) for v in value) + "]"
            if isinstance(value, dict):
                items = (
                    f"{self._key(k)} = {self._element(v)}"
                    for k, v in value.items()
                    if not str(k).startswith("__")
                )
                return "{" + ", ".join(items) + "}"
            if value is None:
                return "null"
            return str(super().to_tf_inline(value))

        def _element(self, value: Any) -> str:
            """An element that went through to_string_dollar: "${expr}" or text."""
            if isinstance(value, str):
                if self.is_string_dollar(value):
                    return str(value[2:-1])
                return json.dumps(value, ensure_ascii=False)
            return self.to_tf_inline(value)

        def _key(self, key: str) -> str:
            if self.is_string_dollar(key):
                return f"({key[2:-1]})"
            if key.startswith('"') and key.endswith('"'):
                return key
            return json.dumps(key, ensure_ascii=False)

        def _traversal(self, args: list[Any]) -> str:
            args = self.strip_new_line_tokens(args)
            return f"{self.to_tf_inline(args[0])}{args[1]}"

        index_expr_term = _traversal
        get_attr_expr_term = _traversal
        attr_splat_expr_term = _traversal
        full_splat_expr_term = _traversal

        def index(self, args: list[Any]) -> str:
            args = self.strip_new_line_tokens(args)
            return f"[{self.to_tf_inline(args[0])}]"

        def interpolation(self, args: list[Any]) -> str:
            return '"${' + self.to_tf_inline(args[0]) + '}"'

        def conditional(self, args: list[Any]) -> str:
            args = self.process_nulls(self.strip_new_line_tokens(args))
            parts = [self.to_tf_inline(a) for a in args]
            return f"{parts[0]} ? {parts[1]} : {parts[2]}"

        def expr_term(self, args: list[Any]) -> Any:
            stripped = self.strip_new_line_tokens(args)
            if stripped and stripped[0] == "(" and stripped[-1] == ")":
                return "".join(self.to_tf_inline(a) for a in stripped)
            return super().expr_term(args)

    return FaithfulTransformer


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().split("\n", 1)[0]
    return text or type(exc).__name__


def _add_lines(node: Any, lines: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _add_lines(item, lines)
        return
    if not isinstance(node, dict):
        return
    if "__start_line__" in node:
        node["__lines__"] = _attribute_lines(node, lines)
    for key, value in node.items():
        if not key.startswith("__"):
            _add_lines(value, lines)


def _nested_spans(node: Any, spans: list[tuple[int, int]]) -> None:
    """Line spans of the blocks directly inside a block."""
    items = node.values() if isinstance(node, dict) else node
    for value in items:
        if isinstance(value, dict) and "__start_line__" in value:
            spans.append((value["__start_line__"], value["__end_line__"]))
        elif isinstance(value, (dict, list)):
            _nested_spans(value, spans)


def _attribute_lines(block: dict[str, Any], lines: list[str]) -> dict[str, int]:
    start, end = block["__start_line__"], block["__end_line__"]
    wanted = {k for k in block if not k.startswith("__")}
    found: dict[str, int] = {}
    if start == end:  # `content { a = x }` on one line
        for match in _INLINE_ATTRIBUTE.finditer(lines[start - 1]):
            found.setdefault(match.group(1), start)
        return {k: v for k, v in found.items() if k in wanted}
    spans: list[tuple[int, int]] = []
    for key in wanted:
        _nested_spans([block[key]], spans)
    skip = {n for first, last in spans for n in range(first, last + 1)}
    indent: str | None = None
    for number in range(start + 1, end):
        if number in skip:
            continue
        found_line = _ATTRIBUTE.match(lines[number - 1])
        if found_line is None:
            continue
        match = found_line
        if indent is None:
            indent = match.group(1)
        if match.group(1) == indent and match.group(2) in wanted:
            found.setdefault(match.group(2), number)
    return found
