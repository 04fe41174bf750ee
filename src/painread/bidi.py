"""Left-to-right runs inside right-to-left text, and how to keep them in order.

The Unicode bidirectional algorithm lays out a right-to-left paragraph so that
some left-to-right runs come out reordered: "1-800-222-1222" is drawn as
"1222-222-800-1" and "7-OH" as "OH-7". Isolating each run `ltr_runs` finds
(``<bdi>`` in HTML, LRI ... PDI in plain text) keeps it as written;
``painread i18n check`` reports those `reordered_runs` says a viewer without
isolation would reorder.
"""

from __future__ import annotations

import unicodedata

LRI = "\u2066"
"""LEFT-TO-RIGHT ISOLATE: opens a run shown left to right whatever surrounds it."""
PDI = "\u2069"
"""POP DIRECTIONAL ISOLATE: closes it."""

_INSIDE = frozenset(("WS", "CS", "ES", "ET", "ON", "NSM", "BN"))
"""Classes that a run may hold between its strong characters (spaces, separators, marks)."""


def ltr_runs(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each left-to-right run a right-to-left text holds.

    A run starts and ends with a letter of a left-to-right script or a
    European digit and holds only such characters, spaces and separators
    between; brackets and quotes around it stay outside, so they mirror with
    the text around. A run of digits alone (a year) already shows in order and
    is not returned; one with a separator ("1.4", "27,338") is.

    A run of three words or more is an English sentence, and takes the full
    stop after it: left outside, the stop would be drawn at the run's left end,
    as right-to-left text places its own. After a name or a number ("FDA",
    "1-800-222-1222") the stop ends the right-to-left sentence.
    """
    runs: list[tuple[int, int]] = []
    start = end = -1
    for index, char in enumerate(text + "\n"):  # a paragraph break ends the last run
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "EN"):
            if start < 0:
                start = index
            end = index + 1
        elif kind not in _INSIDE and start >= 0:
            if not text[start:end].isdigit():
                if text.count(" ", start, end) >= 2 and text.startswith((".", "!", "?"), end):
                    end += 1  # three words or more: the sentence's own full stop
                runs.append((start, end))
            start = -1
    return tuple(runs)


def reordered_runs(text: str) -> tuple[str, ...]:
    """The left-to-right runs of a right-to-left text that a viewer would reorder.

    The visual order comes from python-bidi (the ``i18n`` extra), which
    implements the Unicode bidirectional algorithm: a run is reordered when
    the text, laid out right to left without isolation, no longer shows it as
    written ("1-800-222-1222" as "1222-222-800-1").

    Raises:
        ImportError: if python-bidi is not installed.
    """
    from bidi import get_display  # type: ignore[import-untyped]

    shown = get_display(text, base_dir="R")
    runs = dict.fromkeys(text[start:end] for start, end in ltr_runs(text))
    return tuple(run for run in runs if run not in shown)


def isolate(text: str) -> str:
    """The text with each left-to-right run between LRI and PDI (for right-to-left output)."""
    pieces: list[str] = []
    cursor = 0
    for start, end in ltr_runs(text):
        pieces += (text[cursor:start], LRI, text[start:end], PDI)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
