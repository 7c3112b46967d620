"""Shared benchmark helpers: side-by-side timing, results rows, and the machine description.

Targets are ratios measured in one run, never absolute times: the two sides of a ratio
are timed alternately, so a noisy neighbour slows both.
"""

from __future__ import annotations

import gc
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from typing import Callable

__all__ = ["Result", "alternate", "timed", "machine_description", "library_versions"]


@dataclass
class Result:
    """One row of RESULTS.md: a measured ratio against its goal."""

    workload: str
    ours: str
    peer: str
    ratio: float
    goal: str
    met: bool | None  # None: a row that shows a trend and carries no goal of its own
    note: str = ""

    def line(self) -> str:
        mark = "—" if self.met is None else "yes" if self.met else "NO"
        return f"| {self.workload} | {self.ours} | {self.peer} | {self.ratio:.3g} | {self.goal} | {mark} |"


def timed(fn: Callable[[], object], *, collect: bool = True) -> float:
    """Seconds for one call; with ``collect`` the call also pays for its own garbage."""
    start = time.perf_counter()
    fn()
    if collect:
        gc.collect()
    return time.perf_counter() - start


def alternate(fns: dict[str, Callable[[], object]], repeats: int, *, collect: bool = True,
              gc_enabled: bool = True, warmup: float = 0.5) -> dict[str, float]:
    """Median seconds per function, calling them in turn ``repeats`` times.

    First they are called in turn for ``warmup`` seconds (at least once each): a fresh
    process runs the same calls 10-20 % slower for its first few hundred milliseconds
    (allocator, caches), which would otherwise bias whichever workload runs first."""
    started = time.perf_counter()
    while True:
        for fn in fns.values():
            fn()
        if time.perf_counter() - started >= warmup:
            break
    gc.collect()
    # Everything alive now (imports, the harness, inputs) is moved out of the collector's
    # view, so each timed gc.collect() costs what that side's own objects cost.
    gc.freeze()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    was_enabled = gc.isenabled()
    if not gc_enabled:
        gc.disable()
    # The sides run in a new order every round (a fixed seed, so runs are comparable): a
    # side that always ran first, or always after a heavy one, would carry that bias.
    order = list(fns.items())
    shuffler = random.Random(20261203)
    try:
        for _ in range(repeats):
            shuffler.shuffle(order)
            for name, fn in order:
                samples[name].append(timed(fn, collect=collect))
    finally:
        if was_enabled:
            gc.enable()
        gc.unfreeze()
    return {name: statistics.median(values) for name, values in samples.items()}


def machine_description() -> str:
    import os
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {sys.version.split()[0]}"


def library_versions(names: list[str]) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)
