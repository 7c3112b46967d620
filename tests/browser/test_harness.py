"""The browser harness against real JupyterLab and real Chromium."""

import json
import re
import socket
import urllib.request
from urllib.parse import urlsplit

import nbformat
import pytest

from .harness import (
    JupyterLabServer,
    cell_outputs_text,
    open_notebook,
    pid_alive,
    record_requests,
    run_all_cells,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # (tests of the test harness itself: CI)


def write_demo_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# harness demo"),
        nbformat.v4.new_code_cell("x = 6*7; print(x)"),
        nbformat.v4.new_code_cell("import os; print('kernel pid', os.getpid())"),
        nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=7, max=10)"),
    ]
    nbformat.write(nb, path)
    return path


def port_open(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return True
    except OSError:
        return False


def test_notebook_runs_and_renders_widget_then_server_stops(page, tmp_path):
    source = write_demo_notebook(tmp_path / "demo.ipynb")
    with JupyterLabServer() as server:
        name = server.copy_notebook(source)
        assert (server.root_dir / name).is_file()
        open_notebook(page, server, name)
        run_all_cells(page)

        outputs = cell_outputs_text(page)
        assert len(outputs) == 3
        assert outputs[0].strip() == "42"
        kernel_pid = int(re.search(r"kernel pid (\d+)", outputs[1]).group(1))

        slider = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-slider")
        slider.wait_for(state="visible", timeout=30_000)
        assert slider.locator(".widget-readout").inner_text().strip() == "7"

        server_pid, root_dir, url = server.pid, server.root_dir, server.url
        assert pid_alive(server_pid) and pid_alive(kernel_pid)

    assert server.process.returncode is not None
    assert not pid_alive(server_pid)
    assert not pid_alive(kernel_pid)
    assert not port_open(url)
    assert not root_dir.exists()


def test_fixture_server_serves_copies_and_disables_news(jupyterlab, page, tmp_path):
    source = write_demo_notebook(tmp_path / "demo.ipynb")
    first, second = jupyterlab.copy_notebook(source), jupyterlab.copy_notebook(source)
    assert first != second
    assert source.read_bytes() == (jupyterlab.root_dir / second).read_bytes()

    request = urllib.request.Request(
        f"{jupyterlab.url}/lab/api/settings/@jupyterlab/apputils-extension:notification",
        headers={"Authorization": f"token {jupyterlab.token}"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        # overrides.json replaces the schema defaults
        defaults = json.load(response)["schema"]["properties"]
    assert defaults["fetchNews"]["default"] == "false"
    assert defaults["checkForUpdates"]["default"] is False

    open_notebook(page, jupyterlab, second)
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").count() == 4
    page_config = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent)"
    )
    assert page_config["news"] == {"disabled": True}


def test_local_html_page_requests_only_file_urls(page, tmp_path):
    (tmp_path / "style.css").write_text("p { color: rgb(1, 2, 3); }")
    (tmp_path / "app.js").write_text("document.title = 'script ran';")
    html = tmp_path / "index.html"
    html.write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="style.css">'
        '<script src="app.js"></script></head><body><p>local</p></body></html>'
    )
    requests = record_requests(page)
    page.goto(html.as_uri())

    assert page.title() == "script ran"
    assert page.eval_on_selector("p", "p => getComputedStyle(p).color") == "rgb(1, 2, 3)"
    expected = {(tmp_path / n).as_uri() for n in ("index.html", "style.css", "app.js")}
    assert expected <= set(requests)
    assert all(url.startswith("file:") for url in requests), requests
