"""Whether a translated unit may be served: the one set of rules for the loader and ``i18n check``.

No unit may be blank, too long or hold a control character, and labels keep the
English ``{placeholders}``. Safety units (disclaimer, notices, notes and their
labels) must also be visibly real text: letters and digits in proportion to the
English, its numbers kept, no bidirectional override. ``docs/locales.md`` gives
the bounds and why. No import of painread, so every caller applies the same rules.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache

MAX_UNIT_CHARS = 100_000
"""Longer translated units are refused: the longest English one has about 2,000."""
MIN_VISIBLE_RATIO = 0.5
"""A safety unit needs at least this share of the English unit's visible weight..."""
MAX_VISIBLE_RATIO = 3.0
"""...and at most this multiple of it."""
VISIBLE_SLACK = 8
"""Weight both bounds give way by, so short labels ("Caution", "Note") are judged fairly."""
SAFETY_LABELS = frozenset(
    {
        "ui.disclaimer.heading",
        "ui.notices.heading",
        "ui.notes.heading",
        "ui.note.label",
        "ui.severity.info",
        "ui.severity.caution",
        "ui.severity.warning",
        "ui.translation-unreviewed",
    }
)
"""The labels that introduce the disclaimer, the notices and the notes."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI_OVERRIDE = re.compile(r"[\u202a-\u202e]")
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters to Unicode, yet they show nothing."""
_MARKS_PER_BASE = 2
_NUMBER = re.compile(r"\d+(?:(?:[.,'\u2019\u066b\u066c]|[ \u00a0\u2009\u202f](?=\d{3}(?!\d)))\d+)*")


def is_safety_unit(unit_id: str) -> bool:
    """Whether the unit is safety text: the disclaimer, a notice, a note, or their labels.

    Not a note's anchor: it quotes the article, and is checked where paragraphs are chosen.
    """
    if unit_id.startswith("note."):
        return unit_id.endswith(".text")
    return unit_id == "disclaimer.text" or unit_id.startswith("notice.") or unit_id in SAFETY_LABELS


def unit_problem(unit_id: str, text: str, english: str) -> str | None:
    """Why a translated unit cannot be served, or ``None`` if it can.

    Each reason starts with its check's name (``blank``, ``control``, ``bidi``,
    ``short``, ``long``, ``numbers``, ``placeholders``), as ``pofilter`` names
    them. Labels (``ui.*``) go through ``str.format``, so they must use exactly the
    English placeholders: no spec or conversion (``{date.__class__}``, ``{date:>9999}``).
    """
    if len(text) > MAX_UNIT_CHARS:
        return f"long: the translation is longer than {MAX_UNIT_CHARS} characters"
    control = _CONTROL.search(text)
    if control is not None:
        return f"control: the translation contains the control character U+{ord(control[0]):04X}"
    if is_safety_unit(unit_id):
        problem = _safety_problem(text, english)
    else:
        problem = None if text.strip() else "blank: the translation is blank"
    if problem is None and (unit_id.startswith("ui.") or "{" in english):
        expected, found = _placeholders(english), _placeholders(text)
        if found != expected:
            return f"placeholders {_shown(found)} do not match the English {_shown(expected)}"
    return problem


def _safety_problem(text: str, english: str) -> str | None:
    override = _BIDI_OVERRIDE.search(text)
    if override is not None:
        return (
            f"bidi: safety text may not contain the direction override U+{ord(override[0]):04X}, "
            "which can show it reversed"
        )
    weight = visible_weight(text)
    if weight == 0:
        return "blank: the translation is blank (no visible letter or digit)"
    wanted, english_numbers = _english(english)
    low = max(1.0, MIN_VISIBLE_RATIO * wanted - VISIBLE_SLACK)
    high = MAX_VISIBLE_RATIO * wanted + VISIBLE_SLACK
    if weight < low:
        return (
            f"short: safety text must be translated in full; it has {weight} visible "
            f"letters or digits where the English has {wanted} (at least {low:.0f} needed)"
        )
    if weight > high:
        return (
            f"long: safety text may not add to the English; it has {weight} visible "
            f"letters or digits where the English has {wanted} (at most {high:.0f})"
        )
    kept = set(numbers(text))
    missing = [number for number in english_numbers if number not in kept]
    if missing:
        return "numbers: the English numbers " + ", ".join(missing) + " are missing"
    return None


@lru_cache(maxsize=256)
def _english(english: str) -> tuple[int, tuple[str, ...]]:
    """The weight and numbers of an English unit, asked for by every check of its translations."""
    return visible_weight(english), numbers(english)


def visible_weight(text: str) -> int:
    """How much visible text ``text`` holds: its letters and digits, weighted by script.

    Letters and digits count 1, wide ones (ideographs, kana, Hangul syllables) 3,
    and up to two combining marks (Indic vowel signs) after one count 1 each.
    Format, space, punctuation, symbol and filler characters count nothing.
    """
    if text.isascii():
        return sum(1 for char in text if char.isalnum())
    weight = 0
    marks = _MARKS_PER_BASE
    for char in text:
        kind = unicodedata.category(char)[0]
        if kind in "LN" and char not in _FILLERS:
            weight += 3 if unicodedata.east_asian_width(char) == "W" else 1
            marks = 0
        elif kind == "M" and marks < _MARKS_PER_BASE:
            weight += 1
            marks += 1
        else:
            marks = _MARKS_PER_BASE
    return weight


def numbers(text: str) -> tuple[str, ...]:
    """Every number in ``text`` as its ASCII digits, separators dropped, in order of first use.

    Separators differ between languages (``27,338``, ``27.338``, ``27 338``) and
    digits between scripts (Arabic-Indic), so only the digits are compared.
    """
    found = (
        "".join(str(unicodedata.decimal(char)) for char in match[0] if char.isdecimal())
        for match in _NUMBER.finditer(text)
    )
    return tuple(dict.fromkeys(found))


def _placeholders(text: str) -> tuple[str, ...] | None:
    """Each ``{field!conversion:spec}`` of a format string, sorted; ``None`` if unbalanced."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    fields = (
        "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        for _, name, spec, conv in parsed
        if name is not None
    )
    return tuple(sorted(fields))


def _shown(fields: tuple[str, ...] | None) -> str:
    if fields is None:
        return "(unbalanced braces)"
    return ", ".join(fields) if fields else "(none)"
