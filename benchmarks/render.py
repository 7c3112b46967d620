"""Render benchmark: end-to-end ``g.to_svg()`` against ``dot -Tsvg`` alone on the same DOT.

    python benchmarks/render.py [--quick] [--sizes 100 300 1000] [--repeats 7]

For graphs of about 100, 300 and 1,000 nodes (a scalar network with fan-out: every step
reuses its inputs twice), times our whole path (build the Digraph, run dot, add the SVG
ids) and dot alone on the DOT text we hand it, alternating the two and taking medians.
The Python side alone (building the DOT, encoding it, post-processing dot's SVG) is timed
as well: on a shared machine identical dot runs vary by tens of percent (the "dot range"
column), which swamps the difference of two end-to-end medians, while the Python side is
steady. Goal: Python overhead ≤ 20 % of dot (ours ≤ 1.2 × dot alone) at 1,000 nodes.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphviz_ad as ad  # noqa: E402
from benchmarks.common import library_versions, machine_description  # noqa: E402
from graphviz_ad.render.drawing import build  # noqa: E402
from graphviz_ad.render.highlights import highlights  # noqa: E402
from graphviz_ad.render.options import resolve  # noqa: E402
from graphviz_ad.render.svg import add_ids  # noqa: E402

GOAL = 1.2


def network(nodes: int) -> ad.Graph:
    """A graph of about ``nodes`` nodes: x, y, then (sin, mul, add) blocks that each use
    their two inputs twice, so the graph has fan-out and long edges for dot to route."""

    def f(x, y):
        a, b = x, y
        for _ in range(max(1, (nodes - 2) // 3)):
            c = ad.sin(a) * b
            a, b = c + a, c
        return a

    return ad.trace(f, x=0.3, y=0.7)


def timed(fn: Callable[[], object]) -> float:
    """Seconds for one call, including collecting its garbage."""
    start = time.perf_counter()
    fn()
    gc.collect()
    return time.perf_counter() - start


def measure(nodes: int, repeats: int) -> dict[str, Any]:
    g = network(nodes)
    source = g.to_dot().source
    dot = shutil.which("dot")
    raw_svg = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=True).stdout

    def dot_alone() -> None:
        subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, check=True)

    def python_side() -> None:  # everything to_svg does besides waiting for dot
        drawing = build(g, resolve(g, {}), highlights(g))
        drawing.digraph.source.encode("utf-8")
        add_ids(raw_svg.decode("utf-8"), drawing.spans)

    runs = {"ours": lambda: g.to_svg(), "dot": dot_alone, "python": python_side}
    for fn in runs.values():  # warm-up
        fn()
    samples: dict[str, list[float]] = {name: [] for name in runs}
    gc.collect()
    gc.freeze()  # the harness's long-lived objects out of view: each collect costs only its own garbage
    try:
        for _ in range(repeats):
            for name, fn in runs.items():  # alternate, so a busy moment slows every side
                samples[name].append(timed(fn))
    finally:
        gc.unfreeze()
    return {"nodes": len(g), "kB": len(source.encode("utf-8")) / 1000, "samples": samples,
            **{name: statistics.median(values) for name, values in samples.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (3 instead of 7)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--repeats", type=int, help="timed runs per side (default 7, or 3 with --quick)")
    args = parser.parse_args(argv)
    if shutil.which("dot") is None:
        print("this benchmark needs Graphviz's dot (apt install graphviz)", file=sys.stderr)
        return 1
    repeats = args.repeats or (3 if args.quick else 7)
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    print(f"# render benchmark: {machine_description()}")
    print(f"# {version}; {library_versions(['graphviz', 'numpy'])}; medians of {repeats} alternating runs")
    print(f"{'nodes':>6} {'DOT kB':>7} {'ours s':>8} {'dot s':>8} {'ratio':>6} {'dot range s':>12} "
          f"{'python s':>9} {'python/dot':>10}")
    for size in args.sizes:
        m = measure(size, repeats)
        ratio, share = m["ours"] / m["dot"], m["python"] / m["dot"]
        low, high = min(m["samples"]["dot"]), max(m["samples"]["dot"])
        print(f"{m['nodes']:>6} {m['kB']:>7.0f} {m['ours']:>8.3f} {m['dot']:>8.3f} {ratio:>6.3f} "
              f"{low:>5.2f}…{high:<6.2f} {m['python']:>9.3f} {share:>10.3f}")
        if size >= 1000:
            print(f"goal at {m['nodes']:,} nodes, Python overhead ≤ {GOAL - 1:.0%} of dot: "
                  f"{'met' if share <= GOAL - 1 else 'NOT met'} (python side {share:.1%} of dot; "
                  f"end-to-end median ratio {ratio:.3f}, {'within' if ratio <= GOAL else 'above'} {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
