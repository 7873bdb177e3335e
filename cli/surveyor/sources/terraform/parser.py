"""Recursive-descent parser from HCL expression text and templates to nodes.

Precedence, loosest first: `?:`, `||`, `&&`, `== !=`, `< > <= >=`, `+ -`,
`* / %`, unary `! -`, then traversals (`.a`, `[i]`, `[*]`, `.*`).
"""

from __future__ import annotations

from functools import lru_cache

from surveyor.sources.terraform.lexer import (
    HclSyntaxError,
    Token,
    scan_braced,
    tokenize,
)
from surveyor.sources.terraform.nodes import (
    Binary,
    Call,
    Conditional,
    Directive,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    Node,
    ObjectNode,
    Splat,
    Template,
    Text,
    TupleNode,
    Unary,
    Variable,
)

_LEVELS: tuple[tuple[str, ...], ...] = (
    ("||",),
    ("&&",),
    ("==", "!="),
    ("<", ">", "<=", ">="),
    ("+", "-"),
    ("*", "/", "%"),
)
_KEYWORDS = {"true": True, "false": False, "null": None}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, *ops: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind == "OP" and token.text in ops

    def expect(self, op: str) -> Token:
        token = self.next()
        if token.kind != "OP" or token.text != op:
            raise HclSyntaxError(
                f"expected {op!r} at {token.pos}, found {token.text!r}"
            )
        return token

    def ident(self) -> str:
        token = self.next()
        if token.kind != "IDENT":
            raise HclSyntaxError(f"expected a name at {token.pos}")
        return token.text

    def expression(self) -> Node:
        condition = self.binary(0)
        if not self.at("?"):
            return condition
        self.next()
        then = self.expression()
        self.expect(":")
        return Conditional(condition, then, self.expression())

    def binary(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.at(*_LEVELS[level]):
            op = self.next().text
            left = Binary(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Node:
        if self.at("!", "-"):
            op = self.next().text
            operand = self.unary()
            if (
                op == "-"
                and isinstance(operand, Literal)
                and isinstance(operand.value, (int, float))
            ):
                return Literal(-operand.value)
            return Unary(op, operand)
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.at("."):
                self.next()
                token = self.next()
                if token.kind == "NUMBER":
                    node = Index(node, Literal(int(token.text)))
                elif token.kind == "IDENT":
                    node = GetAttr(node, token.text)
                else:
                    raise HclSyntaxError(f"bad attribute at {token.pos}")
            elif self.at("["):
                self.next()
                key = self.expression()
                self.expect("]")
                node = Index(node, key)
            elif self.at("[*]", ".*"):
                full = self.next().text == "[*]"
                node = Splat(node, self.splat_steps(full))
            else:
                return node

    def splat_steps(self, full: bool) -> list[tuple[str, Node | str]]:
        steps: list[tuple[str, Node | str]] = []
        while True:
            if self.at(".") and self.tokens[self.pos + 1].kind == "IDENT":
                self.next()
                steps.append(("attr", self.ident()))
            elif full and self.at("["):
                self.next()
                steps.append(("index", self.expression()))
                self.expect("]")
            else:
                return steps

    def primary(self) -> Node:
        token = self.next()
        if token.kind == "NUMBER":
            text = token.text
            is_float = "." in text or "e" in text.lower()
            return Literal(float(text) if is_float else int(text))
        if token.kind == "STRING":
            return parse_template(token.text, escapes=True)
        if token.kind == "HEREDOC":
            return parse_template(token.text, escapes=False)
        if token.kind == "IDENT":
            return self.name(token)
        if token.kind == "OP":
            if token.text == "(":
                inner = self.expression()
                self.expect(")")
                return inner
            if token.text == "[":
                return self.tuple()
            if token.text == "{":
                return self.object()
        raise HclSyntaxError(f"unexpected {token.text or 'end'!r} at {token.pos}")

    def name(self, token: Token) -> Node:
        if token.text in _KEYWORDS and not self.at("(", "::"):
            return Literal(_KEYWORDS[token.text])
        name = token.text
        while self.at("::"):  # provider::aws::arn_parse(...)
            self.next()
            name = f"{name}::{self.ident()}"
        if not self.at("("):
            return Variable(name)
        self.next()
        args: list[Node] = []
        expand = False
        while not self.at(")"):
            args.append(self.expression())
            if self.at("..."):
                self.next()
                expand = True
            if not self.at(","):
                break
            self.next()
        self.expect(")")
        return Call(name, args, expand)

    def tuple(self) -> Node:
        if self.peek.kind == "IDENT" and self.peek.text == "for":
            return self.for_expr("]")
        items: list[Node] = []
        while not self.at("]"):
            items.append(self.expression())
            if not self.at(","):
                break
            self.next()
        self.expect("]")
        return TupleNode(items)

    def object(self) -> Node:
        if self.peek.kind == "IDENT" and self.peek.text == "for":
            return self.for_expr("}")
        items: list[tuple[Node, Node]] = []
        while not self.at("}"):
            key = self.object_key()
            if not self.at("=", ":"):
                raise HclSyntaxError(f"expected '=' in object at {self.peek.pos}")
            self.next()
            items.append((key, self.expression()))
            if self.at(","):
                self.next()
        self.expect("}")
        return ObjectNode(items)

    def object_key(self) -> Node:
        token = self.peek
        following = self.tokens[self.pos + 1]
        if token.kind == "IDENT" and following.kind == "OP" and following.text in "=:":
            self.next()
            return Literal(token.text)  # a bare name is the key itself
        return self.expression()

    def for_expr(self, closing: str) -> Node:
        self.next()  # "for"
        first = self.ident()
        second = None
        if self.at(","):
            self.next()
            second = self.ident()
        word = self.next()
        if word.text != "in":
            raise HclSyntaxError(f"expected 'in' at {word.pos}")
        collection = self.expression()
        self.expect(":")
        key = None
        value = self.expression()
        if closing == "}":
            self.expect("=>")
            key, value = value, self.expression()
        group = False
        if self.at("..."):
            self.next()
            group = True
        condition = None
        if self.peek.kind == "IDENT" and self.peek.text == "if":
            self.next()
            condition = self.expression()
        self.expect(closing)
        key_var, value_var = (first, second) if second else (None, first)
        return ForExpr(
            key_var=key_var,
            value_var=value_var,
            collection=collection,
            key=key,
            value=value,
            condition=condition,
            group=group,
        )

    def finish(self, node: Node) -> Node:
        if self.peek.kind != "EOF":
            raise HclSyntaxError(f"unexpected {self.peek.text!r} at {self.peek.pos}")
        return node


@lru_cache(maxsize=65536)
def parse_expression(text: str) -> Node:
    parser = _Parser(text)
    return parser.finish(parser.expression())


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text):
            code = text[pos + 1]
            if code in "uU":
                width = 4 if code == "u" else 8
                out.append(chr(int(text[pos + 2 : pos + 2 + width], 16)))
                pos += 2 + width
                continue
            out.append(_ESCAPES.get(code, code))
            pos += 2
            continue
        out.append(char)
        pos += 1
    return "".join(out)


@lru_cache(maxsize=65536)
def parse_template(text: str, escapes: bool = False) -> Node:
    """A template's text (without quotes); a plain string becomes a Literal."""
    if "${" not in text and "%{" not in text:
        return Literal(_unescape(text) if escapes else text)
    pieces = _split_template(text, escapes)
    node, rest = _build(pieces, 0, ())
    if rest != len(pieces):
        raise HclSyntaxError(f"unexpected template directive {pieces[rest][1]!r}")
    return node


def _split_template(text: str, escapes: bool) -> list[tuple[str, str]]:
    """("text", literal) / ("interp", expression) / ("directive", words)."""
    pieces: list[tuple[str, str]] = []
    literal: list[str] = []
    pos = 0
    while pos < len(text):
        if text.startswith(("$${", "%%{"), pos):
            literal.append(text[pos + 1 : pos + 3])
            pos += 3
            continue
        if text.startswith(("${", "%{"), pos):
            close = scan_braced(text, pos + 1)
            inner = text[pos + 2 : close].strip()
            if inner.startswith("~"):
                inner = inner[1:]
                literal = [_rstrip_last(literal)]
            strip_after = inner.endswith("~")
            inner = inner.rstrip("~").strip()
            if literal:
                chunk = "".join(literal)
                pieces.append(("text", _unescape(chunk) if escapes else chunk))
                literal = []
            pieces.append(("interp" if text[pos] == "$" else "directive", inner))
            pos = close + 1
            if strip_after:
                while pos < len(text) and text[pos].isspace():
                    pos += 1
            continue
        literal.append(text[pos])
        pos += 1
    if literal:
        chunk = "".join(literal)
        pieces.append(("text", _unescape(chunk) if escapes else chunk))
    return pieces


def _rstrip_last(literal: list[str]) -> str:
    return "".join(literal).rstrip()


def _build(
    pieces: list[tuple[str, str]], pos: int, stops: tuple[str, ...]
) -> tuple[Template, int]:
    parts: list[Node] = []
    while pos < len(pieces):
        kind, text = pieces[pos]
        if kind == "text":
            parts.append(Text(text))
        elif kind == "interp":
            parts.append(parse_expression(text))
        else:
            word = text.split(None, 1)[0] if text else ""
            if word in stops:
                return Template(parts), pos
            if word == "if":
                directive, pos = _if_directive(pieces, pos, text)
            elif word == "for":
                directive, pos = _for_directive(pieces, pos, text)
            else:
                raise HclSyntaxError(f"unexpected template directive {text!r}")
            parts.append(directive)
            continue
        pos += 1
    return Template(parts), pos


def _if_directive(
    pieces: list[tuple[str, str]], pos: int, text: str
) -> tuple[Node, int]:
    condition = parse_expression(text[2:].strip())
    body, pos = _build(pieces, pos + 1, ("else", "endif"))
    else_body = None
    if pos < len(pieces) and pieces[pos][1].startswith("else"):
        else_body, pos = _build(pieces, pos + 1, ("endif",))
    if pos >= len(pieces):
        raise HclSyntaxError("%{if} without %{endif}")
    return Directive(body, condition=condition, else_body=else_body), pos + 1


def _for_directive(
    pieces: list[tuple[str, str]], pos: int, text: str
) -> tuple[Node, int]:
    head, _, source = text[3:].partition(" in ")
    names = [n.strip() for n in head.split(",")]
    body, end = _build(pieces, pos + 1, ("endfor",))
    if end >= len(pieces):
        raise HclSyntaxError("%{for} without %{endfor}")
    key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    node = Directive(
        body,
        collection=parse_expression(source.strip()),
        key_var=key_var,
        value_var=value_var,
    )
    return node, end + 1
