"""The ``painread`` command: a thin layer over the public API.

Everything printed comes from [`painread.load`][] and [`painread.render`][]
(or the article's own data), so the command carries the same disclaimer
guarantee as the library; the CLI adds only what a terminal needs: a locale
from the environment, wrapping to the terminal, and one-line errors.

Exit codes: 0 on success; 2 for usage errors the argument parser finds (an
unknown command or option, a missing argument, a malformed value); 1 when
painread rejects a value or cannot finish (an unknown section, an invalid
locale, an empty query, a broken catalog, output the terminal cannot encode).
Errors are one line on stderr; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import sys
import textwrap
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

import painread
from painread import _cli_i18n
from painread._cli_output import (
    DEFAULT_WIDTH,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    MAX_TERMINAL_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    Buffer,
    Parser,
    UsageError,
    command,
    discard_stdout,
    emit,
    encoding_problem,
    error,
    examples_text,
    terminal_width,
    usage_line,
    warning_line,
    write,
)

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the default locale comes from, in gettext's order (see `environment_locales`)."""

_NO_LOCALE = ("C", "POSIX")
_LOCALE_EXAMPLES = "a code such as 'de', 'pt-BR' or 'pt_BR'"
_CUT = 40
_OUTSIDE_SECTIONS = ("title", "summary", "introduction", "conclusion", "article")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed so docs and tests can inspect it."""
    parser = Parser(
        prog="painread",
        description="Read 'Kratom pills and chronic pain management', disclaimer included.",
        epilog=examples_text(
            "painread show",
            "painread show --section dosage-and-safety --locale de",
            "painread sections",
            "painread search 'opioid receptors'",
            "painread locales",
            "painread handout --locale es -o kratom-es.pdf",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"painread {painread.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _add_show(commands)
    sections = command(
        commands,
        "sections",
        "list the table of contents: section id, a tab, the heading",
        "painread sections",
        "painread sections --locale es",
        "painread sections | cut -f1",
    )
    _add_locale_option(sections)
    _add_translations_option(sections)
    search = command(
        commands,
        "search",
        "find a phrase (ignoring case and accents); one line per match",
        "painread search kratom",
        "painread search 'opioid receptors'",
        "painread search Schmerz --locale de",
        description="Find a phrase, ignoring case, accents and typographic quotes.\n"
        "Prints one line per match (where it is, as 'show' takes it: the section\n"
        "id, or 'article' for the title, summary, introduction and conclusion;\n"
        "a tab; a snippet), then the medical disclaimer. No match is not an\n"
        "error: a note on stderr names the locale searched and the locales that\n"
        "have matches, and the exit code is 0.",
    )
    search.add_argument("query", metavar="QUERY", help="the word or phrase to find")
    _add_locale_option(search)
    _add_translations_option(search)
    _add_handout(commands)
    summary = "list the installed languages: code, name, direction, completeness, review, origin"
    locales = command(
        commands, "locales", summary, "painread locales", "painread locales --translations locales"
    )
    _add_translations_option(locales)
    summary = "print the JSON Schema of the article data"
    command(commands, "schema", summary, "painread schema > article.schema.json")
    _cli_i18n.add_command(commands)
    return parser


def _add_locale_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        metavar="L",
        help="language to read in, e.g. de or pt-BR (default: from LANGUAGE, LC_ALL, "
        "LC_MESSAGES or LANG; English if none is set or none is available)",
    )


def _add_translations_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--translations",
        action="append",
        default=[],
        metavar="DIR",
        help="also read catalogs from DIR (laid out as DIR/<locale>/LC_MESSAGES/painread.po), "
        "ahead of every other origin; repeat for more directories, the last one first "
        f"(the variable PAINREAD_TRANSLATIONS adds a {os.pathsep!r}-separated list too)",
    )


def _add_show(commands: argparse._SubParsersAction[Parser]) -> None:
    show = command(
        commands,
        "show",
        "print the article (or one section) with its notices and disclaimer",
        "painread show",
        "painread show --section mechanisms-of-action --width 60",
        "painread show --locale ar --placement both",
        "painread show --section dosage-and-safety --format html > dosage.html",
        "painread show --locale fr --translations locales   # preview a translation",
    )
    show.add_argument("--section", metavar="ID", help="show only this section (see 'sections')")
    _add_locale_option(show)
    _add_translations_option(show)
    show.add_argument(
        "--format",
        choices=painread.FORMATS,
        default="text",
        help="output format (default: text)",
    )
    show.add_argument(
        "--width",
        type=_width,
        metavar="N",
        help=f"wrap text to N columns, {MIN_WIDTH} to {MAX_WIDTH} (default: the terminal's "
        f"width, at most {MAX_TERMINAL_WIDTH}; {DEFAULT_WIDTH} when not a terminal)",
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


def _add_handout(commands: argparse._SubParsersAction[Parser]) -> None:
    handout = command(
        commands,
        "handout",
        "write a printable PDF with the disclaimer on every page (needs painread[pdf])",
        "painread handout -o kratom.pdf",
        "painread handout --locale ar --paper Letter -o kratom-ar.pdf",
        "painread handout --section dosage-and-safety -o dosage.pdf",
    )
    _add_locale_option(handout)
    handout.add_argument("--section", metavar="ID", help="print only this section")
    handout.add_argument(
        "--paper", choices=("A4", "Letter"), default="A4", help="paper size (default: A4)"
    )
    handout.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="where to write the PDF"
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
        error("no standard output to write to (is it closed?)")
        return EXIT_ERROR
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    with warnings.catch_warnings():
        warnings.showwarning = warning_line
        return _run(args, out)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    buffer = Buffer(out)
    try:
        _register(args.translations if "translations" in args else ())
        code = _COMMANDS[args.command](args, buffer)
        emit(out, buffer.getvalue())
    except UsageError as exc:
        sys.stderr.write(usage_line(exc.prog, str(exc)))
        return EXIT_USAGE
    except BrokenPipeError:
        discard_stdout(out)
        return EXIT_ERROR
    except OSError as exc:
        discard_stdout(out)
        if args.debug:
            raise
        error(f"cannot write the output: {exc.strerror or exc}")
        return EXIT_ERROR
    except (painread.PainreadError, UnicodeEncodeError) as exc:
        if args.debug:
            raise
        error(_explain(exc, args.command, out))
        return EXIT_ERROR
    return code


def _register(directories: Sequence[str]) -> None:
    """Register ``--translations`` directories in order, so the last one given wins."""
    for directory in directories:
        painread.add_translations(directory)


def _explain(exc: Exception, subcommand: str, out: TextIO) -> str:
    """The error's own message, plus what would be valid when the message lacks it."""
    if isinstance(exc, UnicodeEncodeError):
        return encoding_problem(exc, out)
    if isinstance(exc, painread.InvalidLocaleError) and subcommand != "i18n":
        return f"{exc}; use {_LOCALE_EXAMPLES} (installed: {_installed()})"
    if isinstance(exc, painread.InvalidQueryError):
        return f"{exc}; give a word or phrase to find"
    if isinstance(exc, painread.UnknownSectionError):
        return _unknown_section(exc)
    return str(exc)


