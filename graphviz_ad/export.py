"""Notebooks to HTML pages for a course site: executed, with explorers that step with no
kernel and load nothing from the network.

An explorer's output carries, beside the widget view, its self-contained page as
``text/html``; the export drops the widget view (which would need a widget manager from a
CDN) so that page is what is shown, and uses a template without CDN script tags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

__all__ = ["export_notebooks", "WIDGET_VIEW"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_TEMPLATES = Path(__file__).parent / "templates"


def _kernel_free(nb) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]


def export_notebooks(notebooks: Iterable[str | Path], out_dir: str | Path, *, execute: bool = True,
                     timeout: int = 600) -> list[Path]:
    """Execute each notebook (in its own folder) and write ``<name>.html`` into ``out_dir``."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="kernel_free", extra_template_basedirs=[str(_TEMPLATES)])
    written = []
    for source in map(Path, notebooks):
        nb = nbformat.read(source, as_version=4)
        if execute:
            NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=False,
                           resources={"metadata": {"path": str(source.parent)}}).execute()
        _kernel_free(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": source.stem}})
        target = out / f"{source.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written
