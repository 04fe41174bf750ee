"""Misbehaving translation plugins are isolated: one warning each, nothing else breaks.

Plugins are entry points of the ``painread.translations`` group, discovered by
:func:`importlib.metadata.entry_points` on the first request for a locale other
than English. Here they are faked two ways: by replacing that discovery function
in-process, and by a real temporary ``.dist-info`` on ``sys.path`` of a fresh
interpreter, where ``import painread`` and the English article must be untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import painread
from painread import catalogs
from painread.errors import PainreadWarning
from tests.conftest import plugins_enabled
from tests.i18n_helpers import (
    ENGLISH,
    FakeEntryPoint,
    registry,
    use_plugins,
    use_registry,
    whole,
    write_po,
)
from tests.test_security_corpus import record

__all__ = ["registry"]

TITLE = "article.title"


class UnimportableEntryPoint(FakeEntryPoint):
    def load(self) -> Callable[[], object]:
        raise ModuleNotFoundError("No module named 'fake_plugin'")


class HostileTraversable:
    """A Traversable of the plugin's own making whose methods fail with odd exceptions."""

    def __init__(self, name: str = "locales", fail: str = "iterdir") -> None:
        self.name = name
        self.fail = fail

    def _maybe_fail(self, method: str) -> None:
        if method == self.fail:
            raise {"iterdir": RuntimeError, "is_file": ValueError, "read_bytes": KeyError}[method](
                f"{method} failed inside the plugin"
            )

    def iterdir(self) -> Iterator[HostileTraversable]:
        self._maybe_fail("iterdir")
        yield HostileTraversable("pt", self.fail)

    def joinpath(self, *parts: str) -> HostileTraversable:
        return HostileTraversable(parts[-1], self.fail)

    def __truediv__(self, part: str) -> HostileTraversable:
        return self.joinpath(part)

    def is_dir(self) -> bool:
        return True

    def is_file(self) -> bool:
        self._maybe_fail("is_file")
        return self.name.endswith(".po")

    def read_bytes(self) -> bytes:
        self._maybe_fail("read_bytes")
        return b""


def _bad_content(root: Path) -> Path:
    """A plugin directory whose every catalog is broken in a different way."""
    (root / "pt" / "LC_MESSAGES").mkdir(parents=True)
    (root / "pt" / "LC_MESSAGES" / "painread.po").write_bytes(b"\xff\xfe garbage\n")
    (root / "sv" / "LC_MESSAGES").mkdir(parents=True)
    (root / "sv" / "LC_MESSAGES" / "painread.mo").write_bytes(b"\xde\x12\x04\x95 truncated")
    write_po(root, "not-a-locale!", {TITLE: "x"})
    write_po(root, "en", {TITLE: "Hijacked", "disclaimer.text": "No disclaimer."})
    (root / "README").write_text("not a locale folder", encoding="utf-8")
    return root


def test_misbehaving_plugins_are_isolated_one_warning_each(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_po(tmp_path / "good", "fi", whole("fi"))
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    corrupt_zip = tmp_path / "corrupt.zip"
    corrupt_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 64)

    def raises() -> Path:
        raise RuntimeError("bug in the plugin")

    bad = {
        "raises-on-load": UnimportableEntryPoint("raises-on-load", raises),
        "raises-when-called": FakeEntryPoint("raises-when-called", raises),
        "missing-path": FakeEntryPoint("missing-path", lambda: tmp_path / "nowhere"),
        "a-file": FakeEntryPoint("a-file", lambda: str(tmp_path / "a-file")),
        "a-number": FakeEntryPoint("a-number", lambda: 42),
        "none": FakeEntryPoint("none", lambda: None),
        "bytes-path": FakeEntryPoint("bytes-path", lambda: os.fsencode(tmp_path)),
        "not-callable": FakeEntryPoint("not-callable", "locales"),  # type: ignore[arg-type]
        "corrupt-zip": FakeEntryPoint("corrupt-zip", lambda: zipfile.Path(corrupt_zip)),
        "listing-fails": FakeEntryPoint("listing-fails", lambda: HostileTraversable()),
    }
    good = FakeEntryPoint("good", lambda: tmp_path / "good")
    use_plugins(monkeypatch, *bad.values(), good)
    english = painread.render(painread.load(), "text")
    with pytest.warns(PainreadWarning) as seen:
        finnish = painread.load("fi")
    messages = [str(w.message) for w in seen]
    assert len(messages) == len(bad), messages
    for name in bad:
        assert sum(name in message for message in messages) == 1, (name, messages)
    assert "RuntimeError: bug in the plugin" in "\n".join(messages)
    assert finnish.locale == "fi"
    assert finnish.fallbacks == {}
    assert painread.locale_info("fi").origin == "plugin:good"
    assert painread.render(painread.load(), "text") == english
    assert painread.load("es").locale == "es"
    record("plugins-in-process", {"misbehaving": len(bad), "warnings": len(messages)})


@pytest.mark.parametrize("fail", ["is_file", "read_bytes"])
def test_a_plugin_traversable_failing_while_read_is_skipped(
    registry: catalogs.Registry, monkeypatch: pytest.MonkeyPatch, fail: str
) -> None:
    use_plugins(monkeypatch, FakeEntryPoint("odd", lambda: HostileTraversable(fail=fail)))
    with pytest.warns(PainreadWarning, match=f"{fail} failed inside the plugin") as seen:
        article = painread.load("pt")
    assert len(seen) == 1
    assert article.locale == "en"
    assert article.disclaimer.text == ENGLISH["disclaimer.text"]


