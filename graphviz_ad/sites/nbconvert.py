"""nbconvert integration: a preprocessor and an HTML exporter that show each explorer's
kernel-free page instead of its widget view (which would need a CDN and show blank offline).

``jupyter nbconvert --to graphviz-ad-html --execute notebook.ipynb`` (the exporter is an
entry point of the package), or add the preprocessor to any exporter:
``--HTMLExporter.preprocessors=graphviz_ad.sites.nbconvert.KernelFreeExplorers``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import default

from .explorers import has_markdown_math, without_live_explorers

__all__ = ["KernelFreeExplorers", "KernelFreeHTMLExporter"]


class KernelFreeExplorers(Preprocessor):
    """Reduce every explorer output to its kernel-free page (runs after execution)."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        # (read by the exporter's template: MathJax is loaded only for a notebook with math)
        resources["graphviz_ad_has_math"] = has_markdown_math(nb.get("cells", []))
        return without_live_explorers(nb), resources


class KernelFreeHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter with :class:`KernelFreeExplorers` run last, and a template
    (``lab`` otherwise) that loads require.js from its CDN only for a page with widgets left:
    a page of explorers makes no request off the machine."""

    export_from_notebook = "HTML (graphviz_ad explorers, kernel-free)"

    @default("template_name")
    def _our_template(self) -> str:
        return "graphviz_ad_html"

    @default("extra_template_basedirs")
    def _our_templates(self) -> list[str]:
        return [os.getcwd(), str(Path(__file__).parent / "templates")]

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        self.register_preprocessor(KernelFreeExplorers, enabled=True)
