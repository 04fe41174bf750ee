"""Python source for plain data, laid out exactly as ``ruff format`` leaves it.

Generated modules (the compiled article, the CLDR facts) are committed and
checked by the formatter like any other file, so what writes them must write
what the formatter would: one item a line with a trailing comma, and double
quotes unless a string holds more double than single quotes.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["literal", "quoted"]

_INDENT = "    "
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quoted(text: str) -> str:
    """A string literal for ``text``, with the quotes ``ruff format`` prefers."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = "".join(_escaped(char, quote) for char in text)
    return f"{quote}{body}{quote}"


def _escaped(char: str, quote: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char == quote:
        return "\\" + char
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\x{ord(char):02x}"
    return char


def literal(value: object, depth: int = 0) -> str:
    """``value`` (dicts, lists, tuples, str, int, bool, None) as Python source.

    Containers are always expanded, one item a line, so the trailing comma
    keeps the formatter from joining them; a one-item tuple, whose comma is
    syntax rather than a request to expand, stays on one line.

    Raises:
        TypeError: for a value of any other type.
    """
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, str):
        return quoted(value)
    inner = _INDENT * (depth + 1)
    if isinstance(value, Mapping):
        items = [
            f"{inner}{literal(k, depth + 1)}: {literal(v, depth + 1)}," for k, v in value.items()
        ]
        return _bracketed("{", items, "}", depth)
    if isinstance(value, tuple) and len(value) == 1:
        return f"({literal(value[0], depth)},)"
    if isinstance(value, (list, tuple)):
        items = [f"{inner}{literal(item, depth + 1)}," for item in value]
        opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        return _bracketed(opening, items, closing, depth)
    raise TypeError(f"no literal for {type(value).__name__}")


def _bracketed(opening: str, items: list[str], closing: str, depth: int) -> str:
    if not items:
        return opening + closing
    return "\n".join([opening, *items, _INDENT * depth + closing])
