"""The ``painread i18n`` command: the translator tools of `painread.i18n` on the command line."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from painread import i18n
from painread._cli_output import EXIT_ERROR, EXIT_OK, EXIT_USAGE, Parser, command, error

_ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "extract": (
        f"write the template ({i18n.POT_FILE})",
        "Write the catalog template: one entry per unit of the current English text,\n"
        "its msgctxt the unit id. Tools such as Poedit or Weblate start from it.",
        ("painread i18n extract", "painread i18n extract -o - | less"),
    ),
    "init": (
        "start a catalog for a new locale",
        "Start an empty, unreviewed catalog at DIR/LOCALE/LC_MESSAGES/painread.po,\n"
        "where add_translations(DIR), --translations DIR and plugins look for it.",
        ("painread i18n init -l fr -d locales",),
    ),
    "update": (
        "add new units, mark changed ones fuzzy",
        "Bring every catalog under DIR in line with the current English text: new\n"
        "units are added empty, changed ones keep their translation marked fuzzy\n"
        "(never served until reviewed), removed ones become obsolete (#~).",
        ("painread i18n update -d locales",),
    ),
    "compile": (
        "compile every catalog to MO beside it",
        "Compile every catalog under DIR to painread.mo beside its PO file, leaving\n"
        "fuzzy entries out. Optional: painread reads PO files directly.",
        ("painread i18n compile -d locales",),
    ),
    "check": (
        "report problems, with file and line",
        "Report every problem painread would work around when serving the catalogs\n"
        "(unusable units, stale or fuzzy entries, broken quotes, headers), one line\n"
        "each with file and line. Exits 1 if there is any problem.",
        ("painread i18n check locales", "painread i18n check locales/fr/LC_MESSAGES/painread.po"),
    ),
    "stats": (
        "translated, fuzzy, stale and untranslated",
        "Count, per catalog, the units that are translated, fuzzy, stale (the English\n"
        "changed), untranslated and invalid. Without -d: every catalog painread reads\n"
        "(bundled, installed plugins, PAINREAD_TRANSLATIONS), with its origin.",
        ("painread i18n stats", "painread i18n stats -d locales"),
    ),
}


def add_command(commands: argparse._SubParsersAction[Parser]) -> None:
    """The ``i18n`` command and its actions: the translator tools of `painread.i18n`."""
    parser = command(
        commands,
        "i18n",
        "translator tools: extract, init, update, compile, check, stats",
        "painread i18n extract -o painread.pot",
        "painread i18n init -l fr -d locales",
        "painread i18n check locales",
        "painread i18n stats",
    )
    parser.set_defaults(run=run, i18n_parser=parser)
    actions = parser.add_subparsers(dest="i18n_command", metavar="ACTION", parser_class=Parser)
    made = {
        name: command(actions, name, summary, *examples, description=description)
        for name, (summary, description, examples) in _ACTIONS.items()
    }
    made["extract"].add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(i18n.POT_FILE),
        metavar="FILE",
        help=f"where to write it ('-' for stdout; default: {i18n.POT_FILE})",
    )
    made["init"].add_argument(
        "-l", "--locale", required=True, help="the new locale, e.g. fr or pt-BR"
    )
    made["check"].add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="PO or MO files, or directories searched for them",
    )
    for name in ("init", "update", "compile", "stats"):
        made[name].add_argument(
            "-d",
            "--directory",
            type=Path,
            required=name != "stats",
            metavar="DIR",
            help="the directory holding <locale>/LC_MESSAGES/painread.po folders"
            + (" (default: every catalog painread reads)" if name == "stats" else ""),
        )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the ``i18n`` action the arguments name; without one, print its help."""
    action = args.i18n_command
    if action is None:
        args.i18n_parser.print_help(out)
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
    elif action == "update":
        out.writelines(f"updated {path}\n" for path in i18n.update(args.directory))
    else:
        out.writelines(f"wrote {path}\n" for path in i18n.compile_catalogs(args.directory))
    return EXIT_OK


def _run_check(paths: Sequence[Path], out: TextIO) -> int:
    problems, files = i18n.check(paths)
    try:
        warnings = i18n.bidi_warnings(paths)
    except ImportError:
        bidi = "install painread[i18n] (python-bidi) to check right-to-left runs"
        warnings = [i18n.Problem("painread", None, f"warning: {bidi}")]
    for problem in (*warnings, *problems):
        print(problem, file=out)
    if problems:
        error(f"{len(problems)} problem(s) in {files} file(s)")
        return EXIT_ERROR
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    print(f"{files} file(s) checked, no problems{noted}", file=out)
    return EXIT_OK


def _print_stats(rows: Iterable[i18n.LocaleStats], out: TextIO) -> None:
    """The locale left-aligned, counts right-aligned, the origin last as it is."""
    counts = ("translated", "fuzzy", "stale", "untranslated", "invalid", "total")
    lines = [(row.locale, *(getattr(row, c) for c in counts), row.origin) for row in rows]
    for first, *numbers, last in [("locale", *counts, "origin"), *lines]:
        print("  ".join([f"{first:<12}", *(f"{n:>12}" for n in numbers), str(last)]), file=out)
