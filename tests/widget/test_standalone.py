"""save_html: one self-contained page, nothing fetched, untrusted names kept inert."""

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

import graphviz_ad as ad
from graphviz_ad.widget import explore


@pytest.fixture
def colah():
    return ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)


def state_of(page):
    match = re.search(r'<script type="application/json" id="gad-state">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_page_is_self_contained(colah, tmp_path):
    path = explore(colah, mode="forward", wrt="b").save_html(tmp_path / "colah.html")
    page = path.read_text(encoding="utf-8")
    assert page.count("<script") == 3 and '<script type="module">' in page
    assert not re.search(r'\b(src|href)\s*=\s*"(?!#)', page), "the page links to something"
    assert "http://" not in page.replace("http://www.w3.org/", "") and "https://" not in page
    assert "@import" not in page and "url(" not in page
    state = state_of(page)
    assert (state["mode"], state["wrt"], state["step"]) == ("forward", "b", 0)
    assert state["_data"]["sweeps"]["forward:b"]["steps"]["text"][4].endswith("= 2·1 + 3·1 = 5")


def test_hostile_names_cannot_break_out_of_the_page(tmp_path):
    def f(x):
        y = ad.name(x * x, "</script><img src=x onerror=alert(1)>")
        return y + 1
    g = ad.trace(f, x=2.0)
    page = explore(g).to_html()
    assert "<img" not in page  # the name only ever appears escaped
    assert "</script><img" not in page
    name = "</script><img src=x onerror=alert(1)>"
    assert name in state_of(page)["_data"]["nodes"]["name"]


def run_cli(*args, cwd):
    root = pathlib.Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "graphviz_ad", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=180)


def test_cli_html_command(tmp_path):
    done = run_cli("html", "c = a + b; d = b + 1; e = c * d", "--at", "a=2", "b=1", "-o", "page.html",
                   "--mode", "forward", "--wrt", "b", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    state = state_of((tmp_path / "page.html").read_text(encoding="utf-8"))
    assert state["_data"]["nodes"]["name"][0] == "a" and state["mode"] == "forward" and state["wrt"] == "b"
    bad = run_cli("html", "c = a +", "--at", "a=2", "-o", "bad.html", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.startswith("graphviz-ad: error: not a valid expression")
    assert "Traceback" not in bad.stderr and not (tmp_path / "bad.html").exists()
    usage = run_cli("html", "x", "--at", "a:2", "-o", "u.html", cwd=tmp_path)
    assert usage.returncode == 2 and "NAME=NUMBER" in usage.stderr
