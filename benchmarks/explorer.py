"""Explorer benchmark: a 1,000-node graph, stepped in Chromium from its kernel-free page.

    python benchmarks/explorer.py [--quick] [--nodes 1000] [--keep DIR]

For a 1,000-node graph (and, without --quick, a ~4,500-node scoped MLP drawn collapsed):
explore() beside dot's layout of the same DOT, the kernel-free page's size, and in Chromium
the median time from a "Next step" click to the updated DOM, the rendering work of the frame
that shows it, the click to that painted frame, and a mode switch to its painted frame.
Each graph's step figures are measured twice: in the kernel-free page and in a real JupyterLab.
Targets (issue 15): explore ≤ 1.2× dot; frame work ≤ 16 ms at 1,000 nodes, ≤ 33 ms at 3,000;
mode switch ≤ 50 ms at 1,000; page ≤ 2 MB at 1,000.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphviz_ad as ad  # noqa: E402
from graphviz_ad import render  # noqa: E402
from graphviz_ad.widget import explore  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from harness import launch_chromium  # noqa: E402

# Runs inside the page: click "Next step" n times. For each click: the DOM change (a
# MutationObserver, started before the click), the frame's rendering work (from that frame's
# requestAnimationFrame callback to a task queued from it, which runs once the frame is
# painted), and the whole time from the click to then. A click lands at a random point of a
# 16.7 ms frame, so the whole time is that wait plus the work; the work is the figure the
# 16 ms goal is about (a step shown in the next frame).
_MEASURE_JS = """async (n) => {
  const root = document.querySelector('.gad-explorer');
  const next = root.querySelector('button[aria-label="Next step"]');
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const dom = [], work = [], total = [];
  for (let k = 0; k < n; k++) {
    let t1 = null;
    const obs = new MutationObserver(() => { if (t1 === null) t1 = performance.now(); });
    obs.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    await frame();
    const t0 = performance.now();
    next.click();
    await Promise.resolve();  // let the observer's microtask run
    let tr = 0;
    await new Promise(r => requestAnimationFrame(() => { tr = performance.now(); setTimeout(r, 0); }));
    const t2 = performance.now();
    obs.disconnect();
    if (t1 === null) throw new Error('no DOM change after Next step ' + k);
    dom.push(t1 - t0);
    work.push(t2 - tr);
    total.push(t2 - t0);
  }
  return { dom, work, total, counter: root.querySelector('.gad-counter').textContent };
}"""

# Switch the mode (reverse → forward → reverse …) n times: from the change to the painted
# frame that shows the other sweep's first step.
_MODE_JS = """async (n) => {
  const select = document.querySelector('.gad-explorer select[aria-label="Mode"]');
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const times = [];
  for (let k = 0; k < n; k++) {
    await frame();
    const t0 = performance.now();
    select.value = k % 2 ? 'reverse' : 'forward';
    select.dispatchEvent(new Event('change'));
    await frame();
    times.push(performance.now() - t0);
  }
  return times;
}"""


def ladder(n_nodes: int):
    """A deep graph with four inputs where every node feeds two later ones (many paths)."""
    def f(x, y, z, w):
        hs = [x, y, z, w]
        while len(hs) * 2 - 4 < n_nodes - 4:
            hs.append(ad.tanh(hs[-1] * hs[-3]))
        return hs[-1]
    return ad.trace(f, 0.5, 0.7, 0.9, 1.1)


def scoped_mlp(widths: tuple[int, ...]):
    """A scalar MLP (weights as inputs), one ad.scope per layer: at 2→[36,36,1], ~4,500 nodes."""
    def f(*args):
        a, weights = list(args[:2]), iter(args[2:])
        for layer, width in enumerate(widths):
            with ad.scope(f"layer {layer + 1}"):
                a = [ad.tanh(sum(next(weights) * v for v in a) + next(weights)) for _ in range(width)]
        return a[0]
    sizes = (2, *widths)
    count = sum(i * o + o for i, o in zip(sizes, sizes[1:]))
    return ad.trace(f, 0.5, -0.3, *[0.1 * ((k * 7919) % 13 - 6) / 6 for k in range(count)])


def median(values):
    return statistics.median(values)


def measure(graph, clicks: int, out_dir: Path, label: str, repeats: int = 3) -> dict:
    """explore() beside dot's layout of the same DOT, the page's size, and in Chromium the
    step and mode-switch figures (see the JS above)."""
    from graphviz_ad.render.engine import run_dot
    # dot alone on the very DOT the explorer draws (the plain graph, each derivative line laid
    # out for the widest text a stored sweep writes into it): its options, caught on the way
    drawn: list[dict] = []
    svg_later = render.svg_later
    render.svg_later = lambda g, **options: drawn.append(options) or svg_later(g, **options)
    try:
        explore(graph)
    finally:
        render.svg_later = svg_later
    dot_source = render.to_dot(graph, **drawn[0]).source
    explore_runs, dot_runs = [], []
    for _ in range(repeats):  # alternating, so that the machine's drift hits both alike
        t = time.perf_counter()
        explorer = explore(graph)
        explore_runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        run_dot(dot_source, "svg", timeout=600)
        dot_runs.append(time.perf_counter() - t)
    explore_s, dot_s = median(explore_runs), median(dot_runs)
    page_path = explorer.save_html(out_dir / f"explorer-{label}.html")
    result = {"nodes": len(graph), "explore_s": explore_s, "dot_s": dot_s, "page_bytes": page_path.stat().st_size}
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        t = time.perf_counter()
        page.goto(page_path.as_uri())
        page.locator(".gad-explorer .gad-svg").wait_for()
        result["load_s"] = time.perf_counter() - t
        page.wait_for_timeout(500)
        steps = page.evaluate(_MEASURE_JS, clicks)
        modes = page.evaluate(_MODE_JS, 10 if clicks > 50 else 4)
        page.screenshot(path=str(out_dir / f"explorer-{label}.png"))
        browser.close()
    assert all(url.startswith("file://") for url in requests), requests
    result.update(dom_ms=median(steps["dom"]), work_ms=median(steps["work"]), total_ms=median(steps["total"]),
                  work_p95=sorted(steps["work"])[int(0.95 * len(steps["work"])) - 1], mode_ms=median(modes),
                  counter=steps["counter"])
    return result


def measure_in_jupyterlab(graph_source: str, clicks: int, out_dir: Path) -> dict:
    """The same step figures for the live widget in a real JupyterLab (kernel and all), of
    the graph that ``graph_source`` (an expression over this module's builders) makes."""
    import nbformat
    from harness import JupyterLabServer, open_notebook, run_all_cells
    from playwright.sync_api import sync_playwright

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    here = Path(__file__).resolve().parent
    nb.cells = [nbformat.v4.new_code_cell(
        f"import sys\nsys.path[:0] = [{str(here.parent)!r}, {str(here)!r}]\n"
        f"from explorer import explore, ladder, scoped_mlp\nexplore({graph_source})")]
    source = out_dir / "explorer-lab.ipynb"
    nbformat.write(nb, source)
    with JupyterLabServer() as server, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_notebook(page, server, server.copy_notebook(source))
        t = time.perf_counter()
        run_all_cells(page)
        page.locator(".gad-explorer .gad-svg").wait_for(timeout=120_000)
        load_s = time.perf_counter() - t
        page.wait_for_timeout(500)
        steps = page.evaluate(_MEASURE_JS, clicks)
        browser.close()
    return {"load_s": load_s, "dom_ms": median(steps["dom"]), "work_ms": median(steps["work"]),
            "total_ms": median(steps["total"]), "work_p95": sorted(steps["work"])[int(0.95 * len(steps["work"])) - 1]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer clicks (for CI smoke runs)")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="write the pages and screenshots here")
    args = parser.parse_args(argv)
    clicks = 40 if args.quick else 200
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="gad-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    graphs = {"1000": ladder(args.nodes)}
    if not args.quick:
        graphs["3000"] = scoped_mlp((36, 36, 1))  # drawn collapsed by scope
    ok = True
    for label, graph in graphs.items():
        m = measure(graph, clicks, out_dir, label, repeats=1 if args.quick else 3)
        goal = 16 if label == "1000" else 33
        print(f"graph {label}: {m['nodes']} nodes; explore() {m['explore_s']:.2f} s, dot layout alone {m['dot_s']:.2f} s, "
              f"ratio {m['explore_s'] / m['dot_s']:.2f} (target ≤ 1.2)")
        print(f"graph {label}: page {m['page_bytes']:,} bytes (target ≤ 2,000,000 at 1,000 nodes); "
              f"load to first view {m['load_s']:.2f} s")
        print(f"graph {label}: Next step → DOM updated median {m['dom_ms']:.2f} ms; frame work median "
              f"{m['work_ms']:.1f} ms, p95 {m['work_p95']:.1f} ms (target ≤ {goal} ms); click → painted median "
              f"{m['total_ms']:.1f} ms; mode switch → painted median {m['mode_ms']:.1f} ms; counter {m['counter']}")
        if label == "1000":
            ok = ok and m["page_bytes"] <= 2_000_000
        ok = ok and m["work_ms"] <= goal
        source = f"ladder({args.nodes})" if label == "1000" else "scoped_mlp((36, 36, 1))"
        lab = measure_in_jupyterlab(source, 20 if args.quick else 100, out_dir)
        print(f"graph {label} in JupyterLab: run → painted widget {lab['load_s']:.1f} s; Next step → DOM updated "
              f"median {lab['dom_ms']:.2f} ms; frame work median {lab['work_ms']:.1f} ms, p95 {lab['work_p95']:.1f} ms "
              f"(target ≤ {goal} ms); click → painted median {lab['total_ms']:.1f} ms")
        ok = ok and lab["work_ms"] <= goal
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
