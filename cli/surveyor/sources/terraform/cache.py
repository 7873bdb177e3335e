"""Parse results cached by file content, so a rescan skips python-hcl2.

An entry is JSON named by the SHA-256 of (format, parser, surveyor version,
file text) and repeats that key inside; an entry that does not load or does
not match is ignored and rewritten, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from surveyor import __version__
from surveyor.sources.terraform.parse import PARSER_ID

logger = logging.getLogger(__name__)
_FORMAT = "surveyor-tf-cache-1"


def cache_dir() -> Path:
    configured = os.environ.get("SURVEYOR_CACHE_DIR")
    if configured:
        return Path(configured) / "terraform"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("surveyor")) / "terraform"


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Size and mtime of this package's modules: an edited checkout (not only a
    new release) must not be served results an older evaluator produced."""
    package = Path(__file__).parent
    parts = []
    for module in sorted(package.rglob("*.py")):  # adapters in registry/ too
        stat = module.stat()
        name = module.relative_to(package).as_posix()
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def content_key(text: str) -> str:
    digest = hashlib.sha256(
        f"{_FORMAT}\0{PARSER_ID}\0{__version__}\0{code_stamp()}\0".encode()
    )
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ParseCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            entry = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.debug("ignoring unreadable cache entry %s: %s", path, exc)
            return None
        if (
            not isinstance(entry, dict)
            or entry.get("key") != key
            or not isinstance(entry.get("result"), dict)
            or not ({"body", "error"} & entry["result"].keys())
        ):
            logger.debug("ignoring stale or corrupt cache entry %s", path)
            return None
        result: dict[str, Any] = entry["result"]
        return result

    def put(self, key: str, result: dict[str, Any]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"key": key, "result": result}, out, separators=(",", ":"))
            Path(temp).replace(path)
        except (OSError, TypeError, ValueError) as exc:
            logger.debug("could not write cache entry %s: %s", path, exc)
