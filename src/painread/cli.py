"""The ``painread`` command: a thin layer over the public API.

Everything printed comes from [`painread.load`][] and [`painread.render`][]
(or the article's own data), so the command carries the library's disclaimer
guarantee; it adds a locale from the environment, wrapping to the terminal,
and one-line errors (exit 2 for usage errors, 1 when painread rejects a value
or cannot finish; ``--debug`` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import re
import shlex
import sys
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from typing import TextIO

import painread
from painread import _cli_i18n
from painread import _cli_output as output
from painread._cli_output import EXIT_ERROR, EXIT_OK, EXIT_USAGE, MAX_WIDTH, MIN_WIDTH, command

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the default locale comes from, in gettext's order (see `environment_locales`)."""

_CUT = 40
_NO_LOCALE = re.compile(r"(C|POSIX)?([.@].*)?")  # empty, or the untranslated C locale
_OUTSIDE_SECTIONS = ("title", "summary", "introduction", "conclusion", "article")
_SEARCH = (
    "Find a phrase, ignoring case, accents and typographic quotes. Prints one line\n"
    "per match (where it is, as 'show' takes it: the section id, or 'article' for\n"
    "the title, summary, introduction and conclusion; a tab; a snippet), then the\n"
    "medical disclaimer. No match is not an error: a note on stderr names the\n"
    "locale searched and the locales that have matches, and the exit code is 0."
)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting.

    A command's output is gathered and encoded whole before any of it is
    written, so a reader gets all of it, disclaimer included, or none of it.

    Args:
        argv: The arguments after the program name; ``None`` reads ``sys.argv``.
        stdout: Where output goes (default ``sys.stdout``); errors always go to stderr.
    """
    out = stdout or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if out is None:
        output.error("no standard output to write to (is it closed?)")
        return EXIT_ERROR
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    buffer = io.StringIO()
    args.columns = output.terminal_width(out)  # the real output's, not the buffer's
    try:
        with warnings.catch_warnings():
            warnings.showwarning = output.warning_line
            for directory in args.translations if "translations" in args else ():
                painread.add_translations(directory)  # in order, so the last one given wins
            code: int = args.run(args, buffer)
        output.emit(out, buffer.getvalue())
    except BrokenPipeError:  # the reader went away (painread show | head): nobody to tell
        output.discard_stdout(out)
        return EXIT_ERROR
    except (OSError, painread.PainreadError, UnicodeEncodeError) as exc:
        if isinstance(exc, OSError):
            output.discard_stdout(out)
        if args.debug:
            raise
        output.error(_explain(exc, args.command, out))
        return EXIT_ERROR
    return code


def _explain(exc: Exception, subcommand: str, out: TextIO) -> str:
    """The error's own message, plus what would be valid when the message lacks it."""
    if isinstance(exc, OSError):
        return f"cannot write the output: {exc.strerror or exc}"
    if isinstance(exc, UnicodeEncodeError):
        return output.encoding_problem(exc, out)
    if isinstance(exc, painread.InvalidLocaleError) and subcommand != "i18n":
        return f"{exc}; use a code such as 'de', 'pt-BR' or 'pt_BR' (installed: {_installed()})"
    if isinstance(exc, painread.InvalidQueryError):
        return f"{exc}; give a word or phrase to find"
    if not isinstance(exc, painread.UnknownSectionError):
        return str(exc)
    valid = ", ".join(repr(section) for section in exc.valid)
    message = f"unknown section {_cut(exc.section_id)!r}; valid sections: {valid}"
    if exc.section_id in _OUTSIDE_SECTIONS:
        message += f"; the {exc.section_id} is part of the whole article: run 'painread show'"
    return message


def _cut(value: str) -> str:
    """A value the user typed, shortened for a message: a 100 KB query is not echoed back."""
    return value if len(value) <= _CUT else f"{value[:_CUT]}... ({len(value)} characters)"


def _installed() -> str:
    return ", ".join(painread.available_locales())


