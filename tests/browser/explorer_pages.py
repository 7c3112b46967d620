"""Helpers for the Explorer browser tests: locating its controls and reading its state."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COLAH", "screenshot_dir", "explanation", "counter", "wait_text", "clipped_table_arrays",
           "current_node_placement"]

COLAH = "c = a + b; d = b + 1; e = c * d"


def screenshot_dir(tmp_path: Path) -> Path:
    """``$GAD_SCREENSHOTS`` if set (to keep and look at them), else the test's tmp dir."""
    where = Path(os.environ.get("GAD_SCREENSHOTS", tmp_path))
    where.mkdir(parents=True, exist_ok=True)
    return where


def explanation(scope) -> str:
    """The exact text of the explanation pane of the explorer in ``scope``."""
    return scope.locator(".gad-explorer .gad-explain .gad-formula").text_content()


def counter(scope) -> str:
    return scope.locator(".gad-explorer .gad-counter").text_content()


def wait_text(locator, text: str, timeout: float = 10_000) -> None:
    """Wait until ``locator``'s textContent equals ``text`` (fails with the last value seen)."""
    locator.page.wait_for_function(
        "([el, text]) => el.textContent === text", arg=[locator.element_handle(), text], timeout=timeout)


_CLIPPED_ARRAYS = """el => {
  const wrap = el.querySelector('.gad-table-wrap'), box = wrap.getBoundingClientRect();
  const clipped = [];
  for (const a of wrap.querySelectorAll('.gad-matrix, .gad-heat')) {
    const r = a.getBoundingClientRect(), cell = a.closest('.gad-td').getBoundingClientRect();
    if (r.left < cell.left - 0.5 || r.right > cell.right + 0.5 || r.left < box.left || r.right > box.right)
      clipped.push(a.getAttribute('aria-label') || a.title);
  }
  const over = wrap.scrollWidth - wrap.clientWidth;
  if (over > 1) clipped.push(`table scrolls sideways by ${over} px`);
  return clipped;
}"""


def clipped_table_arrays(explorer) -> list[str]:
    """The arrays in the values table of ``explorer`` (a locator) not whole inside their own
    cell and inside the table's box, as their labels (and whether the table scrolls sideways):
    an empty list when every matrix and heat map can be read where it is."""
    return explorer.evaluate(_CLIPPED_ARRAYS)


_PLACEMENT = """async el => {
  // the view follows in frames: a resize is observed, followed, then scrolled
  for (let k = 0; k < 4; k++) await new Promise(r => requestAnimationFrame(r));
  const g = el.querySelector('.gad-graph').getBoundingClientRect();
  const n = el.querySelector('.gad-graph .gad-current').getBoundingClientRect();
  const m = el.querySelector('.gad-minimap'), o = m.getBoundingClientRect();
  const whole = n.left >= g.left - 1 && n.right <= g.right + 1 && n.top >= g.top - 1 && n.bottom <= g.bottom + 1;
  const covered = !m.hidden && n.right > o.left && n.left < o.right && n.bottom > o.top && n.top < o.bottom;
  return { whole, covered, overview: !m.hidden, fits: n.width <= g.width - 2 && n.height <= g.height - 2 };
}"""


def current_node_placement(explorer) -> dict[str, bool]:
    """Where the current node of ``explorer`` is: ``whole`` inside the graph box, ``covered``
    (partly) by the overview, whether the ``overview`` is shown, and whether the node
    ``fits`` the box at all at the current zoom; read once the view has had the frames it
    takes to follow (four animation frames)."""
    return explorer.evaluate(_PLACEMENT)
