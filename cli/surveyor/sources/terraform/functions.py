"""Terraform's built-in functions that can be computed without a provider.

A function not listed here yields UNKNOWN. Strict functions give UNKNOWN as
soon as an argument is or contains UNKNOWN; the others look inside.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.values import (
    EvalError,
    json_text,
    normalize_number,
    plain,
    to_template_string,
)

Function = Callable[..., Any]
STRICT: dict[str, Function] = {}
LENIENT: dict[str, Function] = {}


def _register(
    table: dict[str, Function], *names: str
) -> Callable[[Function], Function]:
    def wrap(fn: Function) -> Function:
        for name in names:
            table[name] = fn
        return fn

    return wrap


def strict(*names: str) -> Callable[[Function], Function]:
    return _register(STRICT, *names)


def lenient(*names: str) -> Callable[[Function], Function]:
    return _register(LENIENT, *names)


def call_function(name: str, args: list[Any]) -> Any:
    if name in LENIENT:
        return LENIENT[name](*args)
    if name in STRICT:
        if any(contains_unknown(a) for a in args):
            return Unknown(f"{name}() of an unknown value")
        return STRICT[name](*args)
    return Unknown(f"function {name}() is not evaluated statically")


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise EvalError(f"expected a list, got {type(value).__name__}")


def _map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"expected a map, got {type(value).__name__}")


def _str(value: Any) -> str:
    return to_template_string(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise EvalError("expected a number")
    if isinstance(value, str):
        value = float(value)
    if not isinstance(value, (int, float)):
        raise EvalError("expected a number")
    return int(value)


# --- collections --------------------------------------------------------------


@lenient("merge")
def merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for item in maps:
        if item is None:
            continue
        if isinstance(item, Unknown):
            return Unknown("merge() of an unknown map")
        out.update(_map(item))
    return out


@lenient("concat")
def concat(*lists: Any) -> Any:
    out: list[Any] = []
    for item in lists:
        if isinstance(item, Unknown):
            return Unknown("concat() of an unknown list")
        out.extend(_list(item))
    return out


@lenient("length")
def length(value: Any) -> Any:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError("length() needs a list, map or string")


@lenient("lookup")
def lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unknown) or isinstance(key, Unknown):
        return Unknown("lookup() in an unknown map")
    found = _map(mapping)
    if _str(key) in found:
        return found[_str(key)]
    if default:
        return default[0]
    raise EvalError("lookup(): no such key and no default")


@lenient("element")
def element(items: Any, index: Any) -> Any:
    if isinstance(items, Unknown) or isinstance(index, Unknown):
        return Unknown("element() of an unknown list")
    values = _list(items)
    if not values:
        raise EvalError("element() of an empty list")
    return values[_int(index) % len(values)]


@strict("contains")
def contains(items: Any, value: Any) -> bool:
    return any(_same(item, value) for item in _list(items))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


@strict("keys")
def keys(mapping: Any) -> list[str]:
    return sorted(_map(mapping))


@lenient("values")
def values(mapping: Any) -> Any:
    if isinstance(mapping, Unknown):
        return mapping
    found = _map(mapping)
    return [found[k] for k in sorted(found)]


def _set(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if not any(_same(item, seen) for seen in out):
            out.append(item)
    if all(isinstance(i, str) for i in out):
        out.sort()
    return out


@lenient("toset")
def toset(items: Any) -> Any:
    if isinstance(items, Unknown):
        return items
    if any(isinstance(i, Unknown) for i in _list(items)):
        return Unknown("toset() with unknown elements")
    return _set(items)


@lenient("distinct")
def distinct(items: Any) -> Any:
    if isinstance(items, Unknown) or contains_unknown(items):
        return Unknown("distinct() with unknown elements")
    out: list[Any] = []
    for item in _list(items):
        if not any(_same(item, seen) for seen in out):
            out.append(item)
    return out


@lenient("tolist")
def tolist(items: Any) -> Any:
    if isinstance(items, Unknown):
        return items
    return list(_list(items))


@lenient("tomap")
def tomap(mapping: Any) -> Any:
    if isinstance(mapping, Unknown):
        return mapping
    return dict(_map(mapping))


@lenient("flatten")
def flatten(items: Any) -> Any:
    if isinstance(items, Unknown):
        return items
    out: list[Any] = []
    for item in _list(items):
        if isinstance(item, Unknown):
            return Unknown("flatten() of an unknown element")
        if isinstance(item, list):
            flat = flatten(item)
            if isinstance(flat, Unknown):
                return flat
            out.extend(flat)
        else:
            out.append(item)
    return out


@strict("compact")
def compact(items: Any) -> list[Any]:
    return [i for i in _list(items) if i not in (None, "")]


@strict("zipmap")
def zipmap(names: Any, items: Any) -> dict[str, Any]:
    return {_str(k): v for k, v in zip(_list(names), _list(items), strict=True)}


@strict("range")
def range_(*args: Any) -> list[Any]:
    numbers = [float(a) for a in args]
    start, step = 0.0, 1.0
    if len(numbers) == 1:
        limit = numbers[0]
    else:
        start, limit = numbers[0], numbers[1]
        step = numbers[2] if len(numbers) > 2 else (1.0 if limit >= start else -1.0)
    if step == 0:
        raise EvalError("range() step must not be zero")
    out: list[Any] = []
    value = start
    while (value < limit) if step > 0 else (value > limit):
        out.append(normalize_number(value))
        value += step
        if len(out) > 1024:
            raise EvalError("range() too long")
    return out


@strict("one")
def one(items: Any) -> Any:
    values = _list(items)
    if len(values) > 1:
        raise EvalError("one() of a list with more than one element")
    return values[0] if values else None


@strict("sort")
def sort(items: Any) -> list[str]:
    return sorted(_str(i) for i in _list(items))


@strict("reverse")
def reverse(items: Any) -> list[Any]:
    return list(reversed(_list(items)))


@strict("slice")
def slice_(items: Any, start: Any, end: Any) -> list[Any]:
    return _list(items)[_int(start) : _int(end)]


@lenient("coalesce")
def coalesce(*items: Any) -> Any:
    for item in items:
        if isinstance(item, Unknown):
            return Unknown("coalesce() reached an unknown value")
        if item is not None and item != "":
            return item
    raise EvalError("coalesce(): no non-null argument")


@lenient("coalescelist")
def coalescelist(*items: Any) -> Any:
    for item in items:
        if isinstance(item, Unknown):
            return Unknown("coalescelist() reached an unknown list")
        if _list(item):
            return item
    raise EvalError("coalescelist(): no non-empty list")


@strict("setunion")
def setunion(*sets: Any) -> list[Any]:
    return _set([i for s in sets for i in _list(s)])


@strict("setintersection")
def setintersection(first: Any, *others: Any) -> list[Any]:
    return _set([i for i in _list(first) if all(i in _list(o) for o in others)])


@strict("setsubtract")
def setsubtract(first: Any, second: Any) -> list[Any]:
    return _set([i for i in _list(first) if i not in _list(second)])


# --- strings and numbers ------------------------------------------------------


_VERB = re.compile(r"%(%|[-+# 0]*\d*(?:\.\d+)?[vdsfqtbxXoeEgG])")


@strict("format")
def format_(spec: Any, *args: Any) -> str:
    queue = list(args)

    def verb(match: re.Match[str]) -> str:
        code = match.group(1)
        if code == "%":
            return "%"
        if not queue:
            raise EvalError("format(): not enough arguments")
        value = queue.pop(0)
        kind = code[-1]
        if kind in "vs":
            return value if isinstance(value, str) else json_or_text(value)
        if kind == "q":
            return json.dumps(_str(value))
        if kind == "t":
            return "true" if value else "false"
        return ("%" + code) % (int(value) if kind in "dxXob" else float(value))

    return _VERB.sub(verb, _str(spec))


def json_or_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json_text(value)
    return to_template_string(value)


@strict("formatlist")
def formatlist(spec: Any, *args: Any) -> list[str]:
    lengths = {len(a) for a in args if isinstance(a, list)}
    count = lengths.pop() if lengths else 1
    return [
        format_(spec, *[a[i] if isinstance(a, list) else a for a in args])
        for i in range(count)
    ]


@strict("join")
def join(separator: Any, *lists: Any) -> str:
    return _str(separator).join(_str(i) for lst in lists for i in _list(lst))


@strict("split")
def split(separator: Any, text: Any) -> list[str]:
    return _str(text).split(_str(separator))


@strict("lower")
def lower(text: Any) -> str:
    return _str(text).lower()


@strict("upper")
def upper(text: Any) -> str:
    return _str(text).upper()


@strict("title")
def title(text: Any) -> str:
    return re.sub(r"\b\w", lambda m: m.group(0).upper(), _str(text))


@strict("replace")
def replace(text: Any, search: Any, replacement: Any) -> str:
    pattern = _str(search)
    if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        go_repl = re.sub(r"\$\{?(\d+)\}?", r"\\\1", _str(replacement))
        return re.sub(pattern[1:-1], go_repl, _str(text))
    return _str(text).replace(pattern, _str(replacement))


@strict("substr")
def substr(text: Any, offset: Any, size: Any) -> str:
    value, start, count = _str(text), _int(offset), _int(size)
    if start < 0:
        start += len(value)
    return value[start:] if count < 0 else value[start : start + count]


@strict("trimspace")
def trimspace(text: Any) -> str:
    return _str(text).strip()


@strict("trim")
def trim(text: Any, chars: Any) -> str:
    return _str(text).strip(_str(chars))


@strict("trimprefix")
def trimprefix(text: Any, prefix: Any) -> str:
    return _str(text).removeprefix(_str(prefix))


@strict("trimsuffix")
def trimsuffix(text: Any, suffix: Any) -> str:
    return _str(text).removesuffix(_str(suffix))


@strict("startswith")
def startswith(text: Any, prefix: Any) -> bool:
    return _str(text).startswith(_str(prefix))


@strict("endswith")
def endswith(text: Any, suffix: Any) -> bool:
    return _str(text).endswith(_str(suffix))


@strict("strcontains")
def strcontains(text: Any, part: Any) -> bool:
    return _str(part) in _str(text)


@strict("regex")
def regex(pattern: Any, text: Any) -> Any:
    found = re.search(_str(pattern), _str(text))
    if found is None:
        raise EvalError("regex(): no match")
    return found.group(0) if not found.groups() else list(found.groups())


@strict("min")
def min_(*numbers: Any) -> Any:
    return normalize_number(min(float(n) for n in numbers))


@strict("max")
def max_(*numbers: Any) -> Any:
    return normalize_number(max(float(n) for n in numbers))


@strict("abs")
def abs_(number: Any) -> Any:
    return normalize_number(abs(float(number)))


@strict("floor")
def floor(number: Any) -> int:
    return int(float(number) // 1)


@strict("ceil")
def ceil(number: Any) -> int:
    return -int(-float(number) // 1)


# --- conversions and encodings -----------------------------------------------


@strict("tostring")
def tostring(value: Any) -> Any:
    return None if value is None else _str(value)


@strict("tonumber")
def tonumber(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        raise EvalError("tonumber() of a bool")
    try:
        return normalize_number(float(value))
    except ValueError as exc:
        raise EvalError("tonumber(): not a number") from exc


@strict("tobool")
def tobool(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError("tobool(): not a bool")


@lenient("jsonencode")
def jsonencode(value: Any) -> Any:
    """Known values give Terraform's JSON text; others keep their structure so
    a check can still judge the known parts of a policy."""
    value = plain(value)
    if contains_unknown(value):
        return value
    return json_text(value)


@strict("jsondecode")
def jsondecode(text: Any) -> Any:
    try:
        return json.loads(_str(text))
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode(): {exc}") from exc


@strict("base64encode")
def base64encode(text: Any) -> str:
    import base64

    return base64.b64encode(_str(text).encode()).decode()


@strict("base64decode")
def base64decode(text: Any) -> str:
    import base64

    return base64.b64decode(_str(text)).decode()


@strict("sha256")
def sha256(text: Any) -> str:
    import hashlib

    return hashlib.sha256(_str(text).encode()).hexdigest()


@strict("md5")
def md5(text: Any) -> str:
    import hashlib

    return hashlib.md5(_str(text).encode(), usedforsecurity=False).hexdigest()


@strict("chomp")
def chomp(text: Any) -> str:
    return _str(text).rstrip("\r\n")


@strict("indent")
def indent(spaces: Any, text: Any) -> str:
    pad = " " * _int(spaces)
    return _str(text).replace("\n", "\n" + pad)