def environment_locales(environ: Mapping[str, str] | None = None) -> list[str]:
    """The reader's locale preferences from the environment, best first, by gettext's rules.

    The locale is the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set
    and not empty; if there is none, or it is ``C`` or ``POSIX`` (with any codeset or
    modifier), there is no preference and ``LANGUAGE`` is ignored. Otherwise the
    preferences are ``LANGUAGE`` (a colon-separated list) if set, else the locale.

    Args:
        environ: The variables to read; ``None`` reads ``os.environ``.
    """
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in LOCALE_VARIABLES[1:] if env.get(name)), "")
    if _NO_LOCALE.fullmatch(locale):
        return []
    entries = env.get("LANGUAGE", "").split(":")
    return [entry for entry in entries if not _NO_LOCALE.fullmatch(entry)] or [locale]


def _article(locale: str | None) -> painread.Article:
    """The locale asked for (validated), else the environment's (a stray LANG is no error)."""
    if locale is None:
        return painread.load(painread.negotiate(environment_locales()))
    article = painread.load(locale)
    asked = locale.replace("-", "_").split("_", 1)[0].lower()
    if asked != article.locale.split("_", 1)[0]:  # another language, not another region
        print(
            f"painread: note: no translation for {locale!r} is installed; showing "
            f"{article.locale!r} (installed: {_installed()})",
            file=sys.stderr,
        )
    return article


def _show(args: argparse.Namespace, out: TextIO) -> int:
    if args.width is not None and args.format != "text":
        return _usage_error("--width applies only to --format text")
    if args.standalone and args.format != "html":
        return _usage_error("--standalone applies only to --format html")
    width = (args.width or args.columns) if args.format == "text" else None
    article = _article(args.locale)
    text = painread.render(
        article, args.format, section=args.section, placement=args.placement, width=width
    )
    if args.standalone:
        from painread.renderers.html import standalone_page

        title = article.title.text
        if args.section is not None:
            title = f"{article.section(args.section).title.text} | {title}"
        text = standalone_page(text, title=title, locale=article.locale)
    out.write(text)
    return EXIT_OK


def _usage_error(message: str) -> int:
    """Options the parser cannot see are wrong together: exit 2, as its own errors do."""
    sys.stderr.write(output.usage_line("painread show", message))
    return EXIT_USAGE


def _sections(args: argparse.Namespace, out: TextIO) -> int:
    for entry in _article(args.locale).toc:
        print(f"{entry.id}\t{entry.title}", file=out)
    return EXIT_OK


def _search(args: argparse.Namespace, out: TextIO) -> int:
    article = _article(args.locale)
    hits = article.search(args.query)
    if not hits:
        print(_no_matches(args.query, article.locale), file=sys.stderr)
        return EXIT_OK
    for hit in hits:
        print(f"{hit.section_id or 'article'}\t{' '.join(hit.snippet.split())}", file=out)
    # Snippets are article text, so the disclaimer goes with them.
    heading = article.label("ui.disclaimer.heading").upper()
    text = textwrap.fill(
        article.disclaimer.text, args.columns, break_long_words=False, break_on_hyphens=False
    )
    print(f"\n{heading}\n{text}", file=out)
    return EXIT_OK


def _no_matches(query: str, searched: str) -> str:
    """Say which locale was searched, and which other installed locales have matches."""
    others = [code for code in painread.available_locales() if code != searched]
    found = [code for code in others if painread.load(code).search(query)]
    message = f"painread: no matches for {_cut(query)!r} in locale {searched!r}"
    if not found:
        return f"{message} (nor in {', '.join(others)})" if others else message
    shown = shlex.quote(query) if len(query) <= _CUT else "..."
    return (
        f"{message}; matches in: {', '.join(found)} "
        f"(try 'painread search {shown} --locale {found[0]}')"
    )


