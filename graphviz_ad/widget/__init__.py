"""The Explorer widget: step through forward and reverse sweeps in Jupyter or in plain HTML.

``explore(g)`` returns an anywidget ``Explorer``; ``explorer.save_html(path)`` writes a
kernel-free page. The browser side is ``js/*.js`` (joined by ``script.py``, no build step) + ``explorer.css``.
"""

from .data import explorer_data
from .explorer import MODES, Explorer, ExplorerError, explore
from .standalone import page_html, save_html

__all__ = ["explore", "Explorer", "ExplorerError", "MODES", "explorer_data", "page_html", "save_html"]
