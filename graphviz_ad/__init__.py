"""graphviz_ad: see automatic differentiation.

Trace ordinary Python into a computational graph, run forward-mode and reverse-mode
sweeps over it step by step, and draw every edge with its local derivative::

    import graphviz_ad as ad
    g = ad.parse("c = a + b; d = b + 1; e = c * d", a=2, b=1)
    g.reverse().gradient      # {'a': 2.0, 'b': 5.0}
    g.forward(wrt="b").result  # 5.0
"""

from .checking import GradCheck, check_grad
from .costs import ModeCost, gradient_costs
from .errors import (
    GraphvizADError,
    NodeLookupError,
    NonFiniteWarning,
    ParseError,
    PathLimitError,
    SeedError,
    ShapeError,
    StepIndexError,
    TraceError,
    UnsupportedMethodError,
)
from .functions import FUNCTIONS, cos, exp, log, maximum, relu, sigmoid, sin, sqrt, tan, tanh
from .graph import Edge, Graph, Node, Path
from .parsing import parse
from .sweeps import ForwardSweep, ReverseSweep, Step, Term
from .tracing import name, scope, trace
from .transforms import grad, jacfwd, jacrev, jvp, value_and_grad, vjp

__version__ = "0.1.0"


def __getattr__(name: str):
    # The widget pulls in anywidget/ipywidgets; load it only when someone asks for it.
    if name in ("explore", "Explorer", "ExplorerError"):
        from . import widget
        return getattr(widget, name)
    if name in FUNCTIONS:  # ad.sinh, ad.arctan2, ...: every elementwise op
        return FUNCTIONS[name]
    raise AttributeError(f"module 'graphviz_ad' has no attribute {name!r}")


__all__ = [
    "trace", "parse", "name", "scope",
    "Graph", "Node", "Edge", "Path", "ForwardSweep", "ReverseSweep", "Step", "Term",
    "grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "check_grad", "GradCheck",
    "gradient_costs", "ModeCost",
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "maximum",
    "GraphvizADError", "TraceError", "ParseError", "ShapeError", "NodeLookupError", "SeedError",
    "StepIndexError", "PathLimitError", "UnsupportedMethodError", "NonFiniteWarning",
    "explore", "Explorer", "ExplorerError",
]
