"""Explorer benchmark: a 1,000-node graph, stepped in Chromium from its kernel-free page.

    python benchmarks/explorer.py [--quick] [--nodes 1000] [--keep DIR]

Prints the median time from a "Next step" click to the updated DOM (a MutationObserver
inside the page, started before the click) and to the next rendered frame, and the size
of the save_html page against the SVG of the same graph. Targets: ≤ 16 ms, ≤ 3×.
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

# Runs inside the page: click "Next step" n times, timing each click to the DOM change
# (MutationObserver callback) and to the next animation frame after it.
_MEASURE_JS = """async (n) => {
  const root = document.querySelector('.gad-explorer');
  const next = root.querySelector('button[aria-label="Next step"]');
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const dom = [], paint = [];
  for (let k = 0; k < n; k++) {
    let t1 = null;
    const obs = new MutationObserver(() => { if (t1 === null) t1 = performance.now(); });
    obs.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    await frame();
    const t0 = performance.now();
    next.click();
    await Promise.resolve();  // let the observer's microtask run
    await frame();
    const t2 = performance.now();
    obs.disconnect();
    if (t1 === null) throw new Error('no DOM change after Next step ' + k);
    dom.push(t1 - t0);
    paint.push(t2 - t0);
  }
  return { dom, paint, counter: root.querySelector('.gad-counter').textContent };
}"""


def ladder(n_nodes: int):
    """A deep graph with four inputs where every node feeds two later ones (many paths)."""
    def f(x, y, z, w):
        hs = [x, y, z, w]
        while len(hs) * 2 - 4 < n_nodes - 4:
            hs.append(ad.tanh(hs[-1] * hs[-3]))
        return hs[-1]
    return ad.trace(f, 0.5, 0.7, 0.9, 1.1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer clicks (for CI smoke runs)")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="write the page and a screenshot here")
    args = parser.parse_args(argv)
    clicks = 40 if args.quick else 300

    t = time.perf_counter()
    graph = ladder(args.nodes)
    explorer = explore(graph)
    build_s = time.perf_counter() - t
    svg_size = len(render.to_svg(graph).encode("utf-8"))
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="gad-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    page_path = explorer.save_html(out_dir / "explorer-1000.html")
    html_size = page_path.stat().st_size
    print(f"graph: {len(graph)} nodes, {len(graph.edges)} edges, {len(graph.inputs)} inputs; "
          f"explore() incl. dot layout: {build_s:.1f} s")
    print(f"save_html: {html_size:,} bytes; plain SVG: {svg_size:,} bytes; ratio {html_size / svg_size:.2f}× (target ≤ 3×)")

    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        t = time.perf_counter()
        page.goto(page_path.as_uri())
        page.locator(".gad-explorer .gad-svg").wait_for()
        print(f"page load to first view: {time.perf_counter() - t:.2f} s")
        result = page.evaluate(_MEASURE_JS, clicks)
        if args.keep:
            page.screenshot(path=str(out_dir / "explorer-1000.png"))
        browser.close()
    assert all(url.startswith("file://") for url in requests), requests
    dom, paint = result["dom"], result["paint"]
    print(f"Next step → DOM updated: median {statistics.median(dom):.2f} ms, "
          f"p95 {sorted(dom)[int(0.95 * len(dom)) - 1]:.2f} ms over {len(dom)} clicks (target ≤ 16 ms)")
    print(f"Next step → next frame:  median {statistics.median(paint):.2f} ms, "
          f"p95 {sorted(paint)[int(0.95 * len(paint)) - 1]:.2f} ms (includes waiting for the frame)")
    print(f"counter after: {result['counter']}")
    return 0 if statistics.median(dom) <= 16 and html_size <= 3 * svg_size else 1


if __name__ == "__main__":
    sys.exit(main())
