"""``save`` by extension: SVG, PNG (with dpi), PDF and DOT files that really open."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PIL import Image

from graphviz_ad import render

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.mark.needs_dot
def test_png_has_its_magic_opens_and_follows_dpi(colah, tmp_path):
    small = colah.save(tmp_path / "small.png", dpi=72)
    large = colah.save(tmp_path / "large.png", dpi=144)
    assert small == tmp_path / "small.png"
    assert small.read_bytes().startswith(PNG_MAGIC)
    with Image.open(small) as a, Image.open(large) as b:
        a.load()
        assert a.format == "PNG" and b.format == "PNG"
        assert abs(b.width - 2 * a.width) <= 2 and abs(b.height - 2 * a.height) <= 2


@pytest.mark.needs_dot
def test_dark_png_is_dark(colah, tmp_path):
    with Image.open(colah.save(tmp_path / "dark.png", theme="dark")) as image:
        r, g, b = image.convert("RGB").getpixel((2, 2))
    assert max(r, g, b) < 60


@pytest.mark.needs_dot
def test_pdf_has_its_magic_and_converts_to_an_image(colah, tmp_path, graphviz_engine):
    if graphviz_engine == "bundled":  # (graphviz-pure has no PDF back end: one clear error)
        with pytest.raises(render.RenderError, match="PDF needs the system Graphviz"):
            colah.reverse().save(tmp_path / "frame.pdf", step=2)
        assert not (tmp_path / "frame.pdf").exists()
        return
    pdf = colah.reverse().save(tmp_path / "frame.pdf", step=2)
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm") is None and os.environ.get("CI") != "true":
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        assert image.width > 100 and image.height > 100


@pytest.mark.needs_dot
def test_svg_file_is_the_svg_text(colah, tmp_path):
    path = colah.reverse().save(str(tmp_path / "frame.SVG"), step=1)
    assert path.read_text(encoding="utf-8") == colah.reverse().to_svg(step=1)


def test_dot_file_needs_no_binary(colah, tmp_path):
    for name in ("graph.dot", "graph.gv"):
        path = colah.save(tmp_path / name, labels="symbolic")
        assert path.read_text(encoding="utf-8") == colah.to_dot(labels="symbolic").source


def test_unknown_extension_is_refused_before_drawing(colah, tmp_path):
    with pytest.raises(render.RenderOptionError, match=r"\.svg, \.png, \.pdf, \.dot"):
        colah.save(tmp_path / "graph.jpeg")
    assert not (tmp_path / "graph.jpeg").exists()
