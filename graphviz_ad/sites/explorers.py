"""Finding the explorers in a notebook's outputs and keeping only their kernel-free page."""

from __future__ import annotations

from typing import Any

__all__ = ["EXPLORER_PAGE_MARK", "WIDGET_VIEW", "WIDGET_STATE", "kernel_free", "without_live_explorers",
           "has_markdown_math"]

#: The class of the iframe that carries an explorer's kernel-free page (widget/standalone.py).
EXPLORER_PAGE_MARK = "gad-explorer-frame"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def kernel_free(output: Any) -> bool:
    """Whether a notebook output is an explorer (its kernel-free page is in its text/html)."""
    data = output.get("data") if isinstance(output, dict) else None
    if not data or WIDGET_VIEW not in data:
        return False
    html = data.get("text/html", "")
    return EXPLORER_PAGE_MARK in ("".join(html) if isinstance(html, list) else html)


def without_live_explorers(nb: Any) -> Any:
    """``nb`` with each explorer output reduced to its kernel-free page: the widget view
    and the explorer's saved widget state are dropped, so a static page shows the page
    that steps by itself. Other widgets are left as they are. Changes ``nb`` in place."""
    dropped: set[str] = set()
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if kernel_free(output):
                view = output["data"].pop(WIDGET_VIEW)
                dropped.add(view.get("model_id", "") if isinstance(view, dict) else "")
    metadata = nb.get("metadata", {})
    state = metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    if state is not None:
        for model_id in _with_their_parts(dropped, state):
            state.pop(model_id, None)
        if not state:  # nothing left to embed: no widget manager is loaded (from a CDN) at all
            metadata.pop("widgets")
    return nb


def _with_their_parts(models: set[str], state: dict[str, Any]) -> set[str]:
    """``models`` and the models their state refers to (an explorer's layout model), unless
    a model kept elsewhere refers to them too."""
    found, todo = set(models), list(models)
    while todo:
        entry = state.get(todo.pop(), {})
        for value in entry.get("state", {}).values() if isinstance(entry, dict) else ():
            if isinstance(value, str) and value.startswith("IPY_MODEL_") and value[10:] not in found:
                found.add(value[10:])
                todo.append(value[10:])
    kept = [entry for model_id, entry in state.items() if model_id not in found]
    shared = {part for part in found - models if any(f"IPY_MODEL_{part}" in str(entry) for entry in kept)}
    return found - shared


def has_markdown_math(cells: Any) -> bool:
    """Whether a notebook's markdown cells hold ``$`` math (a page then needs MathJax)."""
    return any(cell.get("cell_type") == "markdown" and "$" in "".join(cell.get("source", "")) for cell in cells)
