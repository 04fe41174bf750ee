"""The ``painread`` command: a thin layer over the public API.

Everything printed comes from :func:`painread.load` and :func:`painread.render`
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
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import painread
from painread import i18n

if TYPE_CHECKING:
    from painread.i18n import LocaleStats

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the default locale comes from, in gettext's order: the first one set wins."""

_NO_LOCALE = ("C", "POSIX")
_MAX_TERMINAL_WIDTH = 100
_DEFAULT_WIDTH = 80
_MIN_WIDTH, _MAX_WIDTH = 20, 1000
_LOCALE_EXAMPLES = "a code such as 'de', 'pt-BR' or 'pt_BR'"


class _UsageError(Exception):
    """A combination of arguments the parser cannot see is wrong; exits 2 like its errors."""

    def __init__(self, prog: str, message: str) -> None:
        self.prog = prog
        super().__init__(message)


class _Parser(argparse.ArgumentParser):
    """argparse with errors on one line, naming the command whose help to read."""

    def error(self, message: str) -> NoReturn:
        """Exit 2 with one line on stderr instead of argparse's usage dump."""
        self.exit(EXIT_USAGE, _usage_line(self.prog, message))


def _usage_line(prog: str, message: str) -> str:
    return f"{prog}: error: {message} (see '{prog} --help')\n"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed so docs and tests can inspect it."""
    parser = _Parser(
        prog="painread",
        description="Read 'Kratom pills and chronic pain management', disclaimer included.",
        epilog=_examples(
            "painread show",
            "painread show --section dosage-and-safety --locale de",
            "painread sections",
            "painread search 'opioid receptors'",
            "painread locales",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"painread {painread.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_show(commands)
    sections = _command(
        commands,
        "sections",
        "list the table of contents: section id, a tab, the heading",
        "painread sections",
        "painread sections --locale es",
        "painread sections | cut -f1",
    )
    _add_locale_option(sections)
    search = _command(
        commands,
        "search",
        "find a phrase (ignoring case and accents); one line per match",
        "painread search kratom",
        "painread search 'opioid receptors'",
        "painread search Schmerz --locale de",
        description="Find a phrase, ignoring case, accents and typographic quotes.\n"
        "Prints one line per match (the section id, or summary, introduction,\n"
        "conclusion or article for text outside the sections; a tab; a snippet),\n"
        "then the medical disclaimer. No match is not an error: a note goes to\n"
        "stderr and the exit code is 0.",
    )
    search.add_argument("query", metavar="QUERY", help="the word or phrase to find")
    _add_locale_option(search)
    summary = "list the installed languages: code, name, direction, completeness, review, origin"
    _command(commands, "locales", summary, "painread locales")
    summary = "print the JSON Schema of the article data"
    _command(commands, "schema", summary, "painread schema > article.schema.json")
    _add_i18n_actions(commands)
    return parser


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _command(
    commands: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    *examples: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=summary,
        description=description or summary[0].upper() + summary[1:] + ".",
        epilog=_examples(*examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_locale_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        metavar="L",
        help="language to read in, e.g. de or pt-BR (default: from LANGUAGE, LC_ALL, "
        "LC_MESSAGES or LANG; English if none is set or none is available)",
    )


def _add_show(commands: argparse._SubParsersAction[_Parser]) -> None:
    show = _command(
        commands,
        "show",
        "print the article (or one section) with its notices and disclaimer",
        "painread show",
        "painread show --section mechanisms-of-action --width 60",
        "painread show --locale ar --placement both",
        "painread show --section dosage-and-safety --format html > dosage.html",
    )
    show.add_argument("--section", metavar="ID", help="show only this section (see 'sections')")
    _add_locale_option(show)
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
        help=f"wrap text to N columns, {_MIN_WIDTH} to {_MAX_WIDTH} (default: the terminal's "
        f"width, at most {_MAX_TERMINAL_WIDTH}; {_DEFAULT_WIDTH} when not a terminal)",
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


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit code instead of exiting.

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
    if args.command is None:
        parser.print_help(out)
        return EXIT_USAGE
    try:
        code = _COMMANDS[args.command](args, out)
        out.flush()
    except _UsageError as exc:
        sys.stderr.write(_usage_line(exc.prog, str(exc)))
        return EXIT_USAGE
    except BrokenPipeError:
        _discard_stdout(out)
        return EXIT_ERROR
    except (painread.PainreadError, UnicodeEncodeError) as exc:
        if args.debug:
            raise
        _error(_explain(exc, args.command))
        return EXIT_ERROR
    return code


def _error(message: str) -> None:
    print(f"painread: error: {' '.join(message.splitlines())}", file=sys.stderr)


def _explain(exc: Exception, command: str) -> str:
    """The error's own message, plus what would be valid when the message lacks it."""
    if isinstance(exc, UnicodeEncodeError):
        return (
            f"the output cannot be written in this terminal's encoding ({exc.encoding}); "
            "set PYTHONIOENCODING=utf-8, or choose --locale en"
        )
    if isinstance(exc, painread.InvalidLocaleError) and command != "i18n":
        return f"{exc}; use {_LOCALE_EXAMPLES} (installed: {_installed()})"
    if isinstance(exc, painread.InvalidQueryError):
        return f"{exc}; give a word or phrase to find"
    return str(exc)


