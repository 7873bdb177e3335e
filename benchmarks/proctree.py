"""Run one command and measure it as a whole process tree.

Two memory figures, because they answer different questions:

- ``tree_peak_rss_mib``: the largest *sum* of resident set sizes over every live
  process of the command's session, sampled from ``/proc/<pid>/stat`` every
  ``interval`` seconds (10 ms; 50 ms once a run passes two seconds). It
  counts multiprocess parsing workers that run at the same time. RSS counts
  pages shared between a parent and its forked children once per process, so
  the sum errs on the high side; a peak shorter than one interval can be
  missed.
- ``max_rss_mib``: the largest single process of the tree, as the kernel
  reports it to ``wait4`` (the child's own peak and that of every descendant it
  reaped). Exact, but blind to workers running side by side.

Linux only (``/proc``); elsewhere the sampled figure is left at 0.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024


@dataclass(frozen=True)
class Measurement:
    returncode: int  # -N: killed by signal N (a timeout kills the whole tree)
    wall_s: float
    cpu_s: float  # user + system over the whole tree (reaped descendants included)
    tree_peak_rss_mib: float
    max_rss_mib: float
    peak_processes: int
    timed_out: bool
    stdout_path: Path
    stderr_path: Path

    def stderr_tail(self, lines: int = 3) -> str:
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])


def _session_rss(session: int) -> tuple[int, int]:
    """Sum of RSS bytes and number of live processes in one session."""
    total, count = 0, 0
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return 0, 0
    for entry in entries:
        try:
            raw = _read(f"/proc/{entry}/stat")
        except OSError:
            continue  # the process ended between the listing and the read
        # The command name (field 2) may hold spaces; fields resume after ')'.
        fields = raw[raw.rfind(b")") + 2 :].split()
        if int(fields[3]) != session:  # field 6 of stat: session id
            continue
        total += int(fields[21]) * PAGE_SIZE  # field 24: rss in pages
        count += 1
    return total, count


def _read(path: str) -> bytes:
    # os.open/os.read: one syscall each; this runs every few milliseconds.
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 4096)
    finally:
        os.close(fd)


class _Sampler(threading.Thread):
    def __init__(self, session: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.session = session
        self.interval = interval
        self.peak_bytes = 0
        self.peak_processes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self._stop_event.is_set():
            rss, count = _session_rss(self.session)
            self.peak_bytes = max(self.peak_bytes, rss)
            self.peak_processes = max(self.peak_processes, count)
            # Fine sampling for short runs; past two seconds a sweep of /proc
            # every 50 ms keeps this thread from stealing a core from the tool.
            late = time.perf_counter() - started > 2.0
            self._stop_event.wait(max(self.interval, 0.05) if late else self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    stdout_path: Path,
    stderr_path: Path,
    timeout_s: float,
    interval: float = 0.01,
) -> Measurement:
    """Run ``command`` in a fresh session and wait for it, measuring the tree."""
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,  # session id == pid: how the sampler finds the tree
        )
        sampler = _Sampler(process.pid, interval)
        sampler.start()
        expired = threading.Event()
        timer = threading.Timer(timeout_s, _expire, args=(process.pid, expired))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        # Workers the command left behind would keep the session alive; end them.
        _kill_session(process.pid)

    return Measurement(
        returncode=process.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        tree_peak_rss_mib=sampler.peak_bytes / MIB,
        max_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        peak_processes=sampler.peak_processes,
        timed_out=expired.is_set(),
        stdout_path=stdout_path,
        stderr_path=stderr_path,
    )


def _expire(session: int, expired: threading.Event) -> None:
    expired.set()
    _kill_session(session)


def _kill_session(session: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(session, signal.SIGKILL)
