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
