"""Forward vs reverse mode for a full gradient of f: Rⁿ → R, n = 10 … 10⁴, finite differences alongside.

    python benchmarks/modes.py [--quick] [--plot PATH]

Work is counted by the sweeps (multiply-adds); time is measured (for large n on a sample
of the n sweeps or n + 1 evaluations, scaled up — the table says how many ran).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import Result  # noqa: E402

import graphviz_ad as ad  # noqa: E402

__all__ = ["run", "pairwise_tanh"]


def pairwise_tanh(x):
    """f(x) = Σ tanh(xᵢ·xᵢ₊₁): n inputs, one output, about 3n nodes."""
    total = 0.0
    for a, b in zip(x, x[1:]):
        total = total + ad.tanh(a * b)
    return total


def measure(sizes: list[int]) -> list[tuple[int, dict[str, ad.ModeCost]]]:
    rng = random.Random(0)
    return [(n, ad.gradient_costs(pairwise_tanh, [rng.uniform(-1, 1) for _ in range(n)], max_runs=30))
            for n in sizes]


def plot(rows, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [n for n, _ in rows]
    fig, (work_ax, time_ax) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    for method, style in (("finite differences", "s--"), ("forward mode", "o-"), ("reverse mode", "^-")):
        work_ax.loglog(sizes, [costs[method].work for _, costs in rows], style, label=method)
        time_ax.loglog(sizes, [costs[method].seconds for _, costs in rows], style, label=method)
    work_ax.set(xlabel="n (inputs)", ylabel="work (multiply-adds / ops)", title="work for the whole gradient")
    time_ax.set(xlabel="n (inputs)", ylabel="seconds", title="time for the whole gradient")
    for ax in (work_ax, time_ax):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(quick: bool = False, plot_path: Path | None = None) -> list[Result]:
    sizes = [10, 100, 1000] if quick else [10, 100, 1000, 10_000]
    rows = measure(sizes)
    results = []
    previous: tuple[int, float] | None = None
    for n, costs in rows:
        forward, reverse, fd = costs["forward mode"], costs["reverse mode"], costs["finite differences"]
        # The work ratio is n by construction (dense sweeps); time is the honest test.
        ratio = forward.seconds / reverse.seconds
        # The goal: the ratio grows ∝ n (at least half as fast as n from one size to the
        # next), and reaches 0.5·n at n = 1,000. The smallest size only starts the trend:
        # there a sweep's fixed cost, not its work, sets the time.
        if previous is None:
            goal, met = "∝ n (first size)", None
        else:
            growth = ratio / previous[1]
            goal = f"grows ≥ {0.5 * n / previous[0]:g}× from n = {previous[0]:,}: {growth:.1f}×"
            met = growth >= 0.5 * n / previous[0]
            if n == 1000:
                goal += f"; ≥ 0.5·n = {0.5 * n:g}"
                met = met and ratio >= 0.5 * n
        previous = (n, ratio)
        sampled = f", {forward.timed_runs} of {forward.runs} sweeps timed" if forward.estimated else ""
        results.append(Result(
            f"full gradient of f: R^{n} → R: forward ÷ reverse time "
            f"(multiply-adds {forward.work // reverse.work}×)",
            f"reverse: 1 sweep, {reverse.work:,} MACs, {reverse.seconds * 1e3:.2f} ms",
            f"forward: {n:,} sweeps, {forward.work:,} MACs, {forward.seconds:.3g} s{sampled}; "
            f"finite differences: {fd.runs:,} evaluations, {fd.seconds:.3g} s",
            ratio, goal, met))
    if plot_path is not None:
        plot(rows, plot_path)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--plot", type=Path, default=None, help="save the log-log plot here (PNG)")
    args = parser.parse_args()
    for result in run(args.quick, args.plot):
        print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
