"""Runs of a text in another language or direction than the text around them.

A translation keeps some runs as they are in English: names and abbreviations
(FDA, CYP2D6, 7-OH), phone numbers, the title of a law quoted in English. Two
things follow for a reader:

- In right-to-left text, a left-to-right run whose characters the Unicode
  bidirectional algorithm would reorder ("1-800-222-1222" drawn as
  "1222-222-800-1") must be isolated so it shows in its own order.
- A screen reader must know a run is English (``lang="en"``), or it reads it
  with the phonetics of the text around it.

The renderers find these runs themselves (left-to-right ones through
`painread.bidi`), from the text and its English source, instead of
asking translators to mark them in catalogs: markup or control characters in
a catalog are invisible in most editors, easy to lose in
a translation tool, and would be wrong in formats that isolate differently
(HTML uses elements, plain text uses Unicode isolates, JSON neither). The
catalogs stay plain text; ``painread i18n check`` tells translators which runs
a viewer without isolation would reorder.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from painread.bidi import ltr_runs

_WORD = re.compile("[^\\W\\d_](?:[\\w.'\u2019-]*\\w)?")
_MIN_WORDS = 2
"""A run of English in Latin-script text must have at least this many words."""


class Part(NamedTuple):
    """A piece of a text: plain (``lang`` empty, not isolated) or a marked run."""

    text: str
    lang: str = ""
    isolated: bool = False


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
    return _parts(text, rtl, english)


@lru_cache(maxsize=512)
def _parts(text: str, rtl: bool, english: str | None) -> tuple[Part, ...]:
    vocabulary = _words(english) if english else frozenset()
    if rtl:
        marked = (
            (start, end, "en" if _all_in(text[start:end], vocabulary) else "", True)
            for start, end in ltr_runs(text)
        )
    elif english:
        marked = ((start, end, "en", False) for start, end in _copied(text, english))
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


def _all_in(run: str, vocabulary: frozenset[str]) -> bool:
    words = [match.group().casefold() for match in _WORD.finditer(run)]
    return bool(words) and all(word in vocabulary for word in words)


def _copied(text: str, english: str) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` holding two or more consecutive words found together in ``english``."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    source = " " + " ".join(m.group() for m in _WORD.finditer(english)) + " "
    index = 0
    while index < len(found):
        last = index
        while last + 1 < len(found) and _together(found[index : last + 2], text, source):
            last += 1
        if last + 1 - index >= _MIN_WORDS:
            yield found[index][0], found[last][1]
            index = last + 1
        else:
            index += 1


def _together(words: list[tuple[int, int, str]], text: str, source: str) -> bool:
    """Whether these words are adjacent in the text (spaces between) and in the source."""
    gaps = (text[a[1] : b[0]] for a, b in itertools.pairwise(words))
    if not all(gap == " " for gap in gaps):
        return False
    return f" {' '.join(word for _, _, word in words)} " in source
