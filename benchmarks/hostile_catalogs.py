"""Time and memory of hostile catalogs: crafted 4 MiB MO files and a zipped plugin bomb.

Each crafted catalog is registered (or installed as a plugin) in a fresh
registry and ``painread.load("fr")`` is timed from the first byte read to the
article served (best of five). Nothing here fails: the figures go to
``docs/security.md``. Run ``python benchmarks/hostile_catalogs.py`` from the
repository root.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import painread
from painread import catalogs, translation

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.mo_helpers import mo_bytes

CAP = 4 * 1024 * 1024


def header_lines() -> bytes:
    """A 4 MiB header of two-byte lines: quadratic for gettext's header parser."""
    return mo_bytes({b"": b"Content-Type: text/plain; charset=UTF-8\n" + b"x\n" * (CAP // 2 - 64)})


def many_entries() -> bytes:
    """As many tiny entries as fit in 4 MiB."""
    messages = {b"": b"Content-Type: text/plain; charset=UTF-8\n"}
    messages.update({b"%d" % index: b"" for index in range((CAP - 256) // 26)})
    return mo_bytes(messages)


def fresh() -> catalogs.Registry:
    registry = catalogs.Registry(catalogs._bundled())
    registry._plugins = ()
    return registry


def timed_load(data: bytes) -> float:
    best = float("inf")
    with tempfile.TemporaryDirectory() as directory:
        mo = Path(directory) / "fr" / "LC_MESSAGES" / "painread.mo"
        mo.parent.mkdir(parents=True)
        mo.write_bytes(data)
        for _ in range(5):
            with mock.patch.object(catalogs, "_registry", fresh()):
                began = time.perf_counter()
                painread.add_translations(directory)
                painread.load("fr")
                best = min(best, time.perf_counter() - began)
    return best


def zip_bomb_peak(inflated: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as directory:
        archive = Path(directory) / "bomb.zip"
        block = (b"# " + b"x" * 1021 + b"\n") * 1024
        with (
            zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped,
            zipped.open("locales/fr/LC_MESSAGES/painread.po", "w") as stream,
        ):
            for _ in range(inflated // len(block)):
                stream.write(block)
        registry = catalogs.Registry(catalogs._bundled())
        registry._plugins = (
            translation.TranslationSource("plugin:bomb", zipfile.Path(archive, "locales/")),
        )
        with mock.patch.object(catalogs, "_registry", registry):
            tracemalloc.start()
            painread.load("fr")
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return archive.stat().st_size, peak / 2**20


def main() -> int:
    warnings.simplefilter("ignore")
    cases: dict[str, Callable[[], bytes]] = {
        "4 MiB MO, 2 million header lines": header_lines,
        "4 MiB MO, 161,000 entries": many_entries,
    }
    for name, make in cases.items():
        data = make()
        print(f"{name} ({len(data):,} bytes): {timed_load(data) * 1000:.0f} ms")
    size, peak = zip_bomb_peak(256 * 1024 * 1024)
    print(f"zipped plugin of {size:,} bytes inflating to 256 MiB: peak {peak:.1f} MiB traced")
    return 0


if __name__ == "__main__":
    sys.exit(main())
