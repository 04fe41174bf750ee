"""How the ``painread`` command writes: help pages, errors, warnings and its output.

Output is encoded whole before any of it is written: all of it, disclaimer included, or
none. Errors and warnings are one line on stderr; a broken pipe ends the command quietly.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from typing import NoReturn, TextIO

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

MIN_WIDTH, MAX_WIDTH = 20, 1000
MAX_TERMINAL_WIDTH, DEFAULT_WIDTH = 100, 80
_MAX_MESSAGE = 1000


class Parser(argparse.ArgumentParser):
    """argparse with errors on one line, naming the command whose help to read."""

    def error(self, message: str) -> NoReturn:
        """Exit 2 with one line on stderr instead of argparse's usage dump."""
        self.exit(EXIT_USAGE, usage_line(self.prog, message))


def usage_line(prog: str, message: str) -> str:
    """A usage error as one line that says where the command's help is."""
    return f"{prog}: error: {message} (see '{prog} --help')\n"


def command(
    commands: argparse._SubParsersAction[Parser],
    name: str,
    summary: str,
    *examples: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose help shows ``summary`` (or ``description``) and its examples."""
    return commands.add_parser(
        name,
        help=summary,
        description=description or summary[0].upper() + summary[1:] + ".",
        epilog=examples_text(*examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def examples_text(*lines: str) -> str:
    """The examples at the end of a help page, indented under their heading."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def emit(out: TextIO, text: str) -> None:
    """Write all of ``text`` (newline-ended, for the prompt) or nothing: it is encoded first."""
    if text and not text.endswith("\n"):
        text += "\n"
    encoding = getattr(out, "encoding", None)
    if encoding:
        text.encode(encoding, getattr(out, "errors", None) or "strict")
    out.write(text)
    out.flush()


def error(message: str) -> None:
    """An error as one line on stderr, however long or multi-line its message."""
    line = " ".join(message.split())
    if len(line) > _MAX_MESSAGE:
        line = line[: _MAX_MESSAGE - 1] + "..."
    print(f"painread: error: {line}", file=sys.stderr)


def warning_line(message: Warning | str, *where: object, **how: object) -> None:
    """A warning as one line naming only what it is about, not painread's own source line."""
    print(f"painread: warning: {' '.join(str(message).split())}", file=sys.stderr)


def encoding_problem(exc: UnicodeEncodeError, out: TextIO) -> str:
    """Why nothing was written when the output cannot hold a character, and what to do."""
    encoding = getattr(out, "encoding", None) or exc.encoding
    character = exc.object[exc.start : exc.start + 1]
    return (
        f"nothing was written: the output holds U+{ord(character):04X}, which the output "
        f"encoding ({encoding}) cannot represent; set PYTHONIOENCODING=utf-8 "
        "(or use a UTF-8 terminal) and run the command again"
    )


def discard_stdout(out: TextIO) -> None:
    """Point a failed stdout at the null device: Python's flush at exit would repeat the error."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def terminal_width(out: TextIO) -> int:
    """The terminal's width, capped for readable lines; 80 when output is not a terminal."""
    if out.isatty():
        return max(MIN_WIDTH, min(shutil.get_terminal_size().columns, MAX_TERMINAL_WIDTH))
    return DEFAULT_WIDTH
