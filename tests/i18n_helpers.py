"""Shared helpers for the locale, catalog and i18n tests: catalogs written to tmp dirs."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from painread import catalogs, loader, translation

ENGLISH = translation.source_texts()
BUNDLED = Path(__file__).resolve().parent.parent / "src" / "painread" / "data" / "locales"
MSGFMT = shutil.which("msgfmt")


def po_text(
    entries: Mapping[str, str],
    *,
    language: str = "xx",
    reviewed: str | None = "no",
    fuzzy: Iterable[str] = (),
    msgids: Mapping[str, str] | None = None,
    header: bool = True,
) -> str:
    """A PO file translating ``entries`` (unit id -> text); ``msgids`` overrides msgids."""
    lines: list[str] = []
    if header:
        lines += [
            'msgid ""',
            'msgstr ""',
            f'"Language: {language}\\n"',
            '"MIME-Version: 1.0\\n"',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            '"Content-Transfer-Encoding: 8bit\\n"',
        ]
        if reviewed is not None:
            lines.append(f'"X-Painread-Reviewed: {reviewed}\\n"')
        lines.append("")
    fuzzy = set(fuzzy)
    for unit_id, text in entries.items():
        msgid = (msgids or {}).get(unit_id, ENGLISH.get(unit_id, "unknown"))
        if unit_id in fuzzy:
            lines.append("#, fuzzy")
        lines += [f'msgctxt "{unit_id}"', f"msgid {_quote(msgid)}", f"msgstr {_quote(text)}", ""]
    return "\n".join(lines)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_po(root: Path, locale: str, entries: Mapping[str, str], **options: object) -> Path:
    """Write ``<root>/<locale>/LC_MESSAGES/painread.po`` and return its path."""
    target = root / locale / "LC_MESSAGES" / "painread.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    options.setdefault("language", locale)
    target.write_text(po_text(entries, **options), encoding="utf-8")  # type: ignore[arg-type]
    return target


def tagged(locale: str, unit_ids: Iterable[str]) -> dict[str, str]:
    """Recognisable fake translations: ``[locale] English text``."""
    return {unit_id: f"[{locale}] {ENGLISH[unit_id]}" for unit_id in unit_ids}


def whole(locale: str) -> dict[str, str]:
    """A complete fake translation whose note anchors still occur in their targets."""
    entries = tagged(locale, ENGLISH)
    for target, anchors in translation.note_anchors().items():
        text = ENGLISH[target]
        for anchor in anchors:
            entries[anchor] = f"<{locale}> {ENGLISH[anchor].upper()}"
            text = text.replace(ENGLISH[anchor], entries[anchor])
        entries[target] = f"[{locale}] {text}"
    return entries


def use_registry(
    monkeypatch: pytest.MonkeyPatch,
    *,
    bundled: translation.TranslationSource | None = None,
    listing: Callable[[], Iterable[object]] | None = None,
    environment: Mapping[str, str] | None = None,
) -> catalogs.Registry:
    """Serve the rest of the test from a new registry, as a new process would start.

    The suite's one reach into how the process holds its translation sources, so a
    change there is a change here alone. ``listing`` stands for the installed plugins'
    entry points, listed on first use as real ones are; without it none is looked for.
    """
    if listing is not None:
        real = importlib.metadata.entry_points

        def entry_points(*, group: str) -> object:
            return listing() if group == catalogs.ENTRY_POINT_GROUP else real(group=group)

        monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    fresh = catalogs.Registry(
        bundled or catalogs._bundled(), plugins=listing is not None, environment=environment
    )
    monkeypatch.setattr(catalogs, "_registry", fresh)
    return fresh


def use_plugins(monkeypatch: pytest.MonkeyPatch, *entry_points: object) -> catalogs.Registry:
    """A new registry whose installed plugins are exactly ``entry_points``."""
    return use_registry(monkeypatch, listing=lambda: entry_points)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[catalogs.Registry]:
    """A fresh registry (bundled catalogs only, no plugins) for the test's duration."""
    fresh = use_registry(monkeypatch)
    previous = loader.set_locale_resolver(None)
    try:
        yield fresh
    finally:
        loader.set_locale_resolver(previous)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """``msgfmt --check`` on one file (the caller skips when msgfmt is absent)."""
    assert MSGFMT is not None
    return subprocess.run(
        [MSGFMT, "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def require_msgfmt() -> None:
    """Skip without msgfmt, except in CI, where its absence is a failure."""
    if MSGFMT is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is required in CI")
        pytest.skip("msgfmt (GNU gettext) is not installed")


@dataclass
class FakeEntryPoint:
    """What :func:`importlib.metadata.entry_points` yields, with a factory of our choosing."""

    name: str
    factory: Callable[[], object]
    value: str = "fake_plugin:translations"

    def load(self) -> Callable[[], object]:
        return self.factory
