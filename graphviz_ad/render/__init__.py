"""Drawing graphs and sweep frames with Graphviz: DOT, SVG, PNG, PDF and Jupyter display.

``to_dot`` builds a ``graphviz.Digraph`` (no binary needed); ``to_svg``, ``save`` and
``mimebundle`` run Graphviz. ``Graph.to_dot/to_svg/save`` and the sweeps'
``to_dot/to_svg/save(step=k)`` call these. Output is deterministic: the same graph and
options give byte-identical DOT and SVG.

A plain graph is laid out by one ``dot`` run. The frames of a sweep share one layout: the
sweep's envelope (every derivative, every chain-rule term, the longest caption) is laid
out once by ``dot`` (cached per sweep) and each frame is drawn at those positions by
``neato -n2``, so consecutive frames line up on slides. ``to_dot(step=k)`` is the frame
on its own, without positions.

The package, by job: ``options`` (what may be asked for: options, themes, errors),
``text`` (escaping, clipping, the names as drawn; the ∂-text comes from
``graphviz_ad.notation``), ``highlights`` (what a step of a sweep or a path highlights),
``elements`` (one node's or edge's DOT attributes and label markup), ``drawing`` (the whole
Digraph, full or collapsed), ``engine`` (running Graphviz within a deadline, the shared
layout of a sweep), ``svg`` (ids in Graphviz's SVG) and ``api`` (the entry points).

Options (keyword-only, the same for every function; ``None`` means the default):

- ``labels="both"``: edge labels ``∂e/∂c = d = 2`` (``"symbolic"``: ``∂e/∂c = d``,
  ``"numeric"``: ``∂e/∂c = 2``, ``"none"``: no edge labels; highlights stay).
- ``theme="light"`` or ``"dark"`` (Okabe–Ito colours; states also differ by border style,
  so greyscale prints read).
- ``path=None``: a ``Path`` from ``g.paths(src, dst)`` to highlight, with its product as caption.
- ``rankdir="BT"``: inputs at the bottom, the output on top, as in colah's figures
  (``"LR"``, ``"TB"``, ``"RL"`` also work).
- ``collapse=None``: draw name scopes as clusters, and one box per top-level scope only
  above ``max_nodes``; ``True`` always collapses, ``False`` never (then a graph above
  ``max_nodes`` raises ``GraphTooLargeError``). ``"neurons"`` draws every node whose value
  one other node alone uses inside that node's box: a scalar network's neuron (weights,
  products, sum, bias, activation) is one box titled ``v987: tanh``.
- ``max_nodes=1500``: most boxes handed to Graphviz (checked before it starts).
- ``timeout=60``: seconds before Graphviz is stopped (``DotTimeoutError``).
- ``dpi=150``: resolution of ``.png`` files (vector formats ignore it).
- ``show_constants=False``: scalar constants are written into expressions (``d = b + 1``);
  ``True`` draws them as small dashed nodes. Array and named constants are always drawn.
- ``digits=4``: significant digits of numbers.
- ``caption=None``: automatic caption (a frame's chain rule and the stored values it
  reads, a path's product); ``False`` for none, or a str.
- ``max_label=40``: names longer than this are clipped with an ellipsis.
- ``derivative_placeholder=None``: in a plain graph, the text of every node's derivative
  line (``{name}`` is replaced by the node's name), e.g. ``"∂e/∂{name} = ?"``, so that a
  front-end has room to write derivatives in; by default that line is a 2-pt blank. In a
  sweep frame it is used for the nodes that sweep never reaches. A collapsed box then also
  gets a line of progress ("12 of 12 adjoints known") to rewrite.
- ``derivative_reserve=None``: ``{node index: text}``, the widest derivative line a
  front-end will write into a node (e.g. every sweep's result there); the node is laid out
  for it and shows it (in every frame and state) until the front-end writes its own line,
  so nothing written later spills out of its box.
- ``entry_reserve=None``: ``{node index: text}``, for a node whose derivative is a small
  array (drawn as a matrix, below), the widest entry a front-end will write into it; each
  entry of the node's derivative matrix is laid out for (and shows) that text until then.

SVG ids and classes (for front-ends that restyle or animate the drawing):

- every drawn node's outer ``<g>`` has ``id="node-n<index>"``; inside it, the ``<text>``
  with ``id="value-n<index>"`` holds the value alone (``3``, ``[2×3] mean 0.1, ...``) and
  the ``<text>`` with ``id="deriv-n<index>"`` holds the derivative line (``∂e/∂c = 2``;
  ``∂e/∂c = ?`` while pending). In a plain graph that text is a 2-pt no-break space (or
  ``derivative_placeholder``), so it is always there to be filled in.
- a small array (up to 16 entries, one or two dimensions) is written out as a matrix in its
  node (a vector of up to 6 entries as a column): its value's entries are plain texts, and
  when its derivative is a small array too, ``deriv-n<index>`` holds ``∂C/∂W2 =`` and the
  ``<text>`` with ``id="deriv-n<index>-<k>"`` holds entry ``k`` (in row-major order).
- every drawn edge's outer ``<g>`` has ``id="edge-e<dst>_<slot>"`` (edges from constants
  are drawn only when their constant is).
- scope clusters: ``id="cluster-<k>"``; collapsed scope boxes: ``id="scope-<k>"`` (``k``
  numbers scopes in order of first appearance); merged edges between boxes:
  ``id="edge-<tail>-<head>"`` with tail/head ``n<index>`` or ``scope<k>``. The caption of
  a frame: ``id="caption"``.
- classes (after Graphviz's own ``node``/``edge``/``cluster``): nodes ``input``, ``const``
  or ``op``, plus ``output``; in a sweep frame ``done``, ``current``, ``pending`` or ``off``
  (never visited); ``read`` on nodes whose stored value the current reverse step reads;
  ``path`` on a highlighted path. Edges: ``const`` (from a constant, not differentiated),
  ``term`` (a chain-rule term of the current step), ``path``, ``collapsed``. Clusters and
  boxes: ``scope``.

A node and an edge of ``g.reverse().to_svg(step=3)`` for colah's graph (``dot`` 2.43)::

    <g id="node-n2" class="node op done">
    <title>n2</title>
    <polygon fill="#cbebdd" stroke="#4d4d4d" stroke-width="1.2" points="..."/>
    <text ... font-weight="bold" font-size="14.00" fill="#1a1a1a">c</text>
    <text ... font-size="14.00" fill="#1a1a1a"> = a + b</text>
    <text ... font-size="12.00" fill="#707070">= </text>
    <text id="value-n2" ... font-size="12.00" fill="#707070">3</text>
    <text id="deriv-n2" ... font-size="12.00" fill="#00664a">∂e/∂c = 2</text>
    </g>
    <g id="edge-e2_1" class="edge term">
    <title>n1-&gt;n2</title>
    <path fill="none" stroke="#d55e00" stroke-width="2.6" d="..."/>
    <polygon fill="#d55e00" stroke="#d55e00" stroke-width="2.6" points="..."/>
    <text ... fill="#333333"> ∂c/∂b = 1</text>
    <text ... font-weight="bold" ... fill="#d55e00"> ∂e/∂c·∂c/∂b = 2·1 = 2</text>
    </g>
"""

from .api import FORMATS, mimebundle, save, svg_later, to_dot, to_svg
from .engine import ENGINE_VARIABLE, dot_available
from .options import (
    INSTALL_HINT,
    THEMES,
    DotFailedError,
    DotNotFoundError,
    DotTimeoutError,
    DotWarning,
    GraphTooLargeError,
    Options,
    RenderError,
    RenderOptionError,
    Theme,
)
from .text import DrawnNames

__all__ = [
    "to_dot", "to_svg", "svg_later", "save", "mimebundle", "dot_available", "FORMATS", "ENGINE_VARIABLE",
    "Options", "Theme", "THEMES", "DrawnNames",
    "RenderError", "RenderOptionError", "GraphTooLargeError", "DotNotFoundError", "DotTimeoutError",
    "DotFailedError", "DotWarning", "INSTALL_HINT",
]