def test_a_plugin_directory_with_bad_content_costs_one_warning_per_bad_catalog(
    registry: catalogs.Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _bad_content(tmp_path / "plugin")
    use_plugins(monkeypatch, FakeEntryPoint("bad-content", lambda: root))
    with pytest.warns(PainreadWarning) as seen:
        locales = painread.available_locales()
    messages = sorted(str(w.message) for w in seen)
    assert locales == ("ar", "de", "en", "es")
    assert len(messages) == 4, messages
    assert any("pt/LC_MESSAGES/painread.po:1: not valid UTF-8" in m for m in messages)
    assert any("sv/LC_MESSAGES/painread.mo: not a valid MO file" in m for m in messages)
    assert any("not-a-locale!" in m for m in messages)
    assert any("English is the source and cannot be replaced" in m for m in messages)
    english = painread.load("en")
    assert english.title.text == ENGLISH[TITLE]
    assert english.disclaimer.text == ENGLISH["disclaimer.text"]


def test_a_failing_discovery_leaves_the_bundled_locales(
    registry: catalogs.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def listing() -> list[object]:
        raise ValueError("broken METADATA in some other distribution")

    use_registry(monkeypatch, listing=listing)
    with pytest.warns(PainreadWarning, match="translation plugins cannot be listed") as seen:
        assert painread.load("es").locale == "es"
    assert len(seen) == 1


# --- real entry points: a temporary dist-info in a fresh interpreter ----------------------------

PLUGIN_MODULE = """
from pathlib import Path

HERE = Path(__file__).resolve().parent


def raises():
    raise RuntimeError("bug in the plugin")


def missing():
    return HERE / "nowhere"


def a_file():
    return HERE / "bad_plugins.py"


def number():
    return 42


def bad_content():
    return HERE / "bad-content"


def good():
    return HERE / "good"
"""

ENTRY_POINTS_TXT = """
[painread.translations]
a-raises-on-load = no_such_module_anywhere:translations
b-explodes-on-import = explodes_on_import:translations
c-raises-when-called = bad_plugins:raises
d-missing-path = bad_plugins:missing
e-a-file = bad_plugins:a_file
f-a-number = bad_plugins:number
g-bad-content = bad_plugins:bad_content
h-good = bad_plugins:good
i-no-such-attribute = bad_plugins:no_such_function
"""

PROBE = """
import json
import warnings

with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    import painread

    english = painread.load()
    before = len(seen)
    text = painread.render(english, "text")
    finnish = painread.load("fi")
    portuguese = painread.load("pt")
    again = painread.load()
print(json.dumps({
    "warnings_before_discovery": before,
    "warnings": [f"{w.category.__name__}: {w.message}" for w in seen],
    "english_disclaimer": english.disclaimer.text,
    "english_same": again is english,
    "text_has_disclaimer": english.disclaimer.text.split()[0] in text,
    "finnish": [finnish.locale, finnish.title.text],
    "portuguese": portuguese.locale,
}))
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "bad_plugins.py").write_text(PLUGIN_MODULE, encoding="utf-8")
    (site / "explodes_on_import.py").write_text("raise RuntimeError('boom at import')\n")
    info = site / "bad_plugins-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: bad-plugins\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS_TXT), encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")
    write_po(site / "good", "fi", whole("fi"))
    _bad_content(site / "bad-content")
    return site


def _probe(
    code: str, site: Path, cwd: Path, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that sees the entry points of ``site``."""
    env = {**plugins_enabled(), "PYTHONPATH": str(site), **(extra or {})}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=cwd,
    )


@pytest.mark.slow
def test_real_broken_entry_points_never_break_import_or_english(tmp_path: Path) -> None:
    done = _probe(PROBE, _site(tmp_path), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["warnings_before_discovery"] == 0
    assert report["english_same"] is True
    assert report["text_has_disclaimer"] is True
    assert report["english_disclaimer"] == ENGLISH["disclaimer.text"]
    assert report["finnish"] == ["fi", f"[fi] {ENGLISH[TITLE]}"]
    assert report["portuguese"] == "en"
    warnings = report["warnings"]
    assert all(w.startswith("PainreadWarning: ") for w in warnings), warnings
    for name in (
        "a-raises-on-load",
        "b-explodes-on-import",
        "c-raises-when-called",
        "d-missing-path",
        "e-a-file",
        "f-a-number",
        "i-no-such-attribute",
    ):
        assert sum(f"translation plugin {name!r}" in w for w in warnings) == 1, (name, warnings)
    assert any("boom at import" in w for w in warnings)
    assert any("pt/LC_MESSAGES/painread.po:1: not valid UTF-8" in w for w in warnings)
    record(
        "plugins-dist-info",
        {"entry_points": 9, "misbehaving": 8, "warnings": len(warnings)},
    )


@pytest.mark.slow
def test_disabled_plugins_are_never_loaded_in_a_real_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_po(site / "locales", "fi", whole("fi"))
    (site / "good_plugin.py").write_text(
        "import os, pathlib\n"
        f"if os.environ.get({catalogs.DISABLE_PLUGINS_VARIABLE!r}):\n"
        "    raise RuntimeError('a disabled plugin was imported')\n"
        "def translations():\n"
        "    return pathlib.Path(__file__).parent / 'locales'\n",
        encoding="utf-8",
    )
    info = site / "good_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: good-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[painread.translations]\ngood = good_plugin:translations\n", encoding="utf-8"
    )
    probe = (
        "import warnings; warnings.simplefilter('error'); import painread; "
        "print(','.join(painread.available_locales()))"
    )
    served = {}
    for variable in ("", "1"):
        done = _probe(probe, site, tmp_path, {catalogs.DISABLE_PLUGINS_VARIABLE: variable})
        assert done.returncode == 0, done.stderr[-2000:]
        served[variable] = done.stdout.strip().split(",")
    assert "fi" in served[""]  # other installed plugins may serve more
    assert served["1"] == ["ar", "de", "en", "es"]
