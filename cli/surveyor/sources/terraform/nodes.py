"""The expression tree and what each node means when evaluated.

Unknown operands make unknown results (a `&&`/`||` or `?:` that does not need
them excepted); an expression Terraform would reject raises EvalError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.values import (
    EvalError,
    Namespace,
    RefUnknown,
    ResourceInstance,
    normalize_number,
    to_template_string,
)


class Env(Protocol):
    def lookup(self, name: str) -> Any: ...
    def call(self, name: str, args: list[Node], expand: bool) -> Any: ...
    def child(self, bindings: dict[str, Any]) -> Env: ...


class Node:
    __slots__ = ()

    def evaluate(self, env: Env) -> Any:
        raise NotImplementedError


class Literal(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def evaluate(self, env: Env) -> Any:
        return self.value


class Text(Literal):
    """Literal text between a template's interpolations."""

    __slots__ = ()


class Variable(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def evaluate(self, env: Env) -> Any:
        return env.lookup(self.name)


def get_attr(value: Any, name: str) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (Namespace, ResourceInstance)):
        return value.attr(name)
    if isinstance(value, dict):
        if name not in value:
            raise EvalError(f"object has no attribute {name!r}")
        return value[name]
    if value is None:
        raise EvalError(f"attribute {name!r} of null")
    raise EvalError(f"cannot read attribute {name!r} of a {type(value).__name__}")


def get_index(value: Any, key: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(key, Unknown):
        return _unknown_element(value)
    if isinstance(value, list):
        if isinstance(key, str) and key.lstrip("-").isdigit():
            key = int(key)
        if not isinstance(key, (int, float)) or isinstance(key, bool):
            raise EvalError("list index must be a number")
        index = int(key)
        if not 0 <= index < len(value):
            raise EvalError(f"index {index} out of range")
        return value[index]
    if isinstance(value, dict):
        text = to_template_string(key)
        if text not in value:
            raise EvalError("map has no such key")
        return value[text]
    if isinstance(value, (Namespace, ResourceInstance)):
        return value.attr(to_template_string(key))
    raise EvalError(f"cannot index a {type(value).__name__}")


def _unknown_element(value: Any) -> Unknown:
    """An element picked by an unknown key: keep the resource address if all agree."""
    if isinstance(value, ResourceInstance):  # a resource whose count is unknown
        return RefUnknown(value.address, "element chosen by an unknown key")
    items = list(value.values()) if isinstance(value, dict) else value
    addresses = {
        item.address.rsplit("[", 1)[0]
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, ResourceInstance)
    }
    if len(addresses) == 1:
        return RefUnknown(addresses.pop(), "element chosen by an unknown key")
    return Unknown("element chosen by an unknown key")


class GetAttr(Node):
    __slots__ = ("name", "target")

    def __init__(self, target: Node, name: str) -> None:
        self.target = target
        self.name = name

    def evaluate(self, env: Env) -> Any:
        return get_attr(self.target.evaluate(env), self.name)


class Index(Node):
    __slots__ = ("key", "target")

    def __init__(self, target: Node, key: Node) -> None:
        self.target = target
        self.key = key

    def evaluate(self, env: Env) -> Any:
        return get_index(self.target.evaluate(env), self.key.evaluate(env))


class Splat(Node):
    """`x[*].a.b` and `x.*.a`: the traversal after the splat applies per element."""

    __slots__ = ("steps", "target")

    def __init__(self, target: Node, steps: list[tuple[str, Node | str]]) -> None:
        self.target = target
        self.steps = steps

    def evaluate(self, env: Env) -> Any:
        source = self.target.evaluate(env)
        if isinstance(source, Unknown):
            return source
        if source is None:
            return []
        items = list(source.values()) if isinstance(source, dict) else source
        if not isinstance(items, list):
            items = [items]
        out = []
        for item in items:
            value = item
            for kind, arg in self.steps:
                if kind == "attr":
                    value = get_attr(value, str(arg))
                else:
                    assert isinstance(arg, Node)
                    value = get_index(value, arg.evaluate(env))
            out.append(value)
        return out


