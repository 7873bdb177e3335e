"""Reading many .tf files: cached results first, the rest parsed in parallel.

Small inputs stay in this process (a worker pool costs more to start than a
few files take to parse); many uncached files go to a process pool.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from surveyor.sources.terraform.cache import ParseCache, cache_dir, content_key
from surveyor.sources.terraform.parse import parse_text

logger = logging.getLogger(__name__)

# Below this many uncached bytes a pool is slower than parsing here.
PARALLEL_MIN_BYTES = 96_000
_CHUNK_BYTES = 48_000


def _parse_chunk(texts: list[str]) -> list[dict[str, Any]]:
    return [parse_text(text) for text in texts]


def _chunks(indexes: list[int], texts: list[str]) -> list[list[int]]:
    chunks: list[list[int]] = [[]]
    size = 0
    for index in indexes:
        if size >= _CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(index)
        size += len(texts[index])
    return [c for c in chunks if c]


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_files(paths: list[Path], use_cache: bool) -> dict[Path, dict[str, Any]]:
    """{path: {"body": ...} | {"error": message, "line": n}} for every path."""
    results: dict[Path, dict[str, Any]] = {}
    texts: list[str] = []
    pending: list[int] = []
    keys: list[str] = []
    cache = ParseCache(cache_dir()) if use_cache else None
    for index, path in enumerate(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            texts.append("")
            keys.append("")
            results[path] = {"error": f"cannot read file: {exc}", "line": None}
            continue
        texts.append(text)
        key = content_key(text) if cache else ""
        keys.append(key)
        cached = cache.get(key) if cache else None
        if cached is not None:
            results[path] = cached
        else:
            pending.append(index)

    parsed = _parse_pending(pending, texts)
    for index, result in zip(pending, parsed, strict=True):
        results[paths[index]] = result
        if cache is not None:
            cache.put(keys[index], result)
    return results


def _parse_pending(pending: list[int], texts: list[str]) -> list[dict[str, Any]]:
    total = sum(len(texts[i]) for i in pending)
    workers = _workers()
    if workers < 2 or total < PARALLEL_MIN_BYTES:
        return [parse_text(texts[i]) for i in pending]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from surveyor.sources.terraform.parse import warm_up

    warm_up()  # grammar loaded once here, inherited by forked workers
    chunks = _chunks(pending, texts)
    # This process parses a share too: one worker fewer for the same cores,
    # so one process fewer holding memory.
    mine, theirs = chunks[::workers], [c for i, c in enumerate(chunks) if i % workers]
    logger.debug("parsing %d files in %d processes", len(pending), workers)
    try:
        with ProcessPoolExecutor(max_workers=workers - 1) as pool:
            futures = [pool.submit(_parse_chunk, [texts[i] for i in c]) for c in theirs]
            done = {id(c): _parse_chunk([texts[i] for i in c]) for c in mine}
            for chunk, future in zip(theirs, futures, strict=True):
                done[id(chunk)] = future.result()
    except (OSError, BrokenProcessPool) as exc:
        # No process pool here (sandbox, no /dev/shm): parse in this process.
        logger.info("parallel parsing unavailable (%s); parsing serially", exc)
        return [parse_text(texts[i]) for i in pending]
    return [result for chunk in chunks for result in done[id(chunk)]]
