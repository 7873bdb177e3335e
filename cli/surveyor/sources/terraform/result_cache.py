"""Whole-scan results cached, so an unchanged rescan skips evaluation too.

The entry is keyed by the scan's options and holds a manifest of every input
it read (each file's SHA-256, each directory's listing, each target's module
directories). It is used only when all of them still match; anything that
does not load or match is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from surveyor import __version__
from surveyor.model import Location, Resource
from surveyor.model.serialize import resource_from_json, resource_to_json
from surveyor.resourceset import ResourceSet, SourceError
from surveyor.sources.terraform.cache import cache_dir
from surveyor.sources.terraform.parse import PARSER_ID

logger = logging.getLogger(__name__)
_FORMAT = "surveyor-tf-scan-1"
# Files Terraform reads from a module directory besides *.tf.
VAR_FILE_NAMES = ("terraform.tfvars", "terraform.tfvars.json")


def listing(directory: Path) -> list[str]:
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return []
    return sorted(
        n
        for n in names
        if n.endswith((".tf", ".auto.tfvars", ".auto.tfvars.json"))
        or n in VAR_FILE_NAMES
    )


def digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def scan_key(parts: Iterable[str]) -> str:
    hasher = hashlib.sha256(f"{_FORMAT}\0{PARSER_ID}\0{__version__}".encode())
    for part in parts:
        hasher.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


class Manifest:
    """What a scan read, to tell later whether its result still holds."""

    def __init__(self) -> None:
        self.files: dict[str, str | None] = {}
        self.dirs: dict[str, list[str]] = {}
        self.walks: dict[str, list[str]] = {}

    def add_files(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.files.setdefault(str(path), digest(path))

    def add_dirs(self, directories: Iterable[Path]) -> None:
        for directory in directories:
            self.dirs.setdefault(str(directory), listing(directory))

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files, "dirs": self.dirs, "walks": self.walks}

    @staticmethod
    def still_holds(data: Any, walk: Any) -> bool:
        if not isinstance(data, dict):
            return False
        walks, dirs, files = data.get("walks"), data.get("dirs"), data.get("files")
        if not (isinstance(walks, dict) and isinstance(dirs, dict)):
            return False
        if not isinstance(files, dict):
            return False
        for target, found in walks.items():
            if [str(d) for d in walk(Path(target))] != found:
                return False
        for directory, names in dirs.items():
            if listing(Path(directory)) != names:
                return False
        return all(digest(Path(p)) == h for p, h in files.items())


def _location(loc: Location | None, paths: dict[str, int]) -> list[Any] | None:
    if loc is None:
        return None
    index = paths.setdefault(loc.path, len(paths))
    return [index, loc.start_line, loc.end_line]


def _encode(resources: ResourceSet) -> dict[str, Any]:
    paths: dict[str, int] = {}
    items = []
    for resource in resources:
        data = resource_to_json(resource)
        data.pop("location", None)
        data["loc"] = _location(resource.location, paths)
        data["attr_locs"] = {
            k: _location(v, paths) for k, v in resource.attribute_locations.items()
        }
        data["components"] = list(resource.components)
        items.append(data)
    errors = [
        {
            "message": e.message,
            "path": e.path,
            "loc": _location(e.location, paths),
        }
        for e in resources.source_errors
    ]
    return {"paths": list(paths), "resources": items, "errors": errors}


def _decode(data: dict[str, Any]) -> ResourceSet:
    paths: list[str] = data["paths"]

    def location(raw: Any) -> Location | None:
        if raw is None:
            return None
        return Location(paths[raw[0]], int(raw[1]), int(raw[2]))

    resources = []
    for item in data["resources"]:
        base = resource_from_json(item)
        resources.append(
            Resource(
                type=base.type,
                address=base.address,
                attributes=base.attributes,
                side=base.side,
                name=base.name,
                location=location(item.get("loc")),
                attribute_locations={
                    k: loc
                    for k, raw in item["attr_locs"].items()
                    if (loc := location(raw)) is not None
                },
                tags=base.tags,
                components=tuple(item["components"]),
            )
        )
    errors = [
        SourceError(e["message"], location=location(e.get("loc")), path=e.get("path"))
        for e in data["errors"]
    ]
    return ResourceSet(resources, source_errors=errors)


class ScanCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or cache_dir()) / "scans"

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str, walk: Any) -> ResourceSet | None:
        try:
            entry = json.loads(self._path(key).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.debug("ignoring unreadable scan cache entry: %s", exc)
            return None
        try:
            if entry.get("key") != key or not Manifest.still_holds(
                entry.get("manifest"), walk
            ):
                return None
            return _decode(entry["result"])
        except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            logger.debug("ignoring malformed scan cache entry: %s", exc)
            return None

    def put(self, key: str, manifest: Manifest, resources: ResourceSet) -> None:
        path = self._path(key)
        try:
            payload = {
                "key": key,
                "manifest": manifest.to_json(),
                "result": _encode(resources),
            }
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, separators=(",", ":"))
            Path(temp).replace(path)
        except (OSError, TypeError, ValueError) as exc:
            logger.debug("could not write scan cache entry %s: %s", path, exc)
