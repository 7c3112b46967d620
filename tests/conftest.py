"""Test-session set-up shared by every test directory.

Kernel specs start ``python`` from PATH; put the interpreter running the tests first, so
that notebooks and JupyterLab kernels run the same Python (and graphviz_ad) as the tests.
"""

import os
import sys

_here = os.path.dirname(sys.executable)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _here:
    os.environ["PATH"] = _here + os.pathsep + os.environ.get("PATH", "")


import pytest  # noqa: E402

PYTHON_DEFAULT_RECURSION_LIMIT = 1000


@pytest.fixture
def default_recursion_limit():
    """Python's default recursion limit for one test (jedi, imported by IPython, raises it to 3000)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(PYTHON_DEFAULT_RECURSION_LIMIT)
    yield PYTHON_DEFAULT_RECURSION_LIMIT
    sys.setrecursionlimit(previous)
