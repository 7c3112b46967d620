"""Kernel-free pages: the Explorer as one self-contained HTML file.

The page inlines the CSS, the explorer's script, the SVG and the data, and runs the
module against an in-page model (``createStandaloneModel`` in ``js/base.js``). It makes
no network request of any kind (no CDN, no web fonts), so it works from ``file://``.
"""

from __future__ import annotations

import html
import json
import math
import os
import pathlib
import re
from typing import TYPE_CHECKING, Any

from .script import EXPLORER_CSS, explorer_script

if TYPE_CHECKING:
    from .explorer import Explorer

__all__ = ["page_html", "save_html", "iframe_html", "widget_state", "script_json"]

#: The traits the page needs; everything else is Jupyter plumbing.
_STATE_KEYS = ("step", "mode", "wrt", "of", "controls", "height", "_inputs", "_data")

_BOOT = """
const gadState = JSON.parse(document.getElementById("gad-state").textContent);
gadState._svg = document.getElementById("gad-svg").textContent;
gadState._svg_grouped = document.getElementById("gad-svg-grouped")?.textContent || "";
gadState._standalone = true;
// A link to a step: #mode=reverse&step=4 (the counter's 1-based step), with wrt=/of= for
// the input or output; the address follows the explorer, so it can be copied at any step.
const gadLink = new URLSearchParams(location.hash.slice(1));
if (["reverse", "forward", "paths"].includes(gadLink.get("mode"))) gadState.mode = gadLink.get("mode");
for (const key of ["wrt", "of"]) if (gadLink.get(key) !== null) gadState[key] = gadLink.get(key);
const gadStep = parseInt(gadLink.get("step"), 10);
if (gadStep >= 1) gadState.step = gadStep - 1;
const gadRoot = document.getElementById("gad-root");
const gadModel = createStandaloneModel(gadState);
render({ model: gadModel, el: gadRoot });
let gadLinkTimer = 0;  // (replaceState takes milliseconds: once the stepping pauses, not per step)
gadModel.on("change", () => {
  clearTimeout(gadLinkTimer);
  gadLinkTimer = setTimeout(() => {
    const link = new URLSearchParams({ mode: gadModel.get("mode"), step: String(gadModel.get("step") + 1) });
    if (gadModel.get("mode") !== "reverse") link.set("wrt", gadModel.get("wrt"));
    if (gadModel.get("mode") !== "forward") link.set("of", gadModel.get("of"));
    try { history.replaceState(null, "", "#" + link.toString()); } catch (e) { /* a srcdoc frame has no address */ }
  }, 200);
});
gadRoot.focus({ preventScroll: true });
if (window.parent !== window) {
  // In an iframe (a notebook page, a course site): tell the embedding page how tall the
  // content is, so the frame can fit it with no scrollbar of its own (see iframe_html).
  const tellHeight = () => window.parent.postMessage({ gadHeight: document.documentElement.scrollHeight }, "*");
  new ResizeObserver(tellHeight).observe(document.body);
  tellHeight();
}
"""