def _unknown_section(exc: painread.UnknownSectionError) -> str:
    valid = ", ".join(repr(section) for section in exc.valid)
    message = f"unknown section {_cut(exc.section_id)!r}; valid sections: {valid}"
    if exc.section_id in _OUTSIDE_SECTIONS:
        message += f"; the {exc.section_id} is part of the whole article: run 'painread show'"
    return message


def _cut(value: str, limit: int = _CUT) -> str:
    """A value the user typed, shortened for a message: a 100 KB query is not echoed back."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}... ({len(value)} characters)"


def _installed() -> str:
    return ", ".join(painread.available_locales())


def environment_locales(environ: Mapping[str, str] | None = None) -> list[str]:
    """The reader's locale preferences from the environment, best first.

    Read by GNU gettext's rules for messages, so the command speaks the
    language the rest of the terminal does: the locale is the first of
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set and not empty. When
    there is none, or it is ``C`` or ``POSIX`` (with any codeset or modifier),
    there is no preference (English) and ``LANGUAGE`` is ignored, as gettext
    ignores it. Otherwise ``LANGUAGE``, a colon-separated list, comes first
    when it is set and not empty; the locale when it is not.

    Args:
        environ: The variables to read; ``None`` reads ``os.environ``.
    """
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in LOCALE_VARIABLES[1:] if env.get(name)), "")
    if _no_locale(locale):
        return []
    entries = env.get("LANGUAGE", "").split(":")
    return [entry for entry in entries if not _no_locale(entry)] or [locale]


def _no_locale(value: str) -> bool:
    """Whether a locale name means the untranslated C locale (or is empty)."""
    return re.split(r"[.@]", value, maxsplit=1)[0] in ("", *_NO_LOCALE)


def _article(locale: str | None) -> painread.Article:
    """The article in the locale asked for, else the best one for the environment.

    An explicit locale is validated (an invalid one is an error naming it);
    preferences from the environment are negotiated, malformed ones ignored,
    because a stray ``LANG`` should not stop the command.
    """
    if locale is None:
        return painread.load(painread.negotiate(environment_locales()))
    article = painread.load(locale)
    if _language(article.locale) != _language(locale):
        print(
            f"painread: note: no translation for {locale!r} is installed; showing "
            f"{article.locale!r} (installed: {_installed()})",
            file=sys.stderr,
        )
    return article


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_", 1)[0].lower()


def _show(args: argparse.Namespace, out: TextIO) -> int:
    if args.width is not None and args.format != "text":
        raise UsageError("painread show", "--width applies only to --format text")
    if args.standalone and args.format != "html":
        raise UsageError("painread show", "--standalone applies only to --format html")
    width = (args.width or terminal_width(out)) if args.format == "text" else None
    article = _article(args.locale)
    text = painread.render(
        article, args.format, section=args.section, placement=args.placement, width=width
    )
    if args.standalone:
        text = _standalone(article, args.section, text)
    write(out, text)
    return EXIT_OK


def _standalone(article: painread.Article, section: str | None, fragment: str) -> str:
    from painread.renderers.html import standalone_page

    title = article.title.text
    if section is not None:
        title = f"{article.section(section).title.text} | {title}"
    return standalone_page(fragment, title=title, locale=article.locale)


def _sections(args: argparse.Namespace, out: TextIO) -> int:
    article = _article(args.locale)
    for entry in article.toc:
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
    write(out, "\n" + _disclaimer(article, terminal_width(out)))
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


def _disclaimer(article: painread.Article, width: int) -> str:
    """The disclaimer under its heading: snippets are article text, so it goes with them."""
    heading = article.label("ui.disclaimer.heading").upper()
    text = textwrap.fill(
        article.disclaimer.text, width, break_long_words=False, break_on_hyphens=False
    )
    return f"{heading}\n{text}"


def _handout(args: argparse.Namespace, out: TextIO) -> int:
    article = _article(args.locale)
    pdf = painread.handout(article, section=args.section, paper=args.paper)
    try:
        with open(args.output, "wb") as file:
            file.write(pdf)
    except OSError as exc:
        error(f"cannot write {args.output!r}: {exc.strerror or exc}")
        return EXIT_ERROR
    print(f"painread: wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _locales(args: argparse.Namespace, out: TextIO) -> int:
    rows = [("code", "name", "direction", "completeness", "reviewed", "origin")]
    for code in painread.available_locales():
        info = painread.locale_info(code)
        shown, reviewed = (
            f"{math.floor(info.completeness * 100)}%",
            "yes" if info.reviewed else "no",
        )
        rows.append((info.code, info.display_name, info.direction, shown, reviewed, info.origin))
    write(out, _table(rows))
    return EXIT_OK


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = (
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    return "\n".join(lines)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from painread._files import ARTICLE_SCHEMA, data_text

    write(out, data_text(ARTICLE_SCHEMA))
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "show": _show,
    "sections": _sections,
    "search": _search,
    "handout": _handout,
    "locales": _locales,
    "schema": _schema,
    "i18n": _cli_i18n.run,
}


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
