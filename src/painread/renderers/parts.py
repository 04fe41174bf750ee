"""Runs of a text in another language or direction than the text around them.

A translation keeps some runs in English: names (FDA, CYP2D6, 7-OH), phone
numbers, a law's title. A screen reader must know a run is English, and in
right-to-left text a left-to-right run may be reordered unless isolated
(`painread.bidi`). The renderers find these runs from the text and its English
source, not from marks in catalogs: markup or control characters are invisible
in most editors, easy to lose in a translation tool, and wrong in formats that
isolate differently (HTML elements, plain-text isolates, JSON neither).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
        rtl: Whether it is written right to left: then every left-to-right run
            is isolated, and marked English if all its words occur in ``english``.
        english: The English source of the same unit, or ``None`` if unknown; in
            left-to-right text, two or more words copied from it are marked English.
    """
    runs: Iterable[tuple[int, int]]
    if rtl:
        runs = ltr_runs(text)
    elif english:
        runs = _copied(text, english)
    else:
        return (Part(text),)
    vocabulary = _words(english or "")
    pieces: list[Part] = []
    cursor = 0
    for start, end in runs:
        if start > cursor:
            pieces.append(Part(text[cursor:start]))
        words = _words(text[start:end])  # a copied run's words are all in the source
        pieces.append(Part(text[start:end], "en" if words and words <= vocabulary else "", rtl))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append(Part(text[cursor:]))
    return tuple(pieces)


def _words(text: str) -> frozenset[str]:
    return frozenset(match.group().casefold() for match in _WORD.finditer(text))


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
