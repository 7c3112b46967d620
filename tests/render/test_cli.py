"""The ``graphviz-ad`` command line, run as a real subprocess (``python -m graphviz_ad``)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from graphviz_ad import cli

from . import svgtools
from .conftest import COLAH

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "graphviz_ad", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


@pytest.mark.needs_dot
def test_render_a_graph_to_svg(tmp_path):
    done = run("render", COLAH, "--at", "a=2", "b=1", "-o", "fig.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ids = svgtools.ids(svgtools.parse((tmp_path / "fig.svg").read_text(encoding="utf-8")))
    assert svgtools.text(ids["edge-e5_0"]) == "∂e/∂c = d = 2" and ids["value-n5"].text == "6"


@pytest.mark.needs_dot
def test_render_a_reverse_frame(tmp_path):
    done = run("render", COLAH, "--at", "a=2", "b=1", "--mode", "reverse", "--step", "3", "--theme", "dark",
               "--labels", "numeric", "-o", "frame.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ids = svgtools.ids(svgtools.parse((tmp_path / "frame.svg").read_text(encoding="utf-8")))
    assert "current" in svgtools.classes(ids["node-n1"]) and ids["deriv-n1"].text == "∂e/∂b = 5"
    assert "2·1 = 2" in svgtools.texts(ids["edge-e2_1"])


@pytest.mark.needs_dot
def test_a_sweep_without_step_is_drawn_finished(tmp_path):
    done = run("render", COLAH, "--at", "a=2", "b=1", "--mode", "forward", "--wrt", "b", "-o", "f.svg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ids = svgtools.ids(svgtools.parse((tmp_path / "f.svg").read_text(encoding="utf-8")))
    assert ids["deriv-n5"].text == "de/db = 5" and "?" not in svgtools.text(ids["graph0"])


@pytest.mark.needs_dot
def test_render_png_and_pdf(tmp_path, graphviz_engine):
    assert run("render", COLAH, "--at", "a=2", "b=1", "--dpi", "72", "-o", "g.png", cwd=tmp_path).returncode == 0
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    done = run("render", COLAH, "--at", "a=2", "b=1", "-o", "g.pdf", cwd=tmp_path)
    if graphviz_engine == "bundled":  # one line naming what to do, no traceback, no file
        assert done.returncode == 1 and "PDF needs the system Graphviz" in done.stderr
        assert "Traceback" not in done.stderr and not (tmp_path / "g.pdf").exists()
        return
    assert done.returncode == 0
    assert (tmp_path / "g.pdf").read_bytes().startswith(b"%PDF-")


def test_render_dot_text(tmp_path):
    done = run("render", "y = x * x", "--at", "x=3", "--show-constants", "--rankdir", "LR", "-o", "g.dot",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    source = (tmp_path / "g.dot").read_text(encoding="utf-8")
    assert "rankdir=LR" in source and source.count("n0 -> n1") == 2


@pytest.mark.parametrize("args, status, message", [
    (["render", "c = a +", "--at", "a=1", "-o", "x.svg"], 1, "not a valid expression"),
    (["render", "c = a + b", "--at", "a=1", "-o", "x.svg"], 1, "name 'b' has no value"),
    (["render", "__import__('os').system('true')", "-o", "x.svg"], 1, "is not allowed"),
    (["render", "c = a + b", "--at", "a=1", "b=one", "-o", "x.svg"], 2, "b='one' is not a number"),
    (["render", "c = a + b", "--at", "a=1", "a=2", "-o", "x.svg"], 2, "--at gives a twice"),
    (["render", "c = a + b", "--at", "a=1", "b=nan", "-o", "x.svg"], 2, "must be a finite number"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "-o", "x.jpeg"], 1, "cannot tell the format"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "--theme", "blue", "-o", "x.svg"], 2, "invalid choice"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "--step", "1", "-o", "x.svg"], 2, "need --mode"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "--mode", "reverse", "--step", "7", "-o", "x.dot"], 1,
     "step=7 is out of range"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "--mode", "forward", "-o", "x.dot"], 1, "choose one"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "--max-nodes", "1", "--collapse", "no", "-o", "x.dot"], 1,
     "max_nodes=1"),
    (["render", "c = a + b", "--at", "a=1", "b=2", "-o", "missing/dir/x.dot"], 1, "No such file or directory"),
    (["render", "c = a + b"], 2, "required: -o/--output"),
    ([], 2, "required: command"),
])
def test_bad_input_is_one_line_and_a_non_zero_status(tmp_path, args, status, message):
    done = run(*args, cwd=tmp_path)
    assert done.returncode == status
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_main_is_the_entry_point(tmp_path, capsys):
    assert cli.main(["render", "y = 2 * x", "--at", "x=1", "-o", str(tmp_path / "y.dot")]) == 0
    assert (tmp_path / "y.dot").exists()
    assert cli.main(["render", "y = 2 *", "-o", str(tmp_path / "z.dot")]) == 1
    assert capsys.readouterr().err.startswith("graphviz-ad: error: not a valid expression")


def test_help_lists_the_render_command(tmp_path):
    done = run("--help", cwd=tmp_path)
    assert done.returncode == 0 and "render" in done.stdout


def test_export_without_the_notebook_extras_is_one_line_naming_them(tmp_path):
    # A plain `pip install graphviz-ad` has no nbformat: stand one in that cannot be imported.
    blocker = tmp_path / "blocked" / "nbformat"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'nbformat'\", name='nbformat')\n")
    notebook = tmp_path / "n.ipynb"
    notebook.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "blocked"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "graphviz_ad", "export", str(notebook), "-o", str(tmp_path / "site")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert done.stderr == 'graphviz-ad: error: nbformat is not installed; pip install "graphviz-ad[notebooks]"\n'
    assert "Traceback" not in done.stderr
