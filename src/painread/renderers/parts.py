"""Runs of a text in another language or direction than the text around them.

A translation keeps some runs as they are in English: names and abbreviations
(FDA, CYP2D6, 7-OH), phone numbers, the title of a law quoted in English. In
right-to-left text, a left-to-right run the bidirectional algorithm would
reorder must be isolated (`painread.bidi`); and a screen reader must know a run
is English (``lang="en"``), or it reads it with the phonetics around it.

The renderers find these runs from the text and its English source instead of
asking translators to mark them: markup or control characters in a catalog are
invisible in most editors, easy to lose in a translation tool, and would be
wrong in formats that isolate differently (HTML uses elements, plain text
Unicode isolates, JSON neither).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from painread.bidi import ltr_runs

_WORD = re.compile("[^\\W\\d_](?:[\\w.'\u2019-]*\\w)?")


class Part(NamedTuple):
    """A piece of a text: plain (``lang`` empty, not isolated) or a marked run."""

    text: str
    lang: str = ""
    isolated: bool = False


@lru_cache(maxsize=512)
def parts(text: str, *, rtl: bool, english: str | None) -> tuple[Part, ...]:
    """The text cut into plain pieces and marked runs.

    Args:
        text: A text in a language other than English.
        rtl: Whether that language is written right to left: then every
            left-to-right run is isolated, and those whose words all occur in
            ``english`` are marked English.
        english: The English source of the same unit, or ``None`` if unknown;
            in left-to-right text, a run of two or more words copied from it
            verbatim is marked English.
    """
    if rtl:
        vocabulary = _words(english or "")
        marked = [
            (start, end, _lang(text[start:end], vocabulary), True) for start, end in ltr_runs(text)
        ]
    elif english:
        marked = [(start, end, "en", False) for start, end in _copied(text, english)]
    else:
        return (Part(text),)
    pieces: list[Part] = []
    cursor = 0
    for start, end, lang, isolated in marked:
        if start > cursor:
            pieces.append(Part(text[cursor:start]))
        pieces.append(Part(text[start:end], lang, isolated))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append(Part(text[cursor:]))
    return tuple(pieces)


def _words(text: str) -> frozenset[str]:
    return frozenset(match.group().casefold() for match in _WORD.finditer(text))


def _lang(run: str, vocabulary: frozenset[str]) -> str:
    """English if the run has words and all of them occur in the English source."""
    words = _words(run)
    return "en" if words and words <= vocabulary else ""


def _copied(text: str, english: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text``: two or more words, a space apart, found together in ``english``."""
    words = list(_WORD.finditer(text))
    source = f" {' '.join(_WORD.findall(english))} "
    first = 0
    while first < len(words):
        last = first
        while (
            last + 1 < len(words)
            and text[words[last].end() : words[last + 1].start()] == " "
            and f" {text[words[first].start() : words[last + 1].end()]} " in source
        ):
            last += 1
        if last > first:
            yield words[first].start(), words[last].end()
        first = last + 1
