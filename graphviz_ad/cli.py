"""The ``graphviz-ad`` command line (also ``python -m graphviz_ad``).

``graphviz-ad render "c = a + b; d = b + 1; e = c * d" --at a=2 b=1 --mode reverse --step 3 -o fig.svg``
draws an expression (read by the safe parser) as a graph or as one frame of a sweep; the
format comes from the file extension. ``graphviz-ad html "..." --at a=2 b=1 -o page.html``
writes the explorer as one kernel-free page. Each subcommand is one ``add_<name>`` function in
``COMMANDS``; every expected error ends the program with a one-line message and status 1
(bad usage: status 2), never a traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from typing import Callable, Sequence

from .errors import GraphvizADError, ParseError

__all__ = ["main", "build_parser", "COMMANDS", "UsageError"]

PROG = "graphviz-ad"


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print the whole usage first
        raise UsageError(f"{self.prog}: {message} (see --help)")


# ---------------------------------------------------------------------------
# render

def _assignment(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, got {text!r}")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}={value!r} is not a number") from None
    if not math.isfinite(number):
        raise argparse.ArgumentTypeError(f"{name}={value} must be a finite number")
    return name, number


def _add_expression_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", help='statements like "c = a + b; d = b + 1; e = c * d"')
    parser.add_argument("--at", metavar="NAME=VALUE", nargs="+", type=_assignment, action="extend", default=[],
                        help="input values, e.g. --at a=2 b=1")


def add_render(commands: argparse._SubParsersAction) -> None:
    from .render.options import LABEL_MODES, RANKDIRS, THEMES

    parser = commands.add_parser(
        "render", help="draw an expression's graph, or one step of a sweep, to .svg/.png/.pdf/.dot",
        description="Draw an expression's computational graph (or a frame of a forward or reverse sweep) "
                    "to a file; the format comes from the extension: .svg, .png, .pdf, .dot.")
    _add_expression_arguments(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write (.svg .png .pdf .dot)")
    parser.add_argument("--mode", choices=("forward", "reverse"), help="draw a sweep instead of the plain graph")
    parser.add_argument("--wrt", metavar="INPUT", help="forward mode: the input to differentiate by")
    parser.add_argument("--of", metavar="NODE", help="reverse mode: the node to differentiate (default: the output)")
    parser.add_argument("--step", type=int, metavar="K",
                        help="draw the sweep after step K (0-based; negative counts from the end); default: finished")
    parser.add_argument("--labels", choices=LABEL_MODES, help="edge labels (default: both)")
    parser.add_argument("--theme", choices=tuple(THEMES), help="colours (default: light)")
    parser.add_argument("--rankdir", choices=RANKDIRS, help="direction of the drawing (default: BT, inputs at the bottom)")
    parser.add_argument("--dpi", type=float, help="resolution of .png output (default: 150)")
    parser.add_argument("--show-constants", action="store_true", default=None, help="draw constants as nodes")
    parser.add_argument("--collapse", choices=("auto", "yes", "no"), default="auto",
                        help="one box per name scope: auto (above --max-nodes), yes, no")
    parser.add_argument("--max-nodes", type=int, metavar="N", help="most nodes to draw (default: 1500)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="stop Graphviz after this long (default: 60)")
    parser.add_argument("--no-caption", dest="caption", action="store_false", default=None,
                        help="leave out the caption over a sweep frame")
    parser.set_defaults(run=run_render)


def _input_values(args: argparse.Namespace) -> dict[str, float]:
    values: dict[str, float] = {}
    for name, number in args.at:
        if name in values:
            raise UsageError(f"{PROG} {args.command}: --at gives {name} twice")
        values[name] = number
    return values


def run_render(args: argparse.Namespace) -> int:
    from .parsing import parse

    values = _input_values(args)
    if args.mode is None and (args.step is not None or args.wrt or args.of):
        raise UsageError(f"{PROG} render: --step, --wrt and --of need --mode forward or --mode reverse")
    if args.mode == "forward" and args.of:
        raise UsageError(f"{PROG} render: --of is for --mode reverse; forward mode takes --wrt")
    if args.mode == "reverse" and args.wrt:
        raise UsageError(f"{PROG} render: --wrt is for --mode forward; reverse mode takes --of")
    graph = parse(args.expression, **values)
    options = {"labels": args.labels, "theme": args.theme, "rankdir": args.rankdir, "dpi": args.dpi,
               "show_constants": args.show_constants, "max_nodes": args.max_nodes, "timeout": args.timeout,
               "collapse": {"auto": None, "yes": True, "no": False}[args.collapse], "caption": args.caption}
    if args.mode is None:
        graph.save(args.output, **options)
    else:
        sweep = graph.forward(wrt=args.wrt) if args.mode == "forward" else graph.reverse(of=args.of)
        sweep.save(args.output, step=args.step, **options)
    return 0


# ---------------------------------------------------------------------------
# html

def add_html(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "html", help="write the step-through explorer for an expression as one kernel-free HTML page",
        description="Write the explorer (forward, reverse and paths modes) for an expression as one "
                    "self-contained HTML file that works from file:// with no network: for course pages.")
    _add_expression_arguments(parser)
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    parser.add_argument("--mode", choices=("reverse", "forward", "paths"), default="reverse",
                        help="the view shown first (default: reverse)")
    parser.add_argument("--wrt", metavar="INPUT", help="the input of the forward sweep (or paths) shown first")
    parser.add_argument("--of", metavar="NODE", help="the output of the reverse sweep (or paths) shown first")
    parser.add_argument("--title", help="page title (default: the expression)")
    parser.set_defaults(run=run_html)


def run_html(args: argparse.Namespace) -> int:
    from .parsing import parse
    from .widget import explore

    graph = parse(args.expression, **_input_values(args))
    path = explore(graph, mode=args.mode, wrt=args.wrt, of=args.of).save_html(args.output, title=args.title)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


# ---------------------------------------------------------------------------
# export

def add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="execute notebooks and write kernel-free HTML pages for a course site",
        description="Execute notebooks and write one HTML page each; explorers in them keep stepping "
                    "with no kernel, and the pages load nothing from the network.")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK_OR_FOLDER",
                        help="notebook files, or folders whose *.ipynb are all exported")
    parser.add_argument("-o", "--output", required=True, metavar="FOLDER", help="where to write the pages")
    parser.add_argument("--no-execute", dest="execute", action="store_false",
                        help="convert the notebooks as they are, without running them")
    parser.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .export import export_notebooks

    sources: list[Path] = []
    for item in map(Path, args.notebooks):
        found = sorted(item.glob("*.ipynb")) if item.is_dir() else [item]
        if not found or not all(p.is_file() for p in found):
            raise UsageError(f"{PROG} export: no notebook at {item}")
        sources += found
    for page in export_notebooks(sources, args.output, execute=args.execute):
        print(f"wrote {page}")
    return 0


COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (add_render, add_html, add_export)


# ---------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="See automatic differentiation: draw computational graphs and sweeps.")
    commands = parser.add_subparsers(title="commands", dest="command", required=True, parser_class=_Parser)
    for add in COMMANDS:
        add(commands)
    return parser


def _one_line(err: BaseException) -> str:
    if isinstance(err, ParseError):
        return str(err).splitlines()[0]
    return " ".join(str(err).split())


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"{PROG}: warning: {_one_line(message) if isinstance(message, Warning) else message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            args = build_parser().parse_args(argv)
            return args.run(args)
        except UsageError as err:
            print(_one_line(err), file=sys.stderr)
            return 2
        except GraphvizADError as err:
            print(f"{PROG}: error: {_one_line(err)}", file=sys.stderr)
            return 1
        except OSError as err:  # the output file could not be written
            print(f"{PROG}: error: {_one_line(err)}", file=sys.stderr)
            return 1
        except ImportError as err:  # an optional part (export needs nbformat, nbconvert, ...)
            print(f"{PROG}: error: {err.name or 'a module'} is not installed; "
                  f"pip install \"graphviz-ad[notebooks]\"", file=sys.stderr)
            return 1
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # noqa: BLE001 (the command line promises one line, never a traceback)
            if os.environ.get("GRAPHVIZ_AD_DEBUG"):
                raise
            print(f"{PROG}: error: unexpected {type(err).__name__}: {_one_line(err)} "
                  "(please report this; GRAPHVIZ_AD_DEBUG=1 shows the traceback)", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
