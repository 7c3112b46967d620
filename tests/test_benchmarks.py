"""The benchmark suite runs (``--quick``: small sizes, no timing assertions) and writes its table."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.requirements import required

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_benchmark_run_writes_every_row(tmp_path):
    required("micrograd")
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--output", str(out)],
                          capture_output=True, text=True, timeout=1200, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    table = out.read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| workload")]
    workloads = " ".join(rows)
    for expected in ["micrograd demo", "reverse sweep ÷ trace", "chain", "MLP 784-256-10", "R^1000",
                     "collapsed", "Next step", "rendering work", "mode switch", "ad.explore() ÷ dot", "page size",
                     "len(sweep.steps)"]:
        assert expected in workloads, expected
    assert sum(row.startswith("| render ") for row in rows) == 3  # 100, 300 and 1,000 nodes
    # The goal is set at 1,000 nodes: the smaller graphs are trend rows, marked neither way.
    assert [row.split(" | ")[-1] for row in rows if row.startswith("| render ")][:2] == ["— |", "— |"]
    mlp_row = next(row for row in rows if "value+grad ÷ numpy forward" in row)
    assert "numpy by hand" in mlp_row and "minimal tape" in mlp_row  # the floor, beside our figure
    assert mlp_row.endswith("| — |")  # reported, with no pass/fail
    record = next(row for row in rows if "value+grad ÷ hand-written numpy backprop" in row)
    assert "| ≤ 1.3 |" in record  # the goal of record
    assert (tmp_path / "modes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bytecode_count_splits_our_call_into_phases():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bytecodes.py")], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    totals = [int(line.split(": ")[1].split(" bytecodes")[0].replace(",", "")) for line in lines]
    assert len(totals) == 3 and totals[0] > totals[1] > totals[2] > 0  # ours, minimal tape, by hand
    for phase in ("trace set-up", "recording", "reverse sweep", "rest"):
        assert phase in lines[0]
