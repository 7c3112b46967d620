"""Binder, checked offline: repo2docker accepts binder/, and the notebooks run in a fresh
virtual environment made from binder/requirements.txt and binder/postBuild alone."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_binder_has_one_environment_file_and_pins_it():
    assert (BINDER / "requirements.txt").is_file() and not (BINDER / "environment.yml").exists()
    requirements = [line for line in (BINDER / "requirements.txt").read_text().splitlines()
                    if line.strip() and not line.startswith("#")]
    assert requirements and all("==" in line for line in requirements)
    assert "graphviz" in (BINDER / "apt.txt").read_text().split()


def test_repo2docker_accepts_the_repository():
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--no-run", str(ROOT)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout + result.stderr
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "graphviz" in dockerfile and "postBuild" in dockerfile


@pytest.mark.slow
def test_notebooks_run_in_a_fresh_environment_from_binder_alone(tmp_path):
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "VIRTUAL_ENV": str(env_dir), "PYTHONNOUSERSITE": "1"}
    env.pop("PYTHONPATH", None)

    def run(*args, **kwargs):
        result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900, **kwargs)
        assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
        return result

    run(str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt"))
    run("bash", str(BINDER / "postBuild"), cwd=ROOT)
    located = run(str(python), "-c", "import graphviz_ad, sys; print(graphviz_ad.__file__, sys.prefix)")
    assert str(env_dir) in located.stdout  # the package came from the fresh environment
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        run(str(python), "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
            "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path), str(notebook))
