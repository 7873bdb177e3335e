"""One .tf file to python-hcl2's dict, with every attribute's line added.

Each block dict gets `__lines__` ({attribute name: line}); python-hcl2 only
gives a block's first and last line, so the attribute lines are found by
reading the block's own lines (nested blocks' lines excluded). An attribute
whose value is an object literal also gets the lines of its first-level keys
in `__key_lines__` ({attribute: {key: line}}), so that a finding on one
environment variable or tag lands on that key's line.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from surveyor.sources.terraform.lexer import HclSyntaxError, scan_braced

logger = logging.getLogger(__name__)
PARSER_ID = "python-hcl2-7.3.1+lines1+inline2+braces1+escapes1+keys1"
_ATTRIBUTE = re.compile(r"^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?![=>])")
_INLINE_ATTRIBUTE = re.compile(r"[{;,]\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=(?![=>])")


def parse_text(text: str) -> dict[str, Any]:
    """{"body": ...} for a file that parses, {"error": ..., "line": n} if not."""
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        body = _fast_parse(text) if _fast_parser() is not None else _meta_parse(text)
    except UnexpectedInput as exc:
        return {"error": _first_line(exc), "line": getattr(exc, "line", None)}
    except (LarkError, ValueError, TypeError, KeyError, IndexError) as exc:
        # python-hcl2's transformer raises plain exceptions on odd input.
        return {"error": _first_line(exc), "line": None}
    lines = text.split("\n")
    _add_lines(body, lines)
    return {"body": body}


def warm_up() -> None:
    """Load the grammar now (before worker processes fork from this one)."""
    if _fast_parser() is None:
        from hcl2.parser import parser

        parser()


def _meta_parse(text: str) -> Any:
    """python-hcl2's own parser, block lines from lark's position metadata."""
    from hcl2.parser import parser

    tree = parser().parse(text + "\n")
    return _transformer()[0](with_meta=True).transform(tree)


# Lark's propagate_positions costs ~45% of a parse; without it a block's
# lines come from its first token and the `}` matching its `{`, recorded as
# the lexer produces them: (is_close, position, line), per thread.
_LOCAL = threading.local()


def _braces() -> list[tuple[bool, int, int]]:
    found: list[tuple[bool, int, int]] | None = getattr(_LOCAL, "braces", None)
    if found is None:
        found = _LOCAL.braces = []
    return found


def _opened(token: Any) -> Any:
    _braces().append((False, token.start_pos, token.line))
    return token


def _closed(token: Any) -> Any:
    _braces().append((True, token.start_pos, token.end_line))
    return token


@lru_cache(maxsize=1)
def _fast_parser() -> Any:
    """hcl2's grammar without position tracking, or None if it looks unlike 7.3.1."""
    import hcl2
    from lark import Lark

    grammar = Path(hcl2.__file__).parent / "hcl2.lark"
    parser = Lark.open(
        str(grammar),
        parser="lalr",
        cache=True,
        propagate_positions=False,
        lexer_callbacks={"LBRACE": _opened, "RBRACE": _closed, "__ANON_0": _opened},
    )
    names = {t.pattern.value: t.name for t in parser.terminals}
    if (names.get("{"), names.get("}"), names.get("${")) != (
        "LBRACE",
        "RBRACE",
        "__ANON_0",
    ):
        logger.debug("unexpected hcl2 grammar; using position metadata")
        return None
    return parser


