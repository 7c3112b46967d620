"""``python -m graphviz_ad``: the ``graphviz-ad`` command line."""

import sys

from .cli import main

sys.exit(main())