def _handout(args: argparse.Namespace, out: TextIO) -> int:
    pdf = painread.handout(_article(args.locale), section=args.section, paper=args.paper)
    try:
        with open(args.output, "wb") as file:
            file.write(pdf)
    except OSError as exc:
        output.error(f"cannot write {args.output!r}: {exc.strerror or exc}")
        return EXIT_ERROR
    print(f"painread: wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _locales(args: argparse.Namespace, out: TextIO) -> int:
    rows = [("code", "name", "direction", "completeness", "reviewed", "origin")]
    for code in painread.available_locales():
        info = painread.locale_info(code)
        shown = f"{math.floor(info.completeness * 100)}%"
        reviewed = "yes" if info.reviewed else "no"
        rows.append((info.code, info.display_name, info.direction, shown, reviewed, info.origin))
    widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
    for row in rows:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        print(line.rstrip(), file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from painread._files import ARTICLE_SCHEMA, data_text

    out.write(data_text(ARTICLE_SCHEMA))
    return EXIT_OK


_COMMANDS = {
    "show": (
        _show,
        "print the article (or one section) with its notices and disclaimer",
        (
            "painread show",
            "painread show --section mechanisms-of-action --width 60",
            "painread show --locale ar --placement both",
            "painread show --section dosage-and-safety --format html > dosage.html",
            "painread show --locale fr --translations locales   # preview a translation",
        ),
    ),
    "sections": (
        _sections,
        "list the table of contents: section id, a tab, the heading",
        ("painread sections", "painread sections --locale es", "painread sections | cut -f1"),
    ),
    "search": (
        _search,
        "find a phrase (ignoring case and accents); one line per match",
        (
            "painread search kratom",
            "painread search 'opioid receptors'",
            "painread search Schmerz --locale de",
        ),
    ),
    "handout": (
        _handout,
        "write a printable PDF with the disclaimer on every page (needs painread[pdf])",
        (
            "painread handout -o kratom.pdf",
            "painread handout --locale ar --paper Letter -o kratom-ar.pdf",
            "painread handout --section dosage-and-safety -o dosage.pdf",
        ),
    ),
    "locales": (
        _locales,
        "list the installed languages: code, name, direction, completeness, review, origin",
        ("painread locales", "painread locales --translations locales"),
    ),
    "schema": (
        _schema,
        "print the JSON Schema of the article data",
        ("painread schema > article.schema.json",),
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed so docs and tests can inspect it."""
    parser = output.Parser(
        prog="painread",
        description="Read 'Kratom pills and chronic pain management', disclaimer included.",
        epilog=output.examples_text(*(examples[0] for _, _, examples in _COMMANDS.values())),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"painread {painread.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=output.Parser)
    made = {}
    for name, (run, summary, examples) in _COMMANDS.items():
        description = _SEARCH if name == "search" else None
        made[name] = command(commands, name, summary, *examples, description=description)
        made[name].set_defaults(run=run)
    for name in ("show", "handout"):
        made[name].add_argument(
            "--section", metavar="ID", help="only this section (see 'sections')"
        )
    for name in ("show", "sections", "search", "handout"):
        made[name].add_argument(
            "--locale",
            metavar="L",
            help="language to read in, e.g. de or pt-BR (default: from LANGUAGE, LC_ALL, "
            "LC_MESSAGES or LANG; English if none is set or none is available)",
        )
    for name in ("show", "sections", "search", "locales"):
        made[name].add_argument(
            "--translations",
            action="append",
            default=[],
            metavar="DIR",
            help="also read catalogs from DIR (laid out as DIR/<locale>/LC_MESSAGES/painread.po), "
            "ahead of every other origin; repeat for more directories, the last one first "
            f"(the variable PAINREAD_TRANSLATIONS adds a {os.pathsep!r}-separated list too)",
        )
    show = made["show"]
    show.add_argument(
        "--format", choices=painread.FORMATS, default="text", help="output format (default: text)"
    )
    show.add_argument(
        "--width",
        type=_width,
        metavar="N",
        help=f"wrap text to N columns, {MIN_WIDTH} to {MAX_WIDTH} (default: the terminal's "
        f"width, at most {output.MAX_TERMINAL_WIDTH}; {output.DEFAULT_WIDTH} when not a terminal)",
    )
    show.add_argument(
        "--placement",
        choices=painread.PLACEMENTS,
        default="bottom",
        help="where the disclaimer goes (default: bottom)",
    )
    show.add_argument(
        "--standalone",
        action="store_true",
        help="with --format html: a complete page with painread's stylesheet, not a fragment",
    )
    made["search"].add_argument("query", metavar="QUERY", help="the word or phrase to find")
    made["handout"].add_argument(
        "--paper", choices=("A4", "Letter"), default="A4", help="paper size (default: A4)"
    )
    made["handout"].add_argument(
        "-o", "--output", metavar="FILE", required=True, help="where to write the PDF"
    )
    _cli_i18n.add_command(commands)
    return parser


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"width must be between {MIN_WIDTH} and {MAX_WIDTH}, got {width}"
        )
    return width
