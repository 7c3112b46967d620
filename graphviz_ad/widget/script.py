"""The explorer's browser side: one ES module assembled from the parts in ``js/``, and its CSS.

No build step: the parts are plain JavaScript concatenated in the order below, each
defining what the later ones use, the last (``view.js``) defining the ``ExplorerView``
class, copying the methods of the others onto it and exporting ``render`` (anywidget's
entry point). The live widget gets the module as a string (``Explorer._esm``), the
kernel-free page inlines it.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["PARTS", "explorer_script", "EXPLORER_CSS"]

_HERE = Path(__file__).parent

#: The parts in the order they are joined: each may use what the earlier ones define.
PARTS = (
    "base.js",        # constants, the kernel-free model, DOM helpers, SVG layers
    "arrays.js",      # an array as a matrix or a heat map
    "whatif.js",      # recomputing a graph of numbers in the page (what-if, no kernel)
    "graph_view.js",  # the SVG: index, marks, follow, zoom, drag
    "panels.js",      # choosers, explanation, table, cost, inputs, paths
    "playback.js",    # play and compare
    "inspect.js",     # a clicked node's details, the legend, present mode
    "view.js",        # the ExplorerView class, wiring, keyboard, render()
)

EXPLORER_CSS = (_HERE / "explorer.css").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def explorer_script() -> str:
    """The whole ES module, as one string."""
    return "\n".join((_HERE / "js" / part).read_text(encoding="utf-8") for part in PARTS)