def script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so that no text in it
    (a node named ``</script>``, say) can end the element early."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # inf or nan somewhere: JSON has no such numbers, JSON.parse would fail
        text = json.dumps(_without_non_finite(value), ensure_ascii=False, separators=(",", ":"))
    text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # (UTF-8 cannot hold them)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_non_finite(value: Any) -> Any:
    """``value`` with every inf/nan float written as a string ("inf", "-inf", "nan")."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {key: _without_non_finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_non_finite(item) for item in value]
    return value


def widget_state(explorer: "Explorer") -> dict[str, Any]:
    """The synced state the page starts from (without the SVG, which is stored apart), with
    long input and output names clipped as the drawing clips them (see ``_short_names``)."""
    return _short_names({key: getattr(explorer, key) for key in _STATE_KEYS})


def _short_names(state: dict[str, Any]) -> dict[str, Any]:
    """A page has no Python to share names with, so the names that identify inputs and
    outputs (``wrt``, ``of``, the sweeps' keys, the choosers' values) need not be whole: one
    longer than the drawing shows becomes its drawn name and node number (``"w_aaaa…#3"``).
    A 10,000-character name is then stored clipped, as it is drawn (whole in Python only)."""
    data = state["_data"]
    rename: dict[str, str] = {}
    for indices, names in ((data["inputs"], data["input_names"]), (data["outputs"], data["output_names"])):
        for index, name in zip(indices, names):
            drawn = data["nodes"]["name"][index]
            if drawn != name:
                rename[name] = f"{drawn}#{index}"
    if not rename:
        return state
    data = {**data}
    def short(name: str) -> str:  # a whole name, or a whole name and one element: "W[1, 2]"
        if name in rename:
            return rename[name]
        base, bracket, rest = name.rpartition("[")
        return rename[base] + bracket + rest if bracket and base in rename else name

    data["input_names"] = [short(n) for n in data["input_names"]]
    data["output_names"] = [short(n) for n in data["output_names"]]
    for field in ("sweeps", "unavailable"):
        data[field] = {f"{key.partition(':')[0]}:{short(key.partition(':')[2])}": value
                       for key, value in data[field].items()}
    whole_inputs, whole_outputs = state["_data"]["input_names"], state["_data"]["output_names"]
    pairs = {f"{i}>{o}": f"{short(i)}>{short(o)}" for i in whole_inputs for o in whole_outputs}
    data["paths"] = {pairs.get(key, key): value for key, value in data["paths"].items()}
    data["cost"] = {**data["cost"], "reverse": {short(k): v for k, v in data["cost"]["reverse"].items()}}
    data["elements"] = {short(k): v for k, v in data.get("elements", {}).items()}
    return {**state, "_data": data, "wrt": short(state["wrt"]), "of": short(state["of"])}


def _raw_script_text(text: str, what: str) -> str:
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{what} cannot be inlined in a <script> element as it stands")
    return text


def page_html(explorer: "Explorer", *, title: str | None = None) -> str:
    """The whole page as a string."""
    if title is not None and not isinstance(title, str):
        from .explorer import ExplorerError
        raise ExplorerError(f"title must be a str; got {type(title).__name__} {title!r}")
    title = title if title is not None else f"graphviz_ad explorer: {explorer.data['title']}"
    css = EXPLORER_CSS
    js = explorer_script()
    # Graphviz escapes every label, so "<" only ever starts markup in its SVG.
    svg = _raw_script_text(explorer._svg, "the SVG")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Belt and braces for "no network": the page may load nothing from anywhere.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{html.escape(title)}</title>",
        "<style>",
        "body { margin: 0; padding: 12px; background: Canvas; color: CanvasText; }",
        ":root { color-scheme: light dark; }",
        ".gad-page-title { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); "
        "white-space: nowrap; margin: 0; }",
        css,
        "</style>",
        "</head>",
        "<body>",
        # One main landmark and one h1 (for screen readers; the explorer shows its own title).
        "<main>",
        f'<h1 class="gad-page-title">{html.escape(title)}</h1>',
        '<div id="gad-root"></div>',
        "</main>",
        f'<script type="application/json" id="gad-state">{script_json(widget_state(explorer))}</script>',
        f'<script type="image/svg+xml" id="gad-svg">{svg}</script>',
        *([f'<script type="image/svg+xml" id="gad-svg-grouped">'
           f'{_raw_script_text(explorer._svg_grouped, "the grouped SVG")}</script>'] if explorer._svg_grouped else []),
        '<script type="module">',
        _raw_script_text(js, "the explorer's script"),
        _BOOT,
        "</script>",
        "</body>",
        "</html>",
        "",
    ])


def save_html(explorer: "Explorer", path: "str | pathlib.Path", *, title: str | None = None) -> pathlib.Path:
    """Write :func:`page_html` to ``path`` (UTF-8) and return the path."""
    from .explorer import ExplorerError
    if not isinstance(path, (str, os.PathLike)):
        raise ExplorerError(f"save_html needs a file name or path; got {type(path).__name__} {path!r}")
    path = pathlib.Path(path)
    # A lone surrogate (from a title or a function's name) cannot be UTF-8: written as \udxxx.
    path.write_text(page_html(explorer, title=title), encoding="utf-8", errors="backslashreplace")
    return path


# Beside the frame: sizes it to the height its page reports (only messages from that frame,
# only a number). Where scripts do not run (a sanitised viewer) the frame keeps its height.
_FIT_FRAME = ('<script>(function () { var frame = document.currentScript.previousElementSibling; '
              'window.addEventListener("message", function (e) { if (e.source === frame.contentWindow && e.data '
              '&& typeof e.data.gadHeight === "number" && e.data.gadHeight > 0) '
              '{ frame.style.height = Math.ceil(e.data.gadHeight) + "px"; } }); })();</script>')


def iframe_html(explorer: "Explorer") -> str:
    """The page in a sandboxed ``<iframe srcdoc>``: scripts run, but with an opaque origin
    and no access to the embedding page (for notebooks viewed without a widget manager).
    The page reports its height and the script beside the frame fits the frame to it."""
    height = explorer.height + 260
    return (f'<iframe class="gad-explorer-frame" title="graphviz_ad explorer" sandbox="allow-scripts" '
            f'style="width: 100%; height: {height}px; border: 0; display: block;" '
            f'srcdoc="{html.escape(page_html(explorer), quote=True)}"></iframe>{_FIT_FRAME}')
