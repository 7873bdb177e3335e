"""What an adapter is: a module call's inputs to the resources the module makes.

An adapter never reads the module's code; it is a hand-written statement of
what a known module creates for given inputs (with the module's own
defaults). The resources it plans are emitted like declared ones, at the
addresses the real module would give them, located on the module block, with
each attribute located on the line of the input it came from.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from surveyor.model.location import Location
from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.blocks import block_location
from surveyor.sources.terraform.evaluator import Scope, evaluate_value
from surveyor.sources.terraform.values import RefUnknown

if TYPE_CHECKING:
    from surveyor.sources.terraform.module import Declared, Emitted

_CONSTRAINT = re.compile(
    r"^\s*(?P<op>~>|>=|<=|!=|=|<|>)?\s*v?(?P<major>\d+)(?P<rest>\.\d+[\w.+-]*)?\s*$"
)
logger = logging.getLogger(__name__)
# Arguments of a module block that are not inputs of the module.
_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


def highest_major(constraint: Any) -> int | None:
    """The highest major version a `version` constraint allows, if it caps one.

    "2.1.0", "= 2.1", "~> 2.0", "< 3.0" all cap the major at 2; a constraint
    that allows any newer version (">= 2.0") or cannot be read gives None.
    """
    if not isinstance(constraint, str):
        return None
    highest: int | None = None
    for part in constraint.split(","):
        found = _CONSTRAINT.match(part)
        if found is None:
            continue
        operator, major = found["op"] or "=", int(found["major"])
        if operator in ("=", "~>", "<="):
            bound = major
        elif operator == "<":
            zero = set((found["rest"] or "").replace(".", "")) <= {"0"}
            bound = major - 1 if zero else major
        else:
            continue
        highest = bound if highest is None else min(highest, bound)
    return highest


class Inputs:
    """The inputs a module call sets, evaluated on demand, with their lines."""

    def __init__(self, block: dict[str, Any], scope: Scope, path: str) -> None:
        self._block = block
        self._scope = scope
        self._path = path
        self._values: dict[str, Any] = {}
        self._lines: dict[str, int] = block.get("__lines__", {})
        self._key_lines: dict[str, dict[str, int]] = block.get("__key_lines__", {})

    def pinned_major(self) -> int | None:
        """The highest major the call's `version` allows (None: the newest)."""
        return highest_major(self._block.get("version"))

    def given(self, name: str) -> bool:
        """Set to something other than null."""
        return name not in _META and self.get(name) is not None

    def get(self, name: str, default: Any = None) -> Any:
        """The input's value; `default` (the module's default) when unset or null."""
        if name in _META or name not in self._block or name.startswith("__"):
            return default
        if name not in self._values:
            self._values[name] = evaluate_value(self._block[name], self._scope)
        value = self._values[name]
        return default if value is None else value

    def location(self, name: str) -> Location:
        """The line of `input` or of `input.key` (a key of a map input)."""
        base, _, key = name.partition(".")
        line = self._key_lines.get(base, {}).get(key) if key else None
        if line is None:
            line = self._lines.get(base)
        if line is None:
            return block_location(self._path, self._block)
        return Location(self._path, line, line)


@dataclass
class Planned:
    """One resource instance the module would create."""

    type: str
    name: str  # the module's resource name, e.g. "this"
    attributes: dict[str, Any]
    # Attribute path -> the input (or "input.key") whose line it is written on.
    inputs: dict[str, str] = field(default_factory=dict)
    index: int | None = 0  # count index; None for a resource without count
    module: str = ""  # a nested module of the adapted one, e.g. "module.db_instance."
    # The input whose line is the resource's own location (default: the
    # module block), for resources that stand for one input, like a rule.
    located_at: str | None = None

    @property
    def local_address(self) -> str:
        suffix = "" if self.index is None else f"[{self.index}]"
        return f"{self.module}{self.type}.{self.name}{suffix}"


Build = Callable[[Inputs, str, str], list[Planned]]  # (inputs, submodule, prefix)


