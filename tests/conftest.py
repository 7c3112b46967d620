"""Test-session set-up shared by every test directory.

Kernel specs start ``python`` from PATH; put the interpreter running the tests first, so
that notebooks and JupyterLab kernels run the same Python (and graphviz_ad) as the tests.
"""

import os
import sys

_here = os.path.dirname(sys.executable)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _here:
    os.environ["PATH"] = _here + os.pathsep + os.environ.get("PATH", "")
