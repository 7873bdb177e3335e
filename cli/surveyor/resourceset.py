"""Every resource of a scan, indexed, with what could not be read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from surveyor.model import CollectionError, Location, Resource, Side

T = TypeVar("T")


@dataclass(frozen=True)
class SourceError:
    """An input that could not be read: a file that does not parse, and so on.

    It becomes an ERROR result; the rest of the scan goes on.
    """

    message: str  # one line: what is wrong and what to do
    location: Location | None = None
    path: str | None = None  # when there is no line to point at


@dataclass(frozen=True)
class SourceNotice:
    """Something in the input that was not evaluated, said rather than skipped.

    E.g. a module call whose source is not on disk. It is shown in every report
    and logged once; it is not a result and does not change the exit code.
    """

    message: str  # one line: what was not evaluated and what to do
    location: Location | None = None


class ResourceSet:
    """Resources in the effective view, by type and address; read-only for checks."""

    def __init__(
        self,
        resources: Iterable[Resource] = (),
        collection_errors: Iterable[CollectionError] = (),
        source_errors: Iterable[SourceError] = (),
        notices: Iterable[SourceNotice] = (),
    ) -> None:
        self._resources: list[Resource] = []
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        self._by_address: dict[str, Resource] = {}
        self.collection_errors: list[CollectionError] = list(collection_errors)
        self.source_errors: list[SourceError] = list(source_errors)
        self.notices: list[SourceNotice] = list(notices)
        self._memo: dict[str, Any] = {}
        for resource in resources:
            self.add(resource)

    def memo(self, key: str, build: Callable[[ResourceSet], T]) -> T:
        """A value derived from the whole set, computed once per scan.

        Checks use it for cross-resource indexes (e.g. every rendered policy
        document) so that judging N resources is not N walks of the set.
        """
        if key not in self._memo:
            self._memo[key] = build(self)
        value: T = self._memo[key]
        return value

    def add(self, resource: Resource) -> None:
        self._memo.clear()  # derived values are stale once the set changes
        self._resources.append(resource)
        self._by_type[resource.type].append(resource)
        self._by_address[resource.address] = resource

    def extend(self, other: ResourceSet) -> None:
        for resource in other:
            self.add(resource)
        self.collection_errors.extend(other.collection_errors)
        self.source_errors.extend(other.source_errors)
        self.notices.extend(other.notices)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)

    def of_type(self, *types: str, side: Side | None = None) -> list[Resource]:
        found = [r for t in types for r in self._by_type.get(t, ())]
        if side is not None:
            found = [r for r in found if r.side is side]
        return found

    def get(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def account_setting(
        self, type_: str, *, side: Side, account: str | None = None
    ) -> Resource | None:
        """An account-level resource (e.g. aws_s3_account_public_access_block).

        For IaC, any declared one; for live, the one of the given account.
        """
        for resource in self.of_type(type_, side=side):
            if side is Side.IAC or account is None or resource.account == account:
                return resource
        return None

    def errors_for(
        self, resource_types: Iterable[str], region: str | None = None
    ) -> list[CollectionError]:
        """Collection failures that leave any of these types incomplete."""
        wanted = set(resource_types)
        return [
            e
            for e in self.collection_errors
            if wanted.intersection(e.resource_types)
            and e.resource_id is None
            and (region is None or e.region in (region, "global"))
        ]
