"""Test requirements that must never turn into silent skips.

``pytest.importorskip`` would skip every test of a module when a requirement is missing,
and a green run would hide the gap; ``required`` fails the collection instead, saying how
to install it.
"""

import importlib
from types import ModuleType

import pytest

INSTALL = "pip install -e '.[test]' (./run test installs it)"


def required(module_name: str) -> ModuleType:
    """Import a test requirement, or fail (never skip) naming it and how to install it."""
    try:
        return importlib.import_module(module_name)
    except ImportError as err:
        pytest.fail(f"{module_name} is a test requirement and is missing ({err}); {INSTALL}", pytrace=False)
