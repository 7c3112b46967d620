"""The Explorer widget: step through forward and reverse sweeps in Jupyter or in plain HTML.

``explore(g)`` returns an anywidget ``Explorer``; ``explorer.save_html(path)`` writes a
kernel-free page. The browser side is ``explorer.js`` + ``explorer.css`` (no build step).
"""

from .explorer import MODES, Explorer, ExplorerError, explore
from .frames import build_frames
from .standalone import page_html, save_html

__all__ = ["explore", "Explorer", "ExplorerError", "MODES", "build_frames", "page_html", "save_html"]
