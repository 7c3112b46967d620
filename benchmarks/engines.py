"""The two Graphviz engines side by side: the system's ``dot`` and the bundled graphviz-pure.

    python benchmarks/engines.py [--quick]

For the same DOT text (the benchmark network of render.py, about 1,000 and 3,000 nodes),
runs each engine's ``-Tsvg`` alternately and compares the medians: the figures behind the
default engine order (the system's dot where installed, else the bundled one). No goal:
the row informs that choice.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Result  # noqa: E402
from benchmarks.render import network  # noqa: E402
from graphviz_ad.render.engine import bundled_path  # noqa: E402


def _seconds(argv: list[str], source: bytes) -> float:
    start = time.perf_counter()
    subprocess.run(argv, input=source, capture_output=True, check=True)
    return time.perf_counter() - start


def measure(nodes: int, repeats: int) -> dict[str, float]:
    """Median seconds of ``dot -Tsvg`` and ``graphviz-pure -Tsvg`` on one graph's DOT."""
    graph = network(nodes)
    source = graph.to_dot(max_nodes=len(graph)).source.encode("utf-8")
    engines = {"system": [shutil.which("dot") or "dot", "-Tsvg"], "bundled": [bundled_path() or "graphviz-pure", "-Tsvg"]}
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(repeats):
        for name, argv in engines.items():  # alternating, so drift hits both alike
            times[name].append(_seconds(argv, source))
    return {"nodes": len(graph), **{name: statistics.median(t) for name, t in times.items()}}


def results(quick: bool) -> list[Result]:
    if shutil.which("dot") is None or bundled_path() is None:
        return []  # (both engines are needed for a side-by-side figure)
    rows = []
    for size in (300, 1000) if quick else (1000, 3000):
        m = measure(size, 2 if quick else 5)
        rows.append(Result(
            f"bundled Graphviz (graphviz-pure) ÷ system `dot`, layout to SVG of the same {m['nodes']:,}-node DOT",
            f"bundled {m['bundled']:.2f} s", f"dot {m['system']:.2f} s", m["bundled"] / m["system"],
            "— (informs the default engine)", None))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    for row in results(args.quick):
        print(row.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
