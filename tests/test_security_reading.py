"""Reading catalogs is linear, bounded, lock-free and done on the file actually opened.

A crafted compiled catalog must not cost the square of its size, a zipped
plugin must not inflate past the size cap, one slow catalog must not hold up
another locale, and a file swapped between a check and the open (for a
symlink leading out, a FIFO or a device) must never be read. Times are compared
as ratios, never asserted on their own (see ``test_security_limits.py``).
"""

from __future__ import annotations

import os
import threading
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import painread
from tests.i18n_helpers import (
    ENGLISH,
    FakeEntryPoint,
    po_text,
    registry,
    use_plugins,
    whole,
    write_po,
)
from tests.mo_helpers import mo_bytes
from tests.test_security_corpus import record
from tests.test_security_limits import ratio
from tests.test_security_translations import caught

__all__ = ["registry"]

DISCLAIMER = "disclaimer.text"
CAP = 4 * 1024 * 1024
INSIDE = "[fr] inside the translation directory"
OUTSIDE = "OUTSIDE THE DIRECTORY"


# --- 4. Quadratic catalogs -----------------------------------------------------------------------


def header_bomb(size: int) -> bytes:
    """An MO file of ``size`` bytes whose header is one line per two bytes."""
    header = b"Content-Type: text/plain; charset=UTF-8\n" + b"x\n" * ((size - 120) // 2)
    return mo_bytes({b"": header})


def test_a_crafted_compiled_catalog_is_read_in_linear_time(
    registry: object, tmp_path: Path
) -> None:
    def reader(size: int) -> Callable[[], object]:
        root = tmp_path / str(size)
        mo = root / "fr" / "LC_MESSAGES" / "painread.mo"
        mo.parent.mkdir(parents=True)
        mo.write_bytes(header_bomb(size))

        def read() -> object:
            painread.add_translations(root)  # registering again drops what was read
            return caught(lambda: painread.load("fr"))

        return read

    assert ratio(reader(128 * 1024), reader(1280 * 1024)) < 40  # linear: ~10; quadratic: ~100


def test_a_slow_catalog_never_holds_up_another_locale(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, reading = threading.Event(), threading.Event()

    class Slow:
        """A plugin's Traversable whose catalog takes as long as the test wants."""

        def __init__(self, *parts: str) -> None:
            self.parts = parts
            self.name = parts[-1] if parts else "locales"

        def iterdir(self) -> Iterator[Slow]:
            yield Slow("pt")

        def joinpath(self, *parts: str) -> Slow:
            return Slow(*self.parts, *parts)

        def __truediv__(self, part: str) -> Slow:
            return self.joinpath(part)

        def is_dir(self) -> bool:
            return not self.name.endswith(".po")

        def is_file(self) -> bool:
            return self.name == "painread.po"

        def _content(self) -> bytes:
            reading.set()
            release.wait(60)
            return po_text(whole("pt"), language="pt").encode()

        def read_bytes(self) -> bytes:
            return self._content()

        def open(self, mode: str = "rb") -> Any:
            import io

            return io.BytesIO(self._content())

    use_plugins(monkeypatch, FakeEntryPoint("slow", lambda: Slow()))
    results: dict[str, object] = {}

    def load(locale: str) -> None:
        results[locale] = caught(lambda: painread.load(locale))[0]

    slow = threading.Thread(target=load, args=("pt",))
    slow.start()
    try:
        assert reading.wait(30)
        other = threading.Thread(target=load, args=("es",))
        other.start()
        other.join(20)
        finished = not other.is_alive()
    finally:
        release.set()
        slow.join(60)
    assert finished, "load('es') waited for another locale's catalog"
    assert results["es"].locale == "es"  # type: ignore[attr-defined]
    assert results["pt"].locale == "pt"  # type: ignore[attr-defined]


# --- 5. Zip bombs --------------------------------------------------------------------------------


def zip_bomb(path: Path, inflated: int) -> Path:
    """A zipped plugin whose PO file inflates to ``inflated`` bytes of comment lines."""
    head = po_text({DISCLAIMER: "[fr] " + ENGLISH[DISCLAIMER]}, language="fr").encode()
    line = b"# " + b"x" * 1021 + b"\n"
    block = line * 1024
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("locales/fr/LC_MESSAGES/painread.po", "w") as stream,
    ):
        stream.write(head)
        for _ in range(inflated // len(block)):
            stream.write(block)
    return path


def test_a_zipped_plugin_is_capped_before_it_is_inflated(
    registry: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inflated = 256 * 1024 * 1024
    archive = zip_bomb(tmp_path / "bomb.zip", inflated)
    use_plugins(
        monkeypatch,
        FakeEntryPoint("bomb", lambda: zipfile.Path(archive, "locales/")),
    )
    tracemalloc.start()
    try:
        article, seen = caught(lambda: painread.load("fr"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert article.disclaimer.text == ENGLISH[DISCLAIMER]
    assert any(f"larger than {CAP} bytes" in message for message in seen), seen
    assert peak < 64 * 1024 * 1024
    record(
        "zip-bomb",
        {
            "archive_bytes": archive.stat().st_size,
            "inflated_bytes": inflated,
            "peak_traced_mib": round(peak / 2**20, 1),
        },
    )


# --- 7. Check-then-open races --------------------------------------------------------------------


@contextmanager
def swapped_after_every_check(target: Path, outside: Path) -> Iterator[None]:
    """Make ``target`` a good file whenever it is checked, and ``outside`` whenever it is not.

    It stands for an attacker who wins every race: each check through
    :mod:`pathlib` sees a regular file inside the directory, and whatever opens
    the path afterwards gets what the attacker put there instead.
    """
    good = target.read_bytes()
    spare = target.with_name(".spare")

    def inside() -> None:
        spare.write_bytes(good)
        os.replace(spare, target)

    def away() -> None:
        spare.unlink(missing_ok=True)
        os.symlink(outside, spare)
        os.replace(spare, target)

    originals = {name: getattr(Path, name) for name in ("resolve", "stat", "is_file", "exists")}
    depth = [0]

    def wrap(name: str) -> Callable[..., Any]:
        original = originals[name]

        def checked(self: Path, *args: Any, **kwargs: Any) -> Any:
            if os.path.abspath(self) != str(target) or depth[0]:
                return original(self, *args, **kwargs)
            depth[0] += 1
            inside()
            try:
                return original(self, *args, **kwargs)
            finally:
                away()
                depth[0] -= 1

        return checked

    for name in originals:
        setattr(Path, name, wrap(name))
    away()
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(Path, name, original)
        inside()


def _race_directory(tmp_path: Path) -> Path:
    entries = whole("fr")
    entries[DISCLAIMER] = f"{INSIDE}: {ENGLISH[DISCLAIMER]}"
    return write_po(tmp_path / "translations", "fr", entries)


def test_a_file_swapped_for_a_symlink_after_its_check_is_never_read(
    registry: object, tmp_path: Path
) -> None:
    po = _race_directory(tmp_path)
    secret = tmp_path / "outside.po"
    entries = whole("fr")
    entries[DISCLAIMER] = f"{OUTSIDE}: {ENGLISH[DISCLAIMER]}"
    secret.write_text(po_text(entries, language="fr"), encoding="utf-8")
    painread.add_translations(po.parents[2])

    with swapped_after_every_check(po, secret):
        article, seen = caught(lambda: painread.load("fr"))

    assert OUTSIDE not in article.disclaimer.text
    assert any("outside" in message for message in seen), seen


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_file_swapped_for_a_fifo_or_device_is_never_read(
    registry: object, tmp_path: Path, kind: str
) -> None:
    po = _race_directory(tmp_path)
    if kind == "fifo":
        special = tmp_path / "translations" / "fifo"
        os.mkfifo(special)
    else:
        special = Path("/dev/zero")
        if not special.is_char_device():
            pytest.skip("no /dev/zero here")
    painread.add_translations(po.parents[2])

    with swapped_after_every_check(po, special):
        article, seen = caught(lambda: painread.load("fr"))

    assert article.disclaimer.text == ENGLISH[DISCLAIMER]
    assert any("not a regular file" in message for message in seen), seen


def test_catalogs_that_are_fifos_or_devices_are_never_opened(
    registry: object, tmp_path: Path
) -> None:
    root = tmp_path / "translations"
    write_po(root, "fr", whole("fr"))
    os.mkfifo(root / "fr" / "LC_MESSAGES" / "painread.mo")
    (root / "it" / "LC_MESSAGES").mkdir(parents=True)
    os.symlink("/dev/zero", root / "it" / "LC_MESSAGES" / "painread.po")
    painread.add_translations(root)

    (french, italian), _ = caught(lambda: (painread.load("fr"), painread.load("it")))

    assert french.locale == "fr"
    assert italian.locale == "en"
