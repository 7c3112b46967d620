"""Course pages built by real site builders show an explorer that steps, offline: nbconvert
(with the package's exporter), Sphinx + myst-nb (with the package's extension) and
mkdocs-jupyter (with the package's mkdocs plugin), opened over file:// in Chromium, every
request recorded."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.requirements import required

from .harness import record_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CELLS = [
    "import graphviz_ad as ad\ng = ad.parse('c = a + b; d = b + 1; e = c * d', a=2, b=1)",
    "ad.explore(g)",
]


def write_notebook(folder: Path, name: str = "colah.ipynb") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Colah's graph")] + [nbformat.v4.new_code_cell(c) for c in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def run(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done


def step_the_explorer_offline(page, html: Path) -> None:
    """Open ``html`` over file://, find the explorer's kernel-free page in its iframe, click
    Next step twice, and check that no request left the machine."""
    requests = record_requests(page)
    page.goto(html.as_uri())
    frame_element = page.locator("iframe.gad-explorer-frame").first
    frame_element.wait_for(timeout=30_000)
    frame = frame_element.content_frame
    frame.locator(".gad-explorer .gad-svg").wait_for(timeout=30_000)
    assert frame.locator(".gad-counter").text_content() == "1 / 5"
    frame.get_by_role("button", name="Next step").click()
    frame.get_by_role("button", name="Next step").click()
    assert frame.locator(".gad-counter").text_content() == "3 / 5"
    assert frame.locator(".gad-formula").text_content() == "∂e/∂c = ∂e/∂e·∂e/∂c = 1·2 = 2"
    leaving = [url for url in requests if not url.startswith(("file://", "data:", "about:"))]
    assert leaving == [], leaving


def test_nbconvert_with_the_package_exporter(page, tmp_path):
    notebook = write_notebook(tmp_path)
    run(sys.executable, "-m", "jupyter", "nbconvert", "--to", "graphviz-ad-html", "--execute", str(notebook),
        "--output-dir", str(tmp_path / "site"), cwd=tmp_path)
    html = tmp_path / "site" / "colah.html"
    text = html.read_text(encoding="utf-8")
    assert 'type="application/vnd.jupyter.widget-view+json"' not in text  # only the kernel-free page
    assert "unpkg.com" not in text and "cdn.jsdelivr" not in text
    step_the_explorer_offline(page, html)


def test_sphinx_and_myst_nb_with_the_package_extension(page, tmp_path):
    required("myst_nb")
    source = tmp_path / "docs"
    source.mkdir()
    write_notebook(source)
    (source / "conf.py").write_text(
        'project = "course"\n'
        'extensions = ["myst_nb", "graphviz_ad.sites.sphinx"]\n'
        'nb_execution_mode = "force"\n'
        'exclude_patterns = ["_build"]\n', encoding="utf-8")
    (source / "index.md").write_text("# Course\n\n```{toctree}\ncolah\n```\n", encoding="utf-8")
    run(sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(tmp_path / "site"), cwd=tmp_path)
    step_the_explorer_offline(page, tmp_path / "site" / "colah.html")


MKDOCS_YML = """site_name: course
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - mkdocs-jupyter:
      execute: true
{ours}"""


def test_mkdocs_jupyter_with_the_package_plugin(page, tmp_path):
    required("mkdocs_jupyter")
    (tmp_path / "docs").mkdir()
    write_notebook(tmp_path / "docs")
    (tmp_path / "docs" / "index.md").write_text("# Course\n\n[Colah's graph](colah.ipynb)\n", encoding="utf-8")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d"]
    # Without the plugin, mkdocs-jupyter writes the widget view (blank without a CDN widget
    # manager) and caches that page; the plugin's build must not be served from that cache.
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(ours=""), encoding="utf-8")
    run(*mkdocs, str(tmp_path / "plain"), cwd=tmp_path)
    assert "gad-explorer-frame" not in (tmp_path / "plain" / "colah.html").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.format(ours="  - graphviz-ad\n"), encoding="utf-8")
    run(*mkdocs, str(tmp_path / "site"), cwd=tmp_path)
    html = tmp_path / "site" / "colah.html"
    text = html.read_text(encoding="utf-8")
    assert 'type="application/vnd.jupyter.widget-view+json"' not in text
    assert "mathjax" not in text.lower()  # (no math in the notebook: no MathJax from its CDN)
    step_the_explorer_offline(page, html)


def test_the_kernel_free_frame_fits_its_content_in_a_650px_column(page, tmp_path):
    notebook = write_notebook(tmp_path)
    run(sys.executable, "-m", "jupyter", "nbconvert", "--to", "graphviz-ad-html", "--execute", str(notebook),
        "--output-dir", str(tmp_path / "site"), cwd=tmp_path)
    page.set_viewport_size({"width": 650, "height": 900})
    page.goto((tmp_path / "site" / "colah.html").as_uri())
    frame_element = page.locator("iframe.gad-explorer-frame").first
    frame = frame_element.content_frame
    frame.locator(".gad-explorer .gad-svg").wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the page reports its height; the frame follows
    outer = frame_element.bounding_box()
    sizes = "(d => [d.scrollHeight, d.clientHeight, d.scrollWidth, d.clientWidth])(document.documentElement)"
    inner = frame_element.element_handle().content_frame().evaluate(sizes)
    scroll_height, client_height, scroll_width, client_width = inner
    assert scroll_height <= client_height + 1, inner  # no inner vertical scrollbar
    assert scroll_width <= client_width + 1, inner    # nor a horizontal one at 650 px
    assert outer["width"] <= 650
