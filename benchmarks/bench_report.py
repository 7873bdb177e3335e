"""Rows of benchmark figures, the target checks, and their plain-text rendering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from proctree import Measurement


@dataclass(frozen=True)
class Row:
    scenario: str  # "cold scan", "warm rescan", "--version", "10-file cold", ...
    tool: str
    blocks: int
    runs: int  # best of this many
    wall_s: float
    blocks_per_s: float | None
    tree_peak_rss_mib: float
    max_rss_mib: float
    cpu_s: float
    peak_processes: int
    error: str | None  # None: the run worked
    info: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        *,
        scenario: str,
        tool: str,
        blocks: int,
        m: Measurement,
        runs: int,
        error: str | None,
        info: dict[str, object],
    ) -> Row:
        rate = blocks / m.wall_s if blocks and m.wall_s > 0 and error is None else None
        return cls(
            scenario=scenario,
            tool=tool,
            blocks=blocks,
            runs=runs,
            wall_s=round(m.wall_s, 4),
            blocks_per_s=round(rate, 1) if rate is not None else None,
            tree_peak_rss_mib=round(m.tree_peak_rss_mib, 1),
            max_rss_mib=round(m.max_rss_mib, 1),
            cpu_s=round(m.cpu_s, 3),
            peak_processes=m.peak_processes,
            error=error,
            info=info,
        )


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None  # None: could not be measured (a tool failed or was absent)
    unit: str
    goal: str
    met: bool | None
    detail: str


def find(rows: Sequence[Row], scenario: str, tool: str, blocks: int) -> Row | None:
    for row in rows:
        if (row.scenario, row.tool, row.blocks) == (scenario, tool, blocks):
            return row if row.error is None else None
    return None


def targets(rows: Sequence[Row], sizes: Sequence[int]) -> list[Target]:
    out: list[Target] = []
    by_scenario = {(r.scenario, r.tool): r for r in rows if r.error is None}

    for size in sizes:
        cold = _cold(rows, "surveyor", size)
        checkov = _cold(rows, "checkov", size)
        if cold and checkov:
            ratio = checkov.wall_s / cold.wall_s
            out.append(
                Target(
                    f"cold {cold.blocks} blocks vs checkov",
                    round(ratio, 1),
                    "x faster",
                    ">= 50",
                    ratio >= 50,
                    f"wall: checkov {checkov.wall_s:.2f} s / surveyor "
                    f"{cold.wall_s:.2f} s; CPU: {checkov.cpu_s:.2f} s / "
                    f"{cold.cpu_s:.2f} s = {_ratio(checkov.cpu_s, cold.cpu_s)}",
                )
            )
        warm = _row(rows, "warm rescan", "surveyor", size)
        if cold and warm:
            share = warm.wall_s / cold.wall_s * 100
            out.append(
                Target(
                    f"warm/cold {cold.blocks} blocks",
                    round(share, 1),
                    "%",
                    "<= 10",
                    share <= 10,
                    f"wall: warm {warm.wall_s:.3f} s / cold {cold.wall_s:.3f} s; "
                    f"CPU: {warm.cpu_s:.2f} s / {cold.cpu_s:.2f} s = "
                    f"{_share(warm.cpu_s, cold.cpu_s)}"
                    # surveyor's cache keys include its own code: an edit to the
                    # checkout between the runs makes the "warm" run a cold one.
                    + (" (cache missed? was the code edited?)" if share > 50 else ""),
                )
            )
    biggest = max(sizes) if sizes else 0
    cold = _cold(rows, "surveyor", biggest)
    # The sampled tree sum can miss a short peak the exact per-process figure
    # caught; the target takes the larger of the two.
    peak = max(cold.tree_peak_rss_mib, cold.max_rss_mib) if cold else None
    out.append(
        Target(
            f"peak RSS, cold {biggest} blocks",
            peak,
            "MiB",
            "< 150",
            peak < 150 if peak is not None else None,
            f"tree sum {cold.tree_peak_rss_mib} MiB, largest process "
            f"{cold.max_rss_mib} MiB, {cold.peak_processes} processes"
            if cold
            else "surveyor scan failed or did not run",
        )
    )
    for scenario in ("--version", "10-file cold", "10-file warm"):
        row = by_scenario.get((scenario, "surveyor"))
        out.append(
            Target(
                f"surveyor {scenario}",
                row.wall_s if row else None,
                "s",
                "< 0.5",
                row.wall_s < 0.5 if row else None,
                f"best of {row.runs}" if row else "failed or did not run",
            )
        )
    return out


def _share(a: float, b: float) -> str:
    return f"{a / b * 100:.1f}%" if b > 0 else "-"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 else "-"


def _row(rows: Sequence[Row], scenario: str, tool: str, size: int) -> Row | None:
    # The generator rounds to whole files; match the nearest corpus of that scenario.
    candidates = [r for r in rows if r.scenario == scenario and r.tool == tool]
    near = [r for r in candidates if abs(r.blocks - size) <= max(10, size // 100)]
    if not near or near[0].error is not None:
        return None
    return near[0]


def _cold(rows: Sequence[Row], tool: str, size: int) -> Row | None:
    return _row(rows, "cold scan", tool, size)


def render_table(rows: Sequence[Row]) -> str:
    header = (
        f"{'scenario':<14} {'tool':<9} {'blocks':>6} {'runs':>4} {'wall s':>8} "
        f"{'blocks/s':>9} {'tree MiB':>9} {'proc MiB':>9} {'CPU s':>7} {'procs':>5}"
        "  status"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        rate = f"{r.blocks_per_s:,.0f}" if r.blocks_per_s is not None else "-"
        status = "ok" if r.error is None else f"FAILED: {r.error[:200]}"
        lines.append(
            f"{r.scenario:<14} {r.tool:<9} {r.blocks:>6} {r.runs:>4} {r.wall_s:>8.3f} "
            f"{rate:>9} {r.tree_peak_rss_mib:>9.1f} {r.max_rss_mib:>9.1f} "
            f"{r.cpu_s:>7.2f} {r.peak_processes:>5}  {status}"
        )
    return "\n".join(lines)


def render_targets(found: Sequence[Target]) -> str:
    lines = ["targets:"]
    for t in found:
        verdict = "n/a" if t.met is None else "met" if t.met else "MISSED"
        value = "-" if t.value is None else f"{t.value:g} {t.unit}"
        lines.append(
            f"  {t.name:<34} {value:>14}  goal {t.goal:<6} {verdict:<6} {t.detail}"
        )
    return "\n".join(lines)
