"""Property: whatever a translation does to the safety text, what is served is visibly real.

Hypothesis writes translations of the disclaimer, a notice with numbers and the
disclaimer's heading, each either faithful or hostile (invisible characters,
reversed by direction overrides, truncated, numbers dropped, control
characters), and ships them from every origin: a registered PO or MO file, a
plugin folder, a zipped plugin. The oracle does not use painread's own checks:
a hostile unit must be served in English, a faithful one as written, and every
output format must carry the disclaimer and the notices with every English
number and no control or direction-override character.
"""

from __future__ import annotations

import re
import tempfile
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import painread
from tests.i18n_helpers import ENGLISH, FakeEntryPoint, po_text, use_plugins, use_registry, whole
from tests.mo_helpers import mo_bytes, unit_messages
from tests.test_security_corpus import record

DISCLAIMER = "disclaimer.text"
NOTICE = "notice.contamination-adverse-events.text"
HEADING = "ui.disclaimer.heading"
UNITS = (DISCLAIMER, NOTICE, HEADING)
LONG_UNITS = (DISCLAIMER, NOTICE)
ORIGINS = (
    "registered PO",
    "registered MO",
    "plugin folder",
    "zipped plugin PO",
    "zipped plugin MO",
)
KINDS = ("faithful", "invisible", "reversed", "controls", "truncated", "numbers dropped")
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u115f\u1160\uffa0\u2800\u180e \u00a0\u3000"
OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"
CONTROLS = [chr(c) for c in (*range(0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))]
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")
SEEN: Counter[str] = Counter()


def faithful(unit: str) -> str:
    return f"[fr] {ENGLISH[unit]}"


@st.composite
def translation(draw: st.DrawFn, unit: str) -> tuple[str, str]:
    """A kind of translation and its text: ``faithful`` or one of the hostile kinds."""
    kind = draw(st.sampled_from(KINDS if unit in LONG_UNITS else KINDS[:4]))
    text = faithful(unit)
    if kind == "invisible":
        text = draw(st.text(alphabet=INVISIBLE, min_size=1, max_size=80))
    elif kind == "reversed":
        override = draw(st.sampled_from(OVERRIDES))
        text = override + (text[::-1] if draw(st.booleans()) else text)
    elif kind == "controls":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(CONTROLS)) + text[at:]
    elif kind == "truncated":
        text = text[: draw(st.integers(1, len(text) * 3 // 10))]
    elif kind == "numbers dropped":
        number = draw(st.sampled_from(re.findall(r"\d+(?:[.,]\d+)*", ENGLISH[unit])))
        text = re.sub(r"\d", "", text) if draw(st.booleans()) else text.replace(number, "")
    return kind, text


def _write(root: Path, entries: dict[str, str], compiled: bool) -> None:
    folder = root / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    if compiled:
        (folder / "painread.mo").write_bytes(mo_bytes(unit_messages(entries, locale="fr")))
    else:
        (folder / "painread.po").write_text(po_text(entries, language="fr"), encoding="utf-8")


def _zipped(root: Path) -> zipfile.Path:
    archive = root.parent / "plugin.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for file in root.rglob("*"):
            if file.is_file():
                zipped.write(file, f"locales/{file.relative_to(root)}")
    return zipfile.Path(archive, "locales/")


@contextmanager
def serving(origin: str, root: Path) -> Iterator[None]:
    """A fresh registry serving ``root`` from ``origin``, and nothing else but the bundle."""
    plugin: object = _zipped(root) if origin.startswith("zipped") else root
    with pytest.MonkeyPatch.context() as patch:
        if origin.startswith("registered"):
            use_registry(patch)
            painread.add_translations(root)
        else:
            use_plugins(patch, FakeEntryPoint("hostile", lambda: plugin))
        yield


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def check_served_safety_text(origin: str, drawn: dict[str, tuple[str, str]]) -> None:
    """Hostile units served in English, faithful ones as written, every format intact."""
    entries = whole("fr")
    entries.update({unit: text for unit, (_, text) in drawn.items()})
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "translations"
        _write(root, entries, compiled=origin.endswith("MO"))
        with serving(origin, root), warnings.catch_warnings():
            warnings.simplefilter("ignore", painread.PainreadWarning)
            article = painread.load("fr")
            outputs = {fmt: painread.render(article, fmt) for fmt in painread.FORMATS}

    # U+0004 separates context from id in gettext; msgfmt refuses a PO file with one in a
    # string, so such a file is refused whole and every unit is served in English.
    unreadable = not origin.endswith("MO") and any("\x04" in text for _, text in drawn.values())
    for unit, (kind, text) in drawn.items():
        SEEN[f"{origin}: {kind}"] += 1
        served = article.unit(unit).text
        if unreadable:
            assert served == ENGLISH[unit], (unit, kind, origin, text)
        elif kind == "faithful":
            assert served == text, (unit, origin)
        else:
            assert served == ENGLISH[unit], (unit, kind, origin, text)
    safety = [article.disclaimer.text, *(notice.text.text for notice in article.notices)]
    for fmt, output in outputs.items():
        assert not FORBIDDEN.search(output), fmt
        for text in safety:
            assert not FORBIDDEN.search(text)
            assert _numbers(text) <= _numbers(output), fmt
    for unit in LONG_UNITS:
        assert _numbers(ENGLISH[unit]) <= _numbers(article.unit(unit).text)


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
CASES = {
    "origin": st.sampled_from(ORIGINS),
    "drawn": st.fixed_dictionaries({unit: translation(unit) for unit in UNITS}),
}
test_served_safety_text_is_visible_whole_and_keeps_the_english_numbers = settings(
    max_examples=60, **SETTINGS
)(given(**CASES)(check_served_safety_text))
test_many_more_hostile_translations_are_served_intact = pytest.mark.slow(
    settings(max_examples=600, **SETTINGS)(given(**CASES)(check_served_safety_text))
)


def test_the_property_saw_every_kind_from_every_origin() -> None:
    """Runs after the property (file order): each hostile kind reached each origin."""
    if not SEEN:
        test_served_safety_text_is_visible_whole_and_keeps_the_english_numbers()
    origins = {key.split(": ")[0] for key in SEEN}
    kinds = {key.split(": ")[1] for key in SEEN}
    assert origins == set(ORIGINS)
    assert kinds == set(KINDS)
    record(
        "hostile-translations",
        {
            "examples": sum(SEEN.values()) // len(UNITS),
            "unit_translations_by_origin_and_kind": dict(sorted(SEEN.items())),
            "units": list(UNITS),
        },
    )
