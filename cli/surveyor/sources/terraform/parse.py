"""One .tf file to python-hcl2's dict, with every attribute's line added.

Each block dict gets `__lines__` ({attribute name: line}); python-hcl2 only
gives a block's first and last line, so the attribute lines are found by
reading the block's own lines (nested blocks' lines excluded).
"""

from __future__ import annotations

import re
from typing import Any

PARSER_ID = "python-hcl2-7.3.1+lines1"
_ATTRIBUTE = re.compile(r"^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?![=>])")
_INLINE_ATTRIBUTE = re.compile(r"[{;,]\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?![=>])")


def parse_text(text: str) -> dict[str, Any]:
    """{"body": ...} for a file that parses, {"error": ..., "line": n} if not."""
    from hcl2.parser import parser
    from hcl2.transformer import DictTransformer
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = parser().parse(text + "\n")
        body = DictTransformer(with_meta=True).transform(tree)
    except UnexpectedInput as exc:
        return {"error": _first_line(exc), "line": getattr(exc, "line", None)}
    except (LarkError, ValueError, TypeError, KeyError, IndexError) as exc:
        # python-hcl2's transformer raises plain exceptions on odd input.
        return {"error": _first_line(exc), "line": None}
    lines = text.split("\n")
    _add_lines(body, lines)
    return {"body": body}


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
