"""mkdocs plugin for mkdocs-jupyter pages: ``plugins: [mkdocs-jupyter, graphviz-ad]``.

mkdocs-jupyter executes each notebook with nbconvert, saving its widget state, so a page shows
the explorer's widget view, which needs require.js and a widget manager from CDNs and is blank
(``define is not defined``) even online. mkdocs-jupyter takes no preprocessor of its own, but
it reads the user's nbconvert configuration: while it renders a page, this plugin adds a
configuration directory that appends :class:`~graphviz_ad.sites.nbconvert.KernelFreeExplorers`
to the HTML exporter's preprocessors, so each explorer is written as its kernel-free page, and
the page loads MathJax from its CDN only when the notebook has math (as the package's own
nbconvert exporter does).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from mkdocs.plugins import BasePlugin, event_priority

from .explorers import EXPLORER_PAGE_MARK, has_markdown_math

__all__ = ["KernelFreeExplorersPlugin"]

_PREPROCESSOR = "graphviz_ad.sites.nbconvert.KernelFreeExplorers"
# nbconvert's MathJax loader and its configuration script, as its base/mathjax.html.j2 writes them.
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


class KernelFreeExplorersPlugin(BasePlugin):
    """Show every explorer of a mkdocs-jupyter page as its kernel-free page."""

    def __init__(self) -> None:
        super().__init__()
        self._config_dir: str | None = None

    def on_config(self, config: Any) -> Any:
        self._config_dir = _nbconvert_config_dir()
        # mkdocs-jupyter caches each page under a key that knows nothing of this plugin: keep
        # its kernel-free pages apart from the widget-view pages of builds without it.
        jupyter = config["plugins"].get("mkdocs-jupyter")
        if jupyter is not None and jupyter.config.get("cache") and jupyter.config.get("cache_dir"):
            cache = Path(jupyter.config["cache_dir"])
            if cache.name != "graphviz-ad":
                jupyter.config["cache_dir"] = str(cache / "graphviz-ad")
        return config

    # After mkdocs-jupyter's on_pre_page (whatever the order in mkdocs.yml): it replaces the
    # page's render with its notebook conversion, which this wraps.
    @event_priority(-100)
    def on_pre_page(self, page: Any, config: Any, files: Any) -> Any:
        render = page.render
        config_dir = self._config_dir

        def render_kernel_free(*args: Any, **kwargs: Any) -> Any:
            with _nbconvert_config_added(config_dir):
                return render(*args, **kwargs)

        page.render = render_kernel_free
        return page

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        source = getattr(page.file, "abs_src_path", None) or ""
        if source.endswith(".ipynb") and EXPLORER_PAGE_MARK in html and not _has_math(Path(source)):
            html = _MATHJAX.sub("", html)
        return html

    def on_post_build(self, config: Any) -> None:
        self._clean_up()

    def on_build_error(self, error: Exception) -> None:
        self._clean_up()

    def _clean_up(self) -> None:
        if self._config_dir:
            shutil.rmtree(self._config_dir, ignore_errors=True)
            self._config_dir = None


def _nbconvert_config_dir() -> str:
    """A directory holding a jupyter_nbconvert_config.json that runs KernelFreeExplorers after
    nbconvert's own preprocessors (execution first): its list is nbconvert's defaults, read
    from the installed nbconvert, plus ours."""
    from nbconvert.exporters import HTMLExporter

    defaults = [p if isinstance(p, str) else f"{p.__module__}.{p.__name__}"
                for p in HTMLExporter().default_preprocessors]
    folder = tempfile.mkdtemp(prefix="graphviz-ad-mkdocs-")
    settings = {
        "HTMLExporter": {"default_preprocessors": [*defaults, _PREPROCESSOR]},
        "KernelFreeExplorers": {"enabled": True},
    }
    Path(folder, "jupyter_nbconvert_config.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")
    return folder


@contextmanager
def _nbconvert_config_added(folder: str | None) -> Iterator[None]:
    """nbconvert apps started meanwhile (mkdocs-jupyter's) also read ``folder``'s configuration."""
    if folder is None:
        yield
        return
    before = os.environ.get("JUPYTER_CONFIG_PATH")
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (folder, before) if p)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("JUPYTER_CONFIG_PATH", None)
        else:
            os.environ["JUPYTER_CONFIG_PATH"] = before


def _has_math(notebook: Path) -> bool:
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return True  # (unreadable here: keep MathJax, as mkdocs-jupyter wrote it)
    return has_markdown_math(cells)
