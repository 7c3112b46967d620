"""Sphinx extension for myst-nb: ``extensions = ["myst_nb", "graphviz_ad.sites.sphinx"]``.

myst-nb renders a widget view whenever the notebook saved widget state, and that view needs
a widget manager from a CDN: an explorer shows blank offline. This extension makes the
kernel-free page (``text/html``) win for every builder, as myst-nb's
``nb_mime_priority_overrides`` allows, and stops myst-nb loading require.js and the widget
manager from CDNs (``nb_ipywidgets_js``), so the pages make no request off the site. (A
course that also shows other live ipywidgets, which need that manager online, can set
``nb_ipywidgets_js`` back in its conf.py after the extension.)
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup"]

_HTML_FIRST = [("*", "text/html", 0)]


def _prefer_the_kernel_free_page(app: Any, config: Any) -> None:
    overrides = list(getattr(config, "nb_mime_priority_overrides", None) or [])
    config.nb_mime_priority_overrides = _HTML_FIRST + [o for o in overrides if o not in _HTML_FIRST]
    config.nb_ipywidgets_js = {}


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _prefer_the_kernel_free_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
