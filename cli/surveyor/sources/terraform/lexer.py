"""Tokens of HCL expression text (what python-hcl2 hands over inside "${...}")."""

from __future__ import annotations

import re
from dataclasses import dataclass


class HclSyntaxError(ValueError):
    """Expression text this evaluator cannot read."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # NUMBER, STRING, HEREDOC, IDENT, OP, EOF
    text: str
    pos: int


_OPERATORS = (
    "[*]",
    "...",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "=>",
    "::",
    ".*",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "!",
    "?",
    ":",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "=",
)
_TOKEN_RE = re.compile(
    r"(?P<space>(?:\s+|#[^\n]*|//[^\n]*|/\*.*?\*/)+)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<heredoc><<-?(?P<tag>[A-Za-z_][A-Za-z0-9_.-]*)\n)"
    r"|(?P<op>" + "|".join(re.escape(op) for op in _OPERATORS) + ")",
    re.DOTALL,
)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while pos < end:
        if text[pos] == '"':
            close = scan_quoted(text, pos)
            tokens.append(Token("STRING", text[pos + 1 : close], pos))
            pos = close + 1
            continue
        match = _TOKEN_RE.match(text, pos)
        if match is None:
            raise HclSyntaxError(f"unexpected character {text[pos]!r} at {pos}")
        kind = match.lastgroup
        if kind == "heredoc" or match.group("tag"):
            pos = _heredoc(text, match, tokens)
            continue
        if kind != "space":
            value = match.group(0)
            tokens.append(Token(str(kind).upper(), value, pos))
        pos = match.end()
    tokens.append(Token("EOF", "", end))
    return tokens


def _heredoc(text: str, match: re.Match[str], tokens: list[Token]) -> int:
    tag = match.group("tag")
    closing = re.compile(rf"^[ \t]*{re.escape(tag)}[ \t]*$", re.MULTILINE)
    found = closing.search(text, match.end())
    if found is None:
        raise HclSyntaxError(f"heredoc <<{tag} is not closed")
    body = text[match.end() : found.start()]
    if match.group(0).startswith("<<-"):
        body = dedent(body)
    tokens.append(Token("HEREDOC", body, match.start()))
    return found.end()


def dedent(body: str) -> str:
    lines = body.split("\n")
    widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(widths, default=0)
    return "\n".join(line[cut:] for line in lines)


def scan_quoted(text: str, start: int) -> int:
    """Index of the quote closing the string opened at `start`."""
    pos = start + 1
    end = len(text)
    while pos < end:
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == '"':
            return pos
        if char in "$%" and text.startswith("{", pos + 1):
            if text.startswith(char, pos - 1) and pos - 1 > start:
                pos += 2  # "$${" is a literal "${"
                continue
            pos = scan_braced(text, pos + 1) + 1
            continue
        pos += 1
    raise HclSyntaxError("string is not closed")


def scan_braced(text: str, start: int) -> int:
    """Index of the brace closing the one at `start`, skipping nested strings."""
    depth = 0
    pos = start
    end = len(text)
    while pos < end:
        char = text[pos]
        if char == '"':
            pos = scan_quoted(text, pos) + 1
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    raise HclSyntaxError("interpolation is not closed")
