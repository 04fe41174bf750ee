"""Left-to-right runs inside right-to-left text, and how to keep them in order.

The Unicode bidirectional algorithm draws some left-to-right runs of a
right-to-left paragraph reordered: "1-800-222-1222" as "1222-222-800-1", "7-OH"
as "OH-7". Isolating the runs `ltr_runs` finds (``<bdi>`` in HTML, LRI ... PDI
in plain text) keeps them as written.
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

    A run starts and ends with a left-to-right letter or a European digit, with
    only spaces and separators between; brackets and quotes around it stay
    outside, to mirror with the text around. Digits alone (a year) show in order
    and are not returned; with a separator ("1.4", "27,338") they are. A run of
    three words or more is a sentence and takes its full stop, which outside
    would be drawn at its left end; after a name or a number ("FDA") the stop
    ends the right-to-left sentence.
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

    ``painread i18n check`` reports them. A run is reordered when the text, laid
    out right to left without isolation by python-bidi (the ``i18n`` extra), no
    longer shows it as written.

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
    return "".join(pieces) + text[cursor:]