@dataclass(frozen=True)
class Adapter:
    """A known module: its registry source and what it plans for inputs."""

    source: str  # e.g. "terraform-aws-modules/s3-bucket/aws"
    build: Build
    min_major: int  # the oldest major version whose defaults `build` states
    submodules: frozenset[str] = frozenset({""})  # "" is the module itself
    # Output name -> type of the planned resource whose id/arn/name it is.
    outputs: dict[str, str] = field(default_factory=dict)

    def older_major(self, constraint: Any) -> int | None:
        """The major a `version` constraint pins below `min_major`, else None."""
        highest = highest_major(constraint)
        if highest is not None and highest < self.min_major:
            return highest
        return None

    def call(
        self,
        block: dict[str, Any],
        scope: Scope,
        prefix: str,
        declared: Declared,
        notices: list[tuple[str, Location]],
    ) -> AdaptedCall:
        from surveyor.sources.terraform.registry import split_source

        _, submodule = split_source(str(block.get("source", "")))
        inputs = Inputs(block, scope, declared.path)
        return AdaptedCall(
            self, inputs, submodule, prefix, declared=declared, notices=notices
        )


class AdaptedCall:
    """One instance of a module block served by an adapter."""

    def __init__(
        self,
        adapter: Adapter,
        inputs: Inputs,
        submodule: str,
        prefix: str,
        *,
        declared: Declared,
        notices: list[tuple[str, Location]],
    ) -> None:
        self.adapter = adapter
        self.inputs = inputs
        self.submodule = submodule
        self.prefix = prefix
        self.declared = declared
        self.notices = notices
        self._planned: list[Planned] | None = None

    def emit(self) -> Iterator[Emitted]:
        from surveyor.sources.terraform.module import Emitted

        where = block_location(self.declared.path, self.declared.block)
        for planned in self._plan():
            locations = {
                path: self.inputs.location(source)
                for path, source in planned.inputs.items()
            }
            own = planned.located_at
            yield Emitted(
                type=planned.type,
                address=self.prefix + planned.local_address,
                name=planned.name,
                mode="managed",
                attributes=planned.attributes,
                location=self.inputs.location(own) if own else where,
                locations=locations,
                module=self.prefix + planned.module,
                key=planned.index,
            )

    def _plan(self) -> list[Planned]:
        if self._planned is None:
            self._planned = self._build()
        return self._planned

    def _build(self) -> list[Planned]:
        try:
            return self.adapter.build(self.inputs, self.submodule, self.prefix)
        except Exception as exc:  # said as a notice, never hidden
            # An input shape the adapter did not foresee must cost this call,
            # not the root module around it.
            logger.debug("adapter %s failed", self.adapter.source, exc_info=True)
            where = block_location(self.declared.path, self.declared.block)
            name = self.prefix.rstrip(".").rpartition("module.")[2]
            message = (
                f'{where}: module "{name}" (source "{self.adapter.source}") was not '
                f"evaluated: surveyor's adapter failed on its inputs "
                f"({type(exc).__name__}); run terraform init, and please report it"
            )
            self.notices.append((message, where))
            return []

    def output(self, name: str) -> Any:
        """Outputs that stand for a planned resource (its id, arn, name) refer
        to it, so a reference such as `vpc_id = module.vpc.vpc_id` can be
        followed; other outputs are unknown."""
        type_ = self.adapter.outputs.get(name)
        for planned in self._plan() if type_ else ():
            if planned.type == type_:
                return RefUnknown(self.prefix + planned.local_address)
        return Unknown(f"output {name} of module {self.adapter.source} (adapted)")


# --- helpers the adapters share ---------------------------------------------


def reference(prefix: str, local_address: str) -> RefUnknown:
    """`aws_s3_bucket.this[0].id` inside the module, as a split resource holds it."""
    return RefUnknown(prefix + local_address)


def is_true(value: Any) -> bool | Unknown:
    """A bool input: True/False, or the Unknown itself when not known."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def creates(value: Any) -> bool:
    """A `create*` toggle: only a known false stops the resource.

    Unknown means "may be created": judging what it would be is better than
    not judging it (its inputs' unknowns still make verdicts UNKNOWN).
    """
    return not (isinstance(value, bool) and value is False) and value != "false"