def _installed() -> str:
    return ", ".join(painread.available_locales())


def _discard_stdout(out: TextIO) -> None:
    """After the reader went away (``painread show | head``), keep exit quiet.

    Python flushes stdout once more at exit; pointing it at the null device
    stops that flush from printing a second BrokenPipeError.
    """
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def environment_locales(environ: Mapping[str, str] | None = None) -> list[str]:
    """The reader's locale preferences from the environment, best first.

    Read the way gettext reads them (:data:`LOCALE_VARIABLES`, first one set
    and not empty wins), so the command speaks the language the rest of the
    terminal does. ``LANGUAGE`` may hold a colon-separated list. ``C`` and
    ``POSIX`` (with any codeset) mean no preference, which is English.

    Args:
        environ: The variables to read; ``None`` reads ``os.environ``.
    """
    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            entries = value.split(":") if name == "LANGUAGE" else [value]
            return [entry for entry in entries if entry.split(".")[0] not in ("", *_NO_LOCALE)]
    return []


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
        raise _UsageError("painread show", "--width applies only to --format text")
    if args.standalone and args.format != "html":
        raise _UsageError("painread show", "--standalone applies only to --format html")
    width = (args.width or _terminal_width(out)) if args.format == "text" else None
    article = _article(args.locale)
    text = painread.render(
        article, args.format, section=args.section, placement=args.placement, width=width
    )
    if args.standalone:
        text = _standalone(article, args.section, text)
    _write(out, text)
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
        print(f"painread: no matches for {args.query!r}", file=sys.stderr)
        return EXIT_OK
    for hit in hits:
        where = hit.section_id or hit.unit_id.split(".", 1)[0]
        print(f"{where}\t{' '.join(hit.snippet.split())}", file=out)
    _write(out, "\n" + _disclaimer(article, _terminal_width(out)))
    return EXIT_OK


def _disclaimer(article: painread.Article, width: int) -> str:
    """The disclaimer under its heading: snippets are article text, so it goes with them."""
    heading = article.label("ui.disclaimer.heading").upper()
    text = textwrap.fill(
        article.disclaimer.text, width, break_long_words=False, break_on_hyphens=False
    )
    return f"{heading}\n{text}"


def _locales(args: argparse.Namespace, out: TextIO) -> int:
    rows = [("code", "name", "direction", "completeness", "reviewed", "origin")]
    for code in painread.available_locales():
        info = painread.locale_info(code)
        shown, reviewed = (
            f"{math.floor(info.completeness * 100)}%",
            "yes" if info.reviewed else "no",
        )
        rows.append((info.code, info.display_name, info.direction, shown, reviewed, info.origin))
    _write(out, _table(rows))
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

    _write(out, data_text(ARTICLE_SCHEMA))
    return EXIT_OK


