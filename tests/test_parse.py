"""The expression parser: the grammar it accepts, and everything it must refuse without running it."""

import numpy as np
import pytest

import graphviz_ad as ad


def test_statements_name_nodes_and_the_last_is_the_output():
    g = ad.parse("c = a + b\nd = b + 1; e = c * d", a=2, b=1)
    assert [n.name for n in g.nodes if n.kind != "const"] == ["a", "b", "c", "d", "e"]
    assert g.output_names == ("e",) and g.value == 6


def test_functions_unary_minus_powers_and_precedence():
    g = ad.parse("-x ** 2 + maximum(sin(x), 0.5) * exp(-x) / sqrt(4)", x=1.0)
    x = 1.0
    assert g.value == pytest.approx(-x ** 2 + max(np.sin(x), 0.5) * np.exp(-x) / 2)
    expected = -2 * x + (np.cos(x) * np.exp(-x) - np.sin(x) * np.exp(-x)) / 2
    assert g.reverse().gradient["x"] == pytest.approx(expected)


def test_arrays_and_matmul():
    g = ad.parse("y = tanh(W @ x)", W=np.eye(2), x=np.array([0.5, -0.5]))
    np.testing.assert_allclose(g.value, np.tanh([0.5, -0.5]))


def test_long_expressions_evaluate_without_recursion(default_recursion_limit):
    text = " + ".join(["x"] * 2000)  # CPython's own parser stops near 3,000 terms
    g = ad.parse(text, x=1.0)
    assert g.value == 2000 and g.reverse().gradient["x"] == 2000
    with pytest.raises(ad.ParseError, match="nested too deeply"):
        ad.parse(" + ".join(["x"] * 4000), x=1.0)


def test_constant_arithmetic_follows_ieee():
    with pytest.warns(ad.NonFiniteWarning):
        g = ad.parse("x / 0", x=1.0)
    assert g.value == float("inf")


@pytest.mark.parametrize("text, fragment, column", [
    ("__import__('os').system('echo pwned')", "calling \"__import__('os').system\" is not allowed", 1),
    ("__import__('os')", "calling '__import__' is not allowed", 1),
    ("x.__class__", "Attribute is not allowed", 1),
    ("x[0]", "Subscript is not allowed", 1),
    ("(lambda: 1)()", "calling", None),
    ("import os", "Import statements are not allowed", 1),
    ("open('/etc/passwd')", "calling 'open' is not allowed", 1),
    ("exec('1')", "calling 'exec' is not allowed", 1),
    ("x if x else 1", "IfExp is not allowed", 1),
    ("[x for x in y]", "ListComp is not allowed", 1),
    ("'abc'", "only numbers are allowed as constants", 1),
    ("True + x", "only numbers are allowed as constants", 1),
    ("1j * x", "only numbers are allowed as constants", 1),
    ("x < 1", "Compare is not allowed", 1),
    ("x // 2", "the operator FloorDiv is not allowed", 1),
    ("sin(x, x)", "sin() takes 1 argument, got 2", 1),
    ("maximum(x)", "maximum() takes 2 arguments, got 1", 1),
    ("sin(x=1)", "plain positional arguments only", 1),
    ("sin", "'sin' is a function", 1),
    ("_x + 1", "names starting with '_' are not allowed", 1),
    ("y + 1", "name 'y' has no value", 1),
    ("x + ", "not a valid expression", None),
    ("a, b = x, x", "only 'name = expression' assignments are allowed", 1),
    ("x = x + 1", "'x' is already defined", 1),
    ("sin = x", "cannot assign to 'sin'", 1),
    ("y = x", "only renames a node", 1),
    ("x.real", "Attribute is not allowed", 1),
    ("f'{x}'", "JoinedStr is not allowed", 1),
    ("", "the expression is empty", None),
    # the offending part is not at the start: the column and the caret must follow it
    ("x + __import__('os')", "calling '__import__' is not allowed", 5),
    ("c = x * 2; d = y + 1", "name 'y' has no value", 16),
    ("x + sin(x, x)", "sin() takes 1 argument, got 2", 5),
    ("x * 'abc'", "only numbers are allowed as constants", 5),
    ("1 + (x < 2)", "Compare is not allowed", 6),
])
def test_refusals_point_at_the_offending_text(text, fragment, column):
    with pytest.raises(ad.ParseError) as caught:
        ad.parse(text, x=1.0)
    message = str(caught.value)
    assert fragment in message
    if column is None:
        return
    assert caught.value.offset == column - 1
    assert f"(line 1, column {column})" in message
    source, caret = message.splitlines()[-2:]
    assert caret == " " * (4 + column - 1) + "^" and source == "    " + text


def test_a_refusal_on_a_later_line_names_that_line():
    with pytest.raises(ad.ParseError) as caught:
        ad.parse("c = x * 2\nd = c + zz", x=1.0)
    assert caught.value.line == 2 and caught.value.offset == 8
    assert "(line 2, column 9)" in str(caught.value)
    assert str(caught.value).splitlines()[-2:] == ["    d = c + zz", " " * 12 + "^"]


def test_the_caret_is_under_the_offender():
    with pytest.raises(ad.ParseError) as caught:
        ad.parse("c = a + b; d = os.system", a=1, b=2)
    lines = str(caught.value).splitlines()
    assert lines[-2].strip() == "c = a + b; d = os.system"
    assert lines[-1].index("^") - lines[-2].index("c") == len("c = a + b; d = ")


def test_nothing_is_evaluated_before_the_whole_text_is_checked(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(ad.ParseError):
        ad.parse(f"y = x + 1; open({str(marker)!r}, 'w')", x=1.0)
    assert not marker.exists()


def test_bad_input_names_and_values():
    with pytest.raises(ad.ParseError, match="input name '__x'"):
        ad.parse("1", __x=1.0)
    with pytest.raises(ad.ParseError, match="is the name of a function"):
        ad.parse("exp + 1", exp=1.0)
    with pytest.raises(ad.TraceError, match="input 'x' is a str"):
        ad.parse("x + 1", x="1")
    with pytest.raises(ad.ParseError, match="needs the expression as a str"):
        ad.parse(b"x + 1", x=1.0)


def test_huge_or_absurdly_nested_text_is_refused_cleanly():
    with pytest.raises(ad.ParseError, match="limit"):
        ad.parse("x+" * 20_000 + "x", x=1.0)
    with pytest.raises(ad.ParseError):
        ad.parse("(" * 1000 + "x" + ")" * 1000, x=1.0)