def _fast_parse(text: str) -> Any:
    braces = _braces()
    braces.clear()
    tree = _fast_parser().parse(text + "\n")
    openers: list[int] = []
    ends: dict[int, int] = {}
    stack: list[int] = []
    for is_close, position, line in braces:
        if not is_close:
            stack.append(position)
            openers.append(position)
        elif stack:
            ends[stack.pop()] = line
    transformer = _transformer()[1](with_meta=True)
    transformer.openers = openers
    transformer.brace_ends = ends
    return transformer.transform(tree)


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
        def process_escape_sequences(self, value: str) -> str:
            """Unescape template text but not the expressions inside "${...}":
            stock 7.3.1 turns `${"a\\"b"}` into the unreadable `${"a"b"}`."""
            if not isinstance(value, str) or "\\" not in value or "${" not in value:
                return str(super().process_escape_sequences(value))
            plain = super().process_escape_sequences
            out: list[str] = []
            pos = 0
            while (start := value.find("${", pos)) >= 0:
                if start > 0 and value[start - 1] == "$":  # "$${" is literal text
                    out.append(plain(value[pos : start + 2]))
                    pos = start + 2
                    continue
                try:
                    end = scan_braced(value, start + 1)
                except HclSyntaxError:
                    break
                out.append(plain(value[pos:start]))
                out.append(value[start : end + 1])
                pos = end + 1
            out.append(plain(value[pos:]))
            return "".join(out)

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

    class PositionFreeTransformer(FaithfulTransformer):
        """For a parse without lark positions: lines from tokens and braces."""

        openers: list[int]
        brace_ends: dict[int, int]

        def identifier(self, value: list[Any]) -> Any:
            return _Name(value[0])

        def block(self, args: list[Any]) -> Any:
            *labels, body = args
            first = labels[0]
            start = getattr(first, "line", None) or 1
            at = bisect.bisect_right(self.openers, getattr(first, "pos", -1))
            end = (
                self.brace_ends.get(self.openers[at], start)
                if at < len(self.openers)
                else start
            )
            body["__start_line__"] = start
            body["__end_line__"] = end
            result = body
            for label in reversed(labels):
                result = {str(self.strip_quotes(label)): result}
            return result

    return FaithfulTransformer, PositionFreeTransformer


class _Name(str):
    """An identifier that remembers where it was written (for block lines)."""

    __slots__ = ("line", "pos")
    line: int
    pos: int

    def __new__(cls, token: Any) -> _Name:
        name = super().__new__(cls, str(token))
        name.line = token.line
        name.pos = token.start_pos
        return name

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        # Crosses from worker processes as a plain string.
        return (str, (str.__str__(self),))


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
        keys = _object_key_lines(node, node["__lines__"], lines)
        if keys:
            node["__key_lines__"] = keys
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


_OBJECT_KEY = re.compile(r'[ \t]*"?([A-Za-z_][A-Za-z0-9_./-]*)"?[ \t]*[=:](?![=>])')


def _object_key_lines(
    block: dict[str, Any], attribute_lines: dict[str, int], lines: list[str]
) -> dict[str, dict[str, int]]:
    """First-level key lines of the attributes whose value is an object literal."""
    found: dict[str, dict[str, int]] = {}
    for name, line in attribute_lines.items():
        value = block.get(name)
        if type(value) is not dict or "__start_line__" in value:
            continue
        wanted = {str(k).strip('"') for k in value if not str(k).startswith("__")}
        keys = _scan_object(lines, line, wanted)
        if keys:
            found[name] = keys
    return found


def _scan_object(lines: list[str], first: int, wanted: set[str]) -> dict[str, int]:
    """Walk `name = { ... }` from its line: keys at depth 1 and their lines."""
    keys: dict[str, int] = {}
    depth = 0
    in_string = False
    started = False
    for number in range(first, len(lines) + 1):
        text = lines[number - 1]
        position = text.index("=") + 1 if number == first and "=" in text else 0
        expect_key = number != first and depth == 1
        while position <= len(text):
            if expect_key and not in_string and depth == 1:
                match = _OBJECT_KEY.match(text, position)
                if match is not None and match.group(1) in wanted:
                    keys.setdefault(match.group(1), number)
                expect_key = False
            if position == len(text):
                break
            char = text[position]
            if in_string:
                if char == "\\":
                    position += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#" or text.startswith("//", position):
                break
            elif char in "{[(":
                depth += 1
                started = True
                expect_key = depth == 1 and char == "{"
            elif char in "}])":
                depth -= 1
                if started and depth <= 0:
                    return keys
            elif char == "," and depth == 1:
                expect_key = True
            position += 1
        if not started and number > first:
            return keys
    return keys