def _add_i18n_actions(commands: argparse._SubParsersAction[_Parser]) -> None:
    """The ``i18n`` command and its actions: the translator tools of :mod:`painread.i18n`."""
    parser = _command(
        commands,
        "i18n",
        "translator tools: extract, init, update, compile, check, stats",
        "painread i18n extract -o painread.pot",
        "painread i18n init -l fr -d locales",
        "painread i18n check locales",
        "painread i18n stats",
    )
    parser.set_defaults(i18n_parser=parser)
    actions = parser.add_subparsers(
        dest="i18n_command", metavar="ACTION", parser_class=type(parser)
    )
    extract_cmd = actions.add_parser("extract", help=f"write the template ({i18n.POT_FILE})")
    extract_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(i18n.POT_FILE),
        metavar="FILE",
        help=f"where to write it ('-' for stdout; default: {i18n.POT_FILE})",
    )
    init_cmd = actions.add_parser("init", help="start a catalog for a new locale")
    init_cmd.add_argument("-l", "--locale", required=True, help="e.g. fr, pt-BR")
    init_cmd.add_argument("-d", "--directory", type=Path, required=True, metavar="DIR")
    for name, text in (
        ("update", "add new units, mark changed ones fuzzy"),
        ("compile", "compile every catalog to MO beside it"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("-d", "--directory", type=Path, required=True, metavar="DIR")
    check_cmd = actions.add_parser("check", help="report problems, with file and line")
    check_cmd.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    stats_cmd = actions.add_parser("stats", help="translated, fuzzy, stale and untranslated")
    stats_cmd.add_argument(
        "-d", "--directory", type=Path, metavar="DIR", help="default: the bundled catalogs"
    )


def _i18n(args: argparse.Namespace, out: TextIO) -> int:
    action = args.i18n_command
    parser = args.i18n_parser
    if action is None:
        parser.print_help(out)
        return EXIT_USAGE
    if action == "check":
        return _run_check(args.paths, out)
    if action == "stats":
        _print_stats(i18n.stats(args.directory), out)
    elif action == "extract" and str(args.output) == "-":
        out.write(i18n.template_bytes().decode("utf-8"))
    elif action == "extract":
        print(f"wrote {i18n.extract(args.output)}", file=out)
    elif action == "init":
        print(f"created {i18n.init(args.locale, args.directory)}", file=out)
    else:
        update = action == "update"
        done = i18n.update(args.directory) if update else i18n.compile_catalogs(args.directory)
        for path in done:
            print(f"updated {path}" if update else f"wrote {path}", file=out)
    return EXIT_OK


_NO_BIDI = "install painread[i18n] (python-bidi) to check right-to-left runs"


def _run_check(paths: Sequence[Path], out: TextIO) -> int:
    problems, files = i18n.check(paths)
    try:
        warnings = i18n.bidi_warnings(paths)
    except ImportError:
        warnings = [i18n.Problem("painread", None, "warning: " + _NO_BIDI)]
    for problem in (*warnings, *problems):
        print(problem, file=out)
    if problems:
        print(f"painread: error: {len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return EXIT_ERROR
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    print(f"{files} file(s) checked, no problems{noted}", file=out)
    return EXIT_OK


def _print_stats(rows: Iterable[LocaleStats], out: TextIO) -> None:
    columns = ("locale", "translated", "fuzzy", "stale", "untranslated", "invalid", "total")
    for values in (columns, *([getattr(row, column) for column in columns] for row in rows)):
        cells = (f"{v:<12}" if i == 0 else f"{v:>12}" for i, v in enumerate(values))
        print("  ".join(cells), file=out)


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "show": _show,
    "sections": _sections,
    "search": _search,
    "locales": _locales,
    "schema": _schema,
    "i18n": _i18n,
}


def _write(out: TextIO, text: str) -> None:
    """Write ``text``, ending with exactly one newline so shells prompt on a new line."""
    out.write(text if text.endswith("\n") else text + "\n")


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not _MIN_WIDTH <= width <= _MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"width must be between {_MIN_WIDTH} and {_MAX_WIDTH}, got {width}"
        )
    return width


def _terminal_width(out: TextIO) -> int:
    """The terminal's width, capped for readable lines; 80 when output is not a terminal."""
    if out.isatty():
        return max(_MIN_WIDTH, min(shutil.get_terminal_size().columns, _MAX_TERMINAL_WIDTH))
    return _DEFAULT_WIDTH