class TupleNode(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items

    def evaluate(self, env: Env) -> Any:
        return [item.evaluate(env) for item in self.items]


class ObjectNode(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[tuple[Node, Node]]) -> None:
        self.items = items

    def evaluate(self, env: Env) -> Any:
        out: dict[str, Any] = {}
        for key_node, value_node in self.items:
            key = key_node.evaluate(env)
            if isinstance(key, Unknown):
                return Unknown("object key is unknown")
            out[to_template_string(key)] = value_node.evaluate(env)
        return out


class Call(Node):
    __slots__ = ("args", "expand", "name")

    def __init__(self, name: str, args: list[Node], expand: bool = False) -> None:
        self.name = name
        self.args = args
        self.expand = expand

    def evaluate(self, env: Env) -> Any:
        return env.call(self.name, self.args, self.expand)


def _arith(op: str) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        a, b = _number(a), _number(b)
        if op == "+":
            return normalize_number(a + b)
        if op == "-":
            return normalize_number(a - b)
        if op == "*":
            return normalize_number(a * b)
        if b == 0:
            raise EvalError("division by zero")
        if op == "/":
            return normalize_number(a / b)
        return normalize_number(a - b * int(a / b))  # Go's truncated modulo

    return apply


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or value is None:
        raise EvalError(f"a {type(value).__name__} is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return normalize_number(float(value)) if "." in value else int(value)
        except ValueError as exc:
            raise EvalError("a string that is not a number") from exc
    raise EvalError(f"a {type(value).__name__} is not a number")


def _compare(op: str) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        a, b = _number(a), _number(b)
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    return apply


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    **{op: _arith(op) for op in "+-*/%"},
    **{op: _compare(op) for op in ("<", ">", "<=", ">=")},
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
}


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a {type(value).__name__} is not a bool")


class Binary(Node):
    __slots__ = ("left", "op", "right")

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.op = op
        self.left = left
        self.right = right

    def evaluate(self, env: Env) -> Any:
        left = self.left.evaluate(env)
        if self.op in ("&&", "||"):
            return self._logical(left, env)
        right = self.right.evaluate(env)
        if contains_unknown(left) or contains_unknown(right):
            return Unknown(f"operand of {self.op} is unknown")
        return _BINARY[self.op](left, right)

    def _logical(self, left: Any, env: Env) -> Any:
        decisive = self.op == "||"
        if not isinstance(left, Unknown) and _truth(left) is decisive:
            return decisive
        right = self.right.evaluate(env)
        if not isinstance(right, Unknown) and _truth(right) is decisive:
            return decisive
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return Unknown(f"operand of {self.op} is unknown")
        return not decisive


class Unary(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node) -> None:
        self.op = op
        self.operand = operand

    def evaluate(self, env: Env) -> Any:
        value = self.operand.evaluate(env)
        if isinstance(value, Unknown):
            return Unknown(f"operand of {self.op} is unknown")
        if self.op == "!":
            return not _truth(value)
        return normalize_number(-_number(value))


class Conditional(Node):
    __slots__ = ("condition", "otherwise", "then")

    def __init__(self, condition: Node, then: Node, otherwise: Node) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise

    def evaluate(self, env: Env) -> Any:
        condition = self.condition.evaluate(env)
        if isinstance(condition, Unknown):
            then, otherwise = self.then.evaluate(env), self.otherwise.evaluate(env)
            if not contains_unknown(then) and _same(then, otherwise):
                return then
            return Unknown("condition is unknown")
        if _truth(condition):
            return self.then.evaluate(env)
        return self.otherwise.evaluate(env)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


class ForExpr(Node):
    """`[for k, v in coll : value if cond]` and `{for ... : key => value}`."""

    __slots__ = (
        "collection",
        "condition",
        "group",
        "key",
        "key_var",
        "value",
        "value_var",
    )

    def __init__(
        self,
        *,
        key_var: str | None,
        value_var: str,
        collection: Node,
        key: Node | None,
        value: Node,
        condition: Node | None,
        group: bool = False,
    ) -> None:
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.key = key
        self.value = value
        self.condition = condition
        self.group = group

    def evaluate(self, env: Env) -> Any:
        source = self.collection.evaluate(env)
        if isinstance(source, Unknown):
            return Unknown("for expression over an unknown collection")
        if isinstance(source, dict):
            pairs: list[tuple[Any, Any]] = list(source.items())
        elif isinstance(source, list):
            pairs = list(enumerate(source))
        else:
            raise EvalError("for expression needs a list, set or map")
        items: list[Any] = []
        keyed: dict[str, Any] = {}
        for k, v in pairs:
            bindings = {self.value_var: v}
            if self.key_var:
                bindings[self.key_var] = k
            inner = env.child(bindings)
            if self.condition is not None:
                keep = self.condition.evaluate(inner)
                if isinstance(keep, Unknown):
                    return Unknown("for expression condition is unknown")
                if not _truth(keep):
                    continue
            if self.key is None:
                items.append(self.value.evaluate(inner))
                continue
            key = self.key.evaluate(inner)
            if isinstance(key, Unknown):
                return Unknown("for expression key is unknown")
            name = to_template_string(key)
            value = self.value.evaluate(inner)
            if self.group:
                keyed.setdefault(name, []).append(value)
            elif name in keyed:
                raise EvalError("duplicate key in a for expression")
            else:
                keyed[name] = value
        return items if self.key is None else keyed


class Template(Node):
    """A string template: literal text, "${...}", %{if}/%{for} directives."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Node]) -> None:
        self.parts = parts

    def evaluate(self, env: Env) -> Any:
        if len(self.parts) == 1 and not isinstance(self.parts[0], (Text, Directive)):
            return self.parts[0].evaluate(env)  # "${x}" is x itself, not a string
        out: list[str] = []
        for part in self.parts:
            value = part.evaluate(env)
            if contains_unknown(value):
                return Unknown("string template with an unknown part")
            out.append(to_template_string(value))
        return "".join(out)


class Directive(Node):
    """%{if c}..%{else}..%{endif} or %{for x in xs}..%{endfor} (as text)."""

    __slots__ = ("body", "collection", "condition", "else_body", "key_var", "value_var")

    def __init__(
        self,
        body: Template,
        *,
        condition: Node | None = None,
        else_body: Template | None = None,
        collection: Node | None = None,
        key_var: str | None = None,
        value_var: str | None = None,
    ) -> None:
        self.body = body
        self.condition = condition
        self.else_body = else_body
        self.collection = collection
        self.key_var = key_var
        self.value_var = value_var

    def evaluate(self, env: Env) -> Any:
        if self.condition is not None:
            condition = self.condition.evaluate(env)
            if isinstance(condition, Unknown):
                return Unknown("template condition is unknown")
            chosen = self.body if _truth(condition) else self.else_body
            return "" if chosen is None else _as_text(chosen.evaluate(env))
        assert self.collection is not None and self.value_var is not None
        source = self.collection.evaluate(env)
        if isinstance(source, Unknown):
            return Unknown("template loop over an unknown collection")
        pairs = list(source.items()) if isinstance(source, dict) else enumerate(source)
        out = []
        for k, v in pairs:
            bindings = {self.value_var: v}
            if self.key_var:
                bindings[self.key_var] = k
            out.append(_as_text(self.body.evaluate(env.child(bindings))))
        if any(isinstance(o, Unknown) for o in out):
            return Unknown("template loop with an unknown part")
        return "".join(out)


def _as_text(value: Any) -> Any:
    return value if isinstance(value, Unknown) else to_template_string(value)
