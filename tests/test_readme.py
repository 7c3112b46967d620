"""The README's Python examples run, and what they print is what the README says."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_readme_example_runs_and_prints_what_it_claims(number):
    code = BLOCKS[number]
    claimed = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README.md example {number + 1}", "exec"), {"__name__": "readme"})
    printed_lines = [line.strip() for line in printed.getvalue().splitlines()]
    assert [line.strip() for line in claimed] == [line for line in printed_lines if line]


def test_the_readme_picture_is_what_the_package_draws():
    import importlib.util
    import xml.etree.ElementTree as ET

    spec = importlib.util.spec_from_file_location("make_picture", README.parent / "docs" / "make_picture.py")
    make_picture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_picture)
    assert "(docs/colah-reverse.svg)" in README.read_text(encoding="utf-8").split("## Set up")[0]

    def texts(svg: str) -> list[str]:  # what the picture says (positions differ between Graphviz builds)
        return [el.text for el in ET.fromstring(svg.encode("utf-8")).iter("{http://www.w3.org/2000/svg}text")]

    checked_in = make_picture.PICTURE.read_text(encoding="utf-8")
    assert texts(checked_in) == texts(make_picture.draw())
    assert "∂e/∂b = 5" in texts(checked_in)
