"""The example translation plugin, installed with painread into a fresh venv, is discovered."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, plugins_enabled

pytestmark = pytest.mark.slow

PLUGIN = ROOT / "examples" / "translation-plugin"
LOCALES = ROOT / "src" / "painread" / "data" / "locales"

PROBE = """
import json, sys, warnings
warnings.simplefilter("error")
import painread
assert "importlib.metadata" not in sys.modules or "pydantic" in sys.modules
article = painread.load("fr-CA")
english = painread.load("en")
info = painread.locale_info("fr")
text = painread.render(article, "text")
print(json.dumps({
    "file": painread.__file__,
    "available": painread.available_locales(),
    "locale": article.locale,
    "title": [article.title.text, article.title.locale],
    "introduction": article.introduction.paragraphs[0].locale,
    "anchor": article.unit("note.natural-alternative.anchor").locale,
    "summary": [article.summary.paragraphs[0].text == english.summary.paragraphs[0].text,
                article.summary.paragraphs[0].locale],
    "fallbacks": sorted(set(article.fallbacks.values())),
    "served_in_fr": sorted(u.id for u in article.units() if u.locale == "fr"),
    "disclaimer": [article.disclaimer.locale, " ".join(article.disclaimer.text.split())
                   in " ".join(text.split())],
    "notices": [n.id for n in article.notices][-1],
    "origin": info.origin,
    "reviewed": info.reviewed,
    "english_title": english.title.text,
}))
"""


def _build(source: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    subprocess.run([*command, str(source)], check=True, capture_output=True)
    (wheel,) = out.glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    dist = tmp_path_factory.mktemp("dist")
    return _build(ROOT, dist / "painread"), _build(PLUGIN, dist / "plugin")


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory, wheels: tuple[Path, Path]) -> Path:
    """A new venv holding painread's and the plugin's wheels; other packages seen read-only."""
    env = tmp_path_factory.mktemp("fresh") / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent = sysconfig.get_paths()["purelib"]
    Path(purelib, "_dependencies.pth").write_text(parent + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", *map(str, wheels)],
        check=True, capture_output=True,
    )  # fmt: skip
    return python


def test_the_wheel_ships_every_compiled_catalog(wheels: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    bundled = sorted(LOCALES.glob("*/LC_MESSAGES/painread.po"))
    assert bundled
    for po in bundled:
        relative = po.relative_to(ROOT / "src").as_posix()
        assert relative in names
        assert relative[:-3] + ".mo" in names


def test_the_plugin_wheel_carries_its_catalog_and_entry_point(wheels: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(wheels[1]) as archive:
        names = archive.namelist()
        (entry_points,) = [n for n in names if n.endswith("entry_points.txt")]
        assert "[painread.translations]" in archive.read(entry_points).decode()
    assert "painread_fr_example/locales/fr/LC_MESSAGES/painread.po" in names


def test_an_installed_plugin_is_discovered_and_serves_its_units(
    fresh_venv: Path, tmp_path: Path
) -> None:
    clean = {k: v for k, v in plugins_enabled().items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    result = subprocess.run(
        [str(fresh_venv), "-c", PROBE],
        cwd=tmp_path, env=clean, check=True, capture_output=True, text=True,
    )  # fmt: skip
    report = json.loads(result.stdout)
    assert Path(report["file"]).is_relative_to(fresh_venv.parent.parent)
    assert "fr" in report["available"]
    assert {"ar", "de", "en", "es"} <= set(report["available"])
    assert report["locale"] == "fr"
    assert report["title"] == [
        "Les pilules de kratom et la prise en charge de la douleur chronique",
        "fr",
    ]
    assert report["introduction"] == "fr"
    assert report["anchor"] == "fr"
    assert report["summary"] == [True, "en"]
    assert report["fallbacks"] == ["en"]
    assert report["served_in_fr"] == sorted(
        [
            "article.title",
            "introduction.p1",
            "note.natural-alternative.anchor",
            "note.natural-alternative.text",
            "disclaimer.text",
            "ui.disclaimer.heading",
            "ui.disclaimer.short",
            "ui.translation-unreviewed",
            "notice.translation-unreviewed.text",
        ]
    )
    assert report["disclaimer"] == ["fr", True]
    assert report["notices"] == "translation-unreviewed"
    assert report["origin"] == "plugin:fr-example"
    assert report["reviewed"] is False
    assert report["english_title"] == "Kratom pills and chronic pain management"
