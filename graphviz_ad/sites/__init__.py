"""Course-site integrations: the explorer steps on pages built from notebooks, offline.

A notebook cell ending in ``ad.explore(g)`` outputs the live widget *and* a kernel-free
page (``text/html``, a sandboxed iframe). Site builders that saved the notebook's widget
state prefer the widget view, which needs a widget manager from a CDN (blank offline).
These integrations make them show the kernel-free page instead, with one line each:

- nbconvert: ``jupyter nbconvert --to graphviz-ad-html --execute notebook.ipynb``
  (:class:`nbconvert.KernelFreeHTMLExporter`), or ``--HTMLExporter.preprocessors=
  graphviz_ad.sites.nbconvert.KernelFreeExplorers`` with any HTML exporter;
- Sphinx + myst-nb: ``extensions = ["myst_nb", "graphviz_ad.sites.sphinx"]``;
- mkdocs-jupyter: ``- graphviz-ad`` under ``plugins:`` in mkdocs.yml (:mod:`.mkdocs`, which
  runs the preprocessor above inside mkdocs-jupyter's nbconvert run).

The live JupyterLab widget is unchanged: only the built pages change.
"""

from .explorers import EXPLORER_PAGE_MARK, kernel_free, without_live_explorers

__all__ = ["EXPLORER_PAGE_MARK", "kernel_free", "without_live_explorers"]
