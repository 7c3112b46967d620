"""`pip install graphviz-ad` draws with nothing else installed: the built wheel, in a fresh
venv, with no `dot` anywhere on PATH, renders SVG and PNG through the bundled engine."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DRAW = """
import graphviz_ad as ad
from graphviz_ad.render.engine import choose_engine
g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
svg = g.reverse().to_svg(step=3)
png = g.save("g.png").read_bytes()
print(choose_engine().name, "∂e/∂b = 5" in svg, png[:8] == b"\\x89PNG\\r\\n\\x1a\\n")
"""


@pytest.mark.slow
def test_the_wheel_draws_in_a_fresh_venv_without_system_graphviz(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, timeout=600)
    (wheel,) = wheels.glob("graphviz_ad-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    bare_path = str(tmp_path / "empty-bin")  # no dot, no graphviz-pure on PATH: found beside the venv's python
    os.mkdir(bare_path)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "GRAPHVIZ_AD_ENGINE")}
    env["PATH"] = bare_path
    done = subprocess.run([str(python), "-c", DRAW], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["bundled", "True", "True"]
