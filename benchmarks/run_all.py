"""Run every benchmark and rewrite benchmarks/RESULTS.md (``./run bench``; ``--quick`` for a smoke run).

Each goal is a ratio measured side by side in one run (see common.py); the table says
whether it was met on this machine this time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import engine  # noqa: E402
import engines as engines_bench  # noqa: E402
import explorer as explorer_bench  # noqa: E402
import modes  # noqa: E402
import render as render_bench  # noqa: E402
import steps as steps_bench  # noqa: E402
from common import Result, library_versions, machine_description  # noqa: E402

import graphviz_ad as ad  # noqa: E402

LIBRARIES = ["graphviz-ad", "numpy", "graphviz", "anywidget", "micrograd", "autograd", "playwright"]


def render_results(quick: bool) -> list[Result]:
    results = []
    for size in [100, 300, 1000]:
        m = render_bench.measure(size, 3 if quick else 7)
        ratio = m["ours"] / m["dot"]
        has_goal = size >= 1000  # the goal is set at 1,000 nodes; smaller graphs show the trend
        results.append(Result(
            f"render {m['nodes']:,}-node graph to SVG, end to end ÷ `dot` alone on the same DOT",
            f"{m['ours']:.3f} s (Python side {m['python']:.3f} s)", f"dot {m['dot']:.3f} s",
            ratio, "≤ 1.2" if has_goal else "— (goal at 1,000 nodes)", ratio <= 1.2 if has_goal else None))
    return results


def collapsed_results() -> list[Result]:
    def big(x):
        for block in range(100):
            with ad.scope(f"block{block}"):
                for _ in range(333):
                    x = ad.sin(x) * 0.5 + x
        return x

    graph = ad.trace(big, 0.1)
    start = time.perf_counter()
    svg = graph.to_svg()
    seconds = time.perf_counter() - start
    assert "scope-" in svg  # drawn collapsed, one box per scope
    return [Result(f"{len(graph):,}-node graph shown collapsed by scope (to_svg)", f"{seconds:.2f} s",
                   "goal 2 s", seconds / 2.0, "≤ 1 (≤ 2 s)", seconds <= 2.0)]


def explorer_results(quick: bool) -> list[Result]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        explorer_bench.main(["--quick"] if quick else [])
    text = printed.getvalue()
    results = []
    for label, nodes in re.findall(r"graph (\d+): (\d+) nodes;", text):
        part = "\n".join(line for line in text.splitlines() if line.startswith(f"graph {label}:"))
        explore_s, dot_s, ratio = (float(x) for x in re.search(
            r"explore\(\) ([\d.]+) s, dot layout alone ([\d.]+) s, ratio ([\d.]+)", part).groups())
        page = int(re.search(r"page ([\d,]+) bytes", part).group(1).replace(",", ""))
        dom, work, p95, total, mode = (float(x) for x in re.search(
            r"DOM updated median ([\d.]+) ms; frame work median ([\d.]+) ms, p95 ([\d.]+) ms .*?click → painted median "
            r"([\d.]+) ms; mode switch → painted median ([\d.]+) ms", part).groups())
        size = f"{int(nodes):,}-node"
        frame_goal = 16 if label == "1000" else 33
        results.append(Result(f"explorer, {size} graph in Chromium: “Next step” → the painted frame's rendering work (median)",
                              f"{work:.1f} ms (p95 {p95:.0f} ms; DOM updated {dom:.2f} ms; click → painted {total:.0f} ms)",
                              f"goal {frame_goal} ms", work / frame_goal, f"≤ 1 (≤ {frame_goal} ms)", work <= frame_goal))
        lab = re.search(rf"graph {label} in JupyterLab: run → painted widget ([\d.]+) s; .*?frame work median ([\d.]+) ms, "
                        r"p95 ([\d.]+) ms .*?click → painted median ([\d.]+) ms", text)
        if lab:
            load, lab_work, lab_p95, lab_total = (float(x) for x in lab.groups())
            results.append(Result(
                f"explorer, {size} graph in JupyterLab: “Next step” → the painted frame's rendering work (median)",
                f"{lab_work:.1f} ms (p95 {lab_p95:.0f} ms; click → painted {lab_total:.0f} ms; "
                f"run → painted widget {load:.1f} s)", f"goal {frame_goal} ms", lab_work / frame_goal,
                f"≤ 1 (≤ {frame_goal} ms)", lab_work <= frame_goal))
        if label == "1000":
            results.append(Result(f"explorer, {size} graph: mode switch → painted frame (median)", f"{mode:.0f} ms",
                                  "goal 50 ms", mode / 50, "≤ 1 (≤ 50 ms)", mode <= 50))
            results.append(Result(f"explorer, {size} graph: ad.explore() ÷ dot's layout of the same DOT",
                                  f"{explore_s:.2f} s", f"dot {dot_s:.2f} s", ratio, "≤ 1.2", ratio <= 1.2))
            results.append(Result(f"explorer, {size} graph: kernel-free page size", f"{page:,} bytes", "goal 2 MB",
                                  page / 2_000_000, "≤ 1 (≤ 2 MB)", page <= 2_000_000))
        else:
            results.append(Result(f"explorer, {size} scoped graph (drawn collapsed): mode switch → painted frame (median)",
                                  f"{mode:.0f} ms", "goal 50 ms at 1,000 nodes", mode / 50, "— (goal at 1,000 nodes)", None))
    return results


def write_results(results: list[Result], quick: bool, seconds: float, path: Path) -> None:
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    lines = [
        "# Benchmark results",
        "",
        f"Regenerated by `./run bench{' --quick' if quick else ''}` (benchmarks/run_all.py) in {seconds:.0f} s.",
        "Every ratio is measured side by side in one run; these machines are noisy, so ratios, not times, are the goals.",
        "",
        f"- machine: {machine_description()}",
        f"- libraries: {library_versions(LIBRARIES)}; {dot}",
        "",
        "| workload | ours | peer / reference | ratio | goal | met? |",
        "|---|---|---|---|---|---|",
        *[r.line() for r in results],
        "",
        "Forward vs reverse vs finite differences for f: Rⁿ → R (work and time): `modes.png`.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats; figures not meaningful")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    start = time.perf_counter()
    results: list[Result] = []
    for name, produce in [
        ("engine", lambda: engine.run(args.quick)),
        ("modes", lambda: modes.run(args.quick, args.output.parent / "modes.png")),
        ("render", lambda: render_results(args.quick)),
        ("engines", lambda: engines_bench.results(args.quick)),
        ("collapsed", collapsed_results),
        ("explorer", lambda: explorer_results(args.quick)),
        ("steps", lambda: steps_bench.results(args.quick)),
    ]:
        print(f"== {name}", flush=True)
        for result in produce():
            print(result.line(), flush=True)
            results.append(result)
    write_results(results, args.quick, time.perf_counter() - start, args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
