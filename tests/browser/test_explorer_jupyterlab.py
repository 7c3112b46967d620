"""The Explorer in a real JupyterLab: run a notebook, click through both sweeps, and check
that the kernel sees the clicked step (and that setting the step in Python moves the view)."""

import re
from pathlib import Path

import nbformat
import pytest

from .explorer_pages import COLAH, counter, explanation, screenshot_dir, wait_text
from .harness import JupyterLabServer, cell_outputs_text, open_notebook, run_all_cells

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
_CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell"


def write_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import graphviz_ad as ad\n"
            "from graphviz_ad.widget import explore\n"
            f"g = ad.parse({COLAH!r}, a=2, b=1)\n"
            "explorer = explore(g)\n"
            "explorer"),
        nbformat.v4.new_code_cell("print('python sees', explorer.mode, explorer.wrt, explorer.step)"),
    ]
    nbformat.write(nb, path)
    return path


def run_cell(page, index: int, code: str | None = None) -> None:
    """Run code cell ``index`` again (after replacing its source with ``code``, if given)."""
    cell = page.locator(_CELLS).nth(index)
    prompt = cell.locator(".jp-InputArea-prompt")
    before = prompt.text_content().strip()
    cell.locator(".jp-InputArea-editor").click()
    if code is not None:
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(code)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "([el, before]) => /^\\[\\d+\\]:$/.test(el.textContent.trim()) && el.textContent.trim() !== before",
        arg=[prompt.element_handle(), before], timeout=30_000)


def test_click_through_both_sweeps_and_python_sees_the_step(page, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the kernel imports this checkout
    source = write_notebook(tmp_path / "explorer.ipynb")
    with JupyterLabServer() as server:
        name = server.copy_notebook(source)
        open_notebook(page, server, name)
        run_all_cells(page)
        widget = page.locator(".gad-explorer")
        widget.locator(".gad-svg").wait_for(timeout=30_000)
        assert counter(page) == "1 / 5"
        assert "python sees reverse a 0" in cell_outputs_text(page)[1]

        # reverse sweep from e, colah's numbers
        nxt = widget.get_by_role("button", name="Next step")
        nxt.click()
        assert explanation(page) == "∂e/∂d = ∂e/∂e·∂e/∂d = 1·3 = 3"
        nxt.click()
        assert explanation(page) == "∂e/∂c = ∂e/∂e·∂e/∂c = 1·2 = 2"
        nxt.click()
        assert explanation(page) == "∂e/∂b = ∂e/∂c·∂c/∂b + ∂e/∂d·∂d/∂b = 2·1 + 3·1 = 5"
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-reverse.png"))
        run_cell(page, 1)
        assert "python sees reverse a 3" in cell_outputs_text(page)[1]

        # forward sweep from b, switched and stepped in the browser
        widget.get_by_label("Mode").select_option("forward")
        widget.get_by_label("Input X").select_option("b")
        assert counter(page) == "1 / 5"
        widget.focus()
        page.keyboard.press("End")
        assert explanation(page) == "de/db = ∂e/∂c·dc/db + ∂e/∂d·dd/db = 2·1 + 3·1 = 5"
        widget.get_by_role("button", name="Previous step").click()
        assert explanation(page) == "dd/db = ∂d/∂b·db/db = 1·1 = 1"
        page.screenshot(path=str(screenshot_dir(tmp_path) / "jupyterlab-forward.png"))
        run_cell(page, 1)
        assert "python sees forward b 3" in cell_outputs_text(page)[1]

        # and the other way: Python moves the view
        run_cell(page, 1, "explorer.mode = 'reverse'\nexplorer.step = 4\nprint('moved', explorer.step)")
        assert "moved 4" in cell_outputs_text(page)[1]
        wait_text(widget.locator(".gad-formula"), "∂e/∂a = ∂e/∂c·∂c/∂a = 2·1 = 2")
        assert counter(page) == "5 / 5"
        assert not re.search(r"Error|Traceback", " ".join(cell_outputs_text(page)))
