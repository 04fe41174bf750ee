"""The ``painread`` command: a thin layer over the public API.

Errors become one line on stderr (exit 2 for usage, 1 otherwise); ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

import painread

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"painread: error: {message}\n(see 'painread --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed so docs and tests can inspect it."""
    parser = _Parser(
        prog="painread",
        description="Read 'Kratom pills and chronic pain management', disclaimer included.",
        epilog="examples:\n  painread show\n  painread show --section dosage-and-safety\n"
        "  painread sections",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"painread {painread.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    show = commands.add_parser(
        "show",
        help="print the article (or one section) with its disclaimer",
        epilog=(
            "examples:\n  painread show\n  painread show --section mechanisms-of-action --width 60"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("--section", metavar="ID", help="show only this section (see 'sections')")
    show.add_argument("--width", type=_width, metavar="N", help="wrap text to N columns")
    show.add_argument(
        "--placement",
        choices=painread.PLACEMENTS,
        default="bottom",
        help="where the disclaimer goes (default: bottom)",
    )
    commands.add_parser(
        "sections",
        help="list the table of contents",
        epilog="example:\n  painread sections",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_i18n(commands)
    return parser


def _add_i18n(commands: argparse._SubParsersAction[_Parser]) -> None:
    from painread import i18n

    group = commands.add_parser(
        "i18n",
        help="translator tools: extract, init, update, compile, check, stats",
        epilog="examples:\n  painread i18n extract -o painread.pot\n"
        "  painread i18n init -l fr -d locales\n  painread i18n check locales\n"
        "  painread i18n stats",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i18n.add_subcommands(group)
    group.set_defaults(i18n_parser=group)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting."""
    out = stdout or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args, out)
    except painread.PainreadError as exc:
        if args.debug:
            raise
        print(f"painread: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _show(args: argparse.Namespace, out: TextIO) -> int:
    width = args.width or _terminal_width(out)
    article = painread.load()
    text = painread.render(
        article, "text", section=args.section, placement=args.placement, width=width
    )
    out.write(text)
    return EXIT_OK


def _sections(args: argparse.Namespace, out: TextIO) -> int:
    article = painread.load()
    for entry in article.toc:
        print(f"{entry.id}\t{entry.title}", file=out)
    return EXIT_OK


def _i18n(args: argparse.Namespace, out: TextIO) -> int:
    from painread import i18n

    return i18n.run(args, out, args.i18n_parser)


_COMMANDS = {"show": _show, "sections": _sections, "i18n": _i18n}


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 20 <= width <= 1000:
        raise argparse.ArgumentTypeError(f"width must be between 20 and 1000, got {width}")
    return width


def _terminal_width(out: TextIO) -> int:
    if out.isatty():
        return max(20, min(shutil.get_terminal_size().columns, 100))
    return 80
