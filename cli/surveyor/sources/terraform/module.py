"""One module instance: its variables, locals, resources and module calls.

Everything is evaluated on demand and remembered, so declaration order does
not matter and a reference cycle reads as UNKNOWN instead of looping.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from surveyor.model.location import Location
from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.blocks import block_location, evaluate_block
from surveyor.sources.terraform.evaluator import Scope, evaluate_value
from surveyor.sources.terraform.policy_document import render_policy_document
from surveyor.sources.terraform.values import EvalError, Namespace, ResourceInstance

if TYPE_CHECKING:
    from surveyor.sources.terraform.registry import AdaptedCall, Adapter

logger = logging.getLogger(__name__)
MAX_MODULE_DEPTH = 16
NOT_GIVEN = object()  # an input the caller did not set (null is a value)
_RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")  # aws_vpc, ...


@dataclass
class Declared:
    block: dict[str, Any]
    path: str  # file, relative to the scan root


@dataclass
class ModuleSource:
    """The declarations of one module directory, all files together."""

    directory: Path
    variables: dict[str, Declared] = field(default_factory=dict)
    locals: dict[str, tuple[Any, Location]] = field(default_factory=dict)
    resources: dict[tuple[str, str, str], Declared] = field(default_factory=dict)
    modules: dict[str, Declared] = field(default_factory=dict)
    outputs: dict[str, Declared] = field(default_factory=dict)

    def add_file(self, path: str, body: dict[str, Any]) -> None:
        for mode, key in (("managed", "resource"), ("data", "data")):
            for entry in body.get(key, ()):
                for type_, named in entry.items():
                    for name, block in named.items():
                        self.resources[(mode, type_, name)] = Declared(block, path)
        for key, table in (
            ("variable", self.variables),
            ("module", self.modules),
            ("output", self.outputs),
        ):
            for entry in body.get(key, ()):
                for name, block in entry.items():
                    table[name] = Declared(block, path)
        for block in body.get("locals", ()):
            lines = block.get("__lines__", {})
            for name, raw in block.items():
                if not name.startswith("__"):
                    line = lines.get(name, block["__start_line__"])
                    self.locals[name] = (raw, Location(path, line, line))

    def local_module_dirs(self) -> list[Path]:
        found = []
        for declared in self.modules.values():
            source = declared.block.get("source")
            if isinstance(source, str) and is_local_source(source):
                found.append((self.directory / source).resolve())
        return found


def is_local_source(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")


@dataclass
class Emitted:
    """A resource or data source instance before the resource-set merge."""

    type: str
    address: str
    name: str
    mode: str
    attributes: dict[str, Any]
    location: Location
    locations: dict[str, Location]
    module: str  # "" or "module.x." prefix
    key: Any = None  # count index or for_each key


class Program:
    """What all module instances share: parsed directories and problems found."""

    def __init__(self, sources: dict[Path, ModuleSource], cwd: Path) -> None:
        self.sources = sources
        self.cwd = cwd
        self.problems: list[tuple[str, Location | None]] = []
        # Module calls not evaluated (source not on disk, no adapter): said.
        self.notices: list[tuple[str, Location]] = []
        self.file_reads: list[Path] = []


class ModuleInstance:
    def __init__(
        self,
        program: Program,
        source: ModuleSource,
        prefix: str,
        inputs: Callable[[str], Any],
        depth: int = 0,
        *,
        key: str = "",
        installed: dict[str, Path] | None = None,
    ) -> None:
        self.program = program
        self.source = source
        self.prefix = prefix
        self.inputs = inputs
        self.depth = depth
        # Terraform's module key ("a.b", no instance keys) and the root's
        # .terraform/modules manifest: module key -> installed directory.
        self.key = key
        self.installed = installed if installed is not None else {}
        self._memo: dict[tuple[str, ...], Any] = {}
        self._active: set[tuple[str, ...]] = set()
        self.scope = Scope(
            self._resolve, module_dir=source.directory, reads=program.file_reads
        )
        self._types = {
            type_ for mode, type_, _ in source.resources if mode == "managed"
        }

    # --- names an expression can read --------------------------------------

    def _resolve(self, name: str) -> Any:
        if name == "var":
            return Namespace("var", self.variable)
        if name == "local":
            return Namespace("local", self.local)
        if name == "module":
            return Namespace("module", self.module_value)
        if name == "data":
            return Namespace("data", self._data_type)
        if name == "path":
            directory = str(self.source.directory)
            return {
                "module": directory,
                "root": directory,
                "cwd": str(self.program.cwd),
            }
        if name == "terraform":
            return {"workspace": "default"}
        if name in self._types or _RESOURCE_TYPE.match(name):
            return Namespace(name, lambda n: self._managed(name, n))
        raise EvalError(f"unknown name {name!r}")

    def _managed(self, type_: str, name: str) -> Any:
        if ("managed", type_, name) not in self.source.resources:
            return self._undeclared(f"{type_}.{name}")
        return self.instances_value("managed", type_, name)

    def _undeclared(self, local: str) -> ResourceInstance:
        """A resource this module does not declare (Terraform would reject it):
        its attributes stay unknown but keep the address, so a check that
        matches references (AWS-EC2-008's vpc_id) can still tell it apart."""
        logger.debug("%s: reference to undeclared %s", self.source.directory, local)
        return ResourceInstance(self.prefix + local, {})

    def _data_type(self, type_: str) -> Namespace:
        def lookup(name: str) -> Any:
            if ("data", type_, name) not in self.source.resources:
                return self._undeclared(f"data.{type_}.{name}")
            return self.instances_value("data", type_, name)

        return Namespace(f"data.{type_}", lookup)

    def _remember(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return Unknown(f"reference cycle through {'.'.join(key)}")
        self._active.add(key)
        try:
            value = compute()
        finally:
            self._active.discard(key)
        self._memo[key] = value
        return value

    def variable(self, name: str) -> Any:
        if name not in self.source.variables:
            raise EvalError(f"undeclared variable {name!r}")
        return self._remember(("var", name), lambda: self._variable(name))

    def _variable(self, name: str) -> Any:
        given = self.inputs(name)
        if given is not NOT_GIVEN and given is not None:
            return given
        block = self.source.variables[name].block
        if "default" in block:
            return evaluate_value(block["default"], self.scope)
        if given is None:
            return None
        return Unknown(f"var.{name} has no value")

    def local(self, name: str) -> Any:
        if name not in self.source.locals:
            raise EvalError(f"undeclared local {name!r}")
        raw = self.source.locals[name][0]
        return self._remember(("local", name), lambda: evaluate_value(raw, self.scope))

    # --- resources and data sources -----------------------------------------

    def instances(self, mode: str, type_: str, name: str) -> list[Emitted]:
        key = (mode, type_, name)
        if key not in self.source.resources:
            raise EvalError(f"undeclared {type_}.{name}")
        found = self._remember(("instances", *key), lambda: self._instances(key))
        return found if isinstance(found, list) else []

    def instances_value(self, mode: str, type_: str, name: str) -> Any:
        emitted = self.instances(mode, type_, name)
        values = [self._as_value(e) for e in emitted]
        shape = self._memo.get(("shape", mode, type_, name), "single")
        if shape == "count":
            return values
        if shape == "for_each":
            return {e.key: v for e, v in zip(emitted, values, strict=True)}
        if not values:  # read while it was being evaluated
            return Unknown(f"reference cycle through {type_}.{name}")
        return values[0]  # one instance: no count/for_each, or an unknown one

    def _as_value(self, emitted: Emitted) -> ResourceInstance:
        computed: dict[str, Any] = {}
        if emitted.type == "aws_iam_policy_document" and emitted.mode == "data":
            computed["json"] = emitted.attributes.get("json")
        return ResourceInstance(emitted.address, emitted.attributes, computed)

    def _instances(self, key: tuple[str, str, str]) -> list[Emitted]:
        mode, type_, name = key
        declared = self.source.resources[key]
        base = f"{self.prefix}{'data.' if mode == 'data' else ''}{type_}.{name}"
        shape, expansions = expand(declared.block, self.scope)
        self._memo[("shape", mode, type_, name)] = shape
        out = []
        for suffix, item_key, bindings in expansions:
            own = ResourceInstance(base + suffix, {})  # `self`: computed values
            scope = self.scope.child({**bindings, "self": own})
            evaluated = evaluate_block(declared.block, scope, declared.path)
            attributes = evaluated.attributes
            if mode == "data" and type_ == "aws_iam_policy_document":
                attributes["json"] = render_policy_document(attributes)
            out.append(
                Emitted(
                    type=type_,
                    address=base + suffix,
                    name=name,
                    mode=mode,
                    attributes=attributes,
                    location=block_location(declared.path, declared.block),
                    locations=evaluated.locations,
                    module=self.prefix,
                    key=item_key,
                )
            )
        return out

    # --- module calls ---------------------------------------------------------

    def module_calls(self, name: str) -> list[tuple[str, Call | None]]:
        if name not in self.source.modules:
            raise EvalError(f"undeclared module {name!r}")
        found = self._remember(("module", name), lambda: self._module_calls(name))
        return found if isinstance(found, list) else []

    def _module_calls(self, name: str) -> list[tuple[str, Call | None]]:
        declared = self.source.modules[name]
        block = declared.block
        shape, expansions = expand(block, self.scope)
        self._memo[("module-shape", name)] = shape
        child_source = self._child_source(name, declared)
        calls: list[tuple[str, Call | None]] = []
        self._memo[("module-keys", name)] = [key for _, key, _ in expansions]
        for suffix, _, bindings in expansions:
            prefix = f"{self.prefix}module.{name}{suffix}."
            if child_source is None:
                calls.append((prefix, None))
                continue
            scope = self.scope.child(bindings)
            if not isinstance(child_source, ModuleSource):
                adapted = child_source.call(
                    block, scope, prefix, declared, self.program.notices
                )
                calls.append((prefix, adapted))
                continue

            def inputs(var: str, scope: Scope = scope) -> Any:
                if var not in block or var in (
                    "source",
                    "version",
                    "count",
                    "for_each",
                ):
                    return NOT_GIVEN
                return evaluate_value(block[var], scope)

            child = ModuleInstance(
                self.program,
                child_source,
                prefix,
                inputs,
                self.depth + 1,
                key=f"{self.key}.{name}" if self.key else name,
                installed=self.installed,
            )
            calls.append((prefix, child))
        return calls

    def _child_source(
        self, name: str, declared: Declared
    ) -> ModuleSource | Adapter | None:
        source = declared.block.get("source")
        where = block_location(declared.path, declared.block)
        if self.depth >= MAX_MODULE_DEPTH:
            self.program.problems.append((f"module {name} nests too deep", where))
            return None
        if not isinstance(source, str):
            self._not_evaluated(name, source, where, "its source is not a string")
            return None
        if not is_local_source(source):
            return self._remote_source(name, source, where)
        directory = (self.source.directory / source).resolve()
        found = self.program.sources.get(directory)
        if found is None:
            self.program.problems.append(
                (f"module {name}: source {source} has no .tf files", where)
            )
        return found

    def _remote_source(
        self, name: str, source: str, where: Location
    ) -> ModuleSource | Adapter | None:
        """A registry or git module: as `terraform init` installed it, else
        through a known-module adapter, else a notice (never a silent skip)."""
        key = f"{self.key}.{name}" if self.key else name
        directory = self.installed.get(key)
        if directory is not None:
            found = self.program.sources.get(directory)
            if found is not None:
                return found
            self.program.problems.append(
                (
                    f"{where}: module {name}: .terraform/modules lists {directory} "
                    "but it holds no .tf files; run terraform init again",
                    where,
                )
            )
            return None
        from surveyor.sources.terraform.registry import find_adapter

        advice = (
            "run terraform init (surveyor reads .terraform/modules) or vendor it "
            "as a local module; its resources are not judged"
        )
        adapter = find_adapter(source)
        if adapter is not None:
            version = self.source.modules[name].block.get("version")
            older = adapter.older_major(version)
            if older is None:
                return adapter
            advice = (
                f"version {version!r} is older than v{adapter.min_major}, which "
                f"surveyor's adapter for it covers; {advice}"
            )
        self._not_evaluated(name, source, where, advice)
        return None

    def _not_evaluated(
        self, name: str, source: Any, where: Location, advice: str
    ) -> None:
        message = (
            f'{where}: module "{name}" (source "{source}") was not evaluated: {advice}'
        )
        self.program.notices.append((message, where))

    def module_value(self, name: str) -> Any:
        calls = self.module_calls(name)
        values = [self._outputs(prefix, child) for prefix, child in calls]
        shape = self._memo.get(("module-shape", name), "single")
        if shape == "count":
            return values
        if shape == "for_each":
            keys = self._memo[("module-keys", name)]
            return dict(zip(keys, values, strict=True))
        return values[0] if values else Unknown(f"module {name} has no instances")

    def _outputs(self, prefix: str, child: Call | None) -> Namespace:
        if child is None:
            return Namespace(
                prefix, lambda n: Unknown(f"output {n} of a remote module")
            )
        return Namespace(prefix, child.output)

    def output(self, name: str) -> Any:
        if name not in self.source.outputs:
            raise EvalError(f"module has no output {name!r}")
        block = self.source.outputs[name].block
        return self._remember(
            ("output", name), lambda: evaluate_value(block.get("value"), self.scope)
        )

    # --- everything this instance declares ------------------------------------

    def emit(self) -> Iterator[Emitted]:
        for mode, type_, name in self.source.resources:
            yield from self.instances(mode, type_, name)
        for name in self.source.modules:
            for _, child in self.module_calls(name):
                if child is not None:
                    yield from child.emit()


# What one instance of a module block became.
Call: TypeAlias = "ModuleInstance | AdaptedCall"
Expansion = tuple[str, Any, dict[str, Any]]


def expand(block: dict[str, Any], scope: Scope) -> tuple[str, list[Expansion]]:
    """The instances `count` or `for_each` make: (address suffix, key, bindings).

    An unknown count or for_each gives one instance, addressed without an
    index, whose count.index / each.key / each.value are unknown: a check
    then judges what does not depend on them and is UNKNOWN on what does.
    """
    if "count" in block:
        count = evaluate_value(block["count"], scope)
        if isinstance(count, bool) or not isinstance(count, (int, float)):
            return "unknown", [("", None, {"count": {"index": Unknown("count.index")}})]
        return "count", [
            (f"[{i}]", i, {"count": {"index": i}}) for i in range(int(count))
        ]
    if "for_each" in block:
        items = evaluate_value(block["for_each"], scope)
        pairs: list[tuple[Any, Any]] | None = None
        if isinstance(items, dict):
            pairs = list(items.items())
        elif isinstance(items, list) and all(isinstance(i, str) for i in items):
            pairs = [(i, i) for i in items]
        if pairs is None or any(contains_unknown(k) for k, _ in pairs):
            each = {"key": Unknown("each.key"), "value": Unknown("each.value")}
            return "unknown", [("", None, {"each": each})]
        return "for_each", [
            (f"[{json.dumps(k)}]", k, {"each": {"key": k, "value": v}})
            for k, v in pairs
        ]
    return "single", [("", None, {})]
