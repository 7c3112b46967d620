"""gradient_costs: the forward-vs-reverse cost that colah and Nielsen argue for, measured."""

import pytest

import graphviz_ad as ad
from graphviz_ad.costs import gradient_costs


def pairwise(x):
    total = 0.0
    for a, b in zip(x, x[1:]):
        total = total + ad.tanh(a * b)
    return total


@pytest.mark.parametrize("n", [5, 40])
def test_forward_needs_n_sweeps_reverse_one(n):
    x = [0.1 * (k % 7) - 0.3 for k in range(n)]
    costs = gradient_costs(pairwise, x)
    forward, reverse, fd = costs["forward mode"], costs["reverse mode"], costs["finite differences"]
    assert (forward.runs, reverse.runs, fd.runs) == (n, 1, n + 1)
    assert forward.work == n * reverse.work  # every forward sweep crosses every edge once
    assert reverse.work == ad.trace(pairwise, x).differentiable_edge_count
    assert not reverse.estimated and forward.seconds > 0 and fd.seconds > 0


def test_large_n_times_a_sample_and_says_so():
    costs = gradient_costs(pairwise, [0.01 * k for k in range(120)], max_runs=10)
    assert costs["forward mode"].timed_runs == 10 and costs["forward mode"].estimated
    assert costs["finite differences"].timed_runs == 10


def test_a_wrong_derivative_would_be_caught():
    def nondifferentiable(x):  # relu at its kink: the finite difference and the convention disagree
        return ad.relu(x[0]) + x[1]

    with pytest.raises(AssertionError, match="finite difference disagrees"):
        gradient_costs(nondifferentiable, [0.0, 1.0])
