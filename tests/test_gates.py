"""What ships is validated where the docs say (content.md, locales.md).

The English article is validated in full by ``tools/gen_article.py``, which
refuses to write an invalid document; the bundled catalogs by the build hook's
gate (``painread.i18n.compile_validated``), which refuses to compile an invalid
one and marks the MO files it writes. Only content that passed a gate is built
without validation at run time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import painread
from painread import catalogs, loader, translation
from painread.errors import CatalogError
from painread.i18n import compile_catalogs, compile_validated
from tests.conftest import ROOT
from tests.i18n_helpers import BUNDLED, use_registry

GENERATOR = ROOT / "tools" / "gen_article.py"
SHIPPED = ROOT / "src" / "painread" / "data" / "article.json"


def _generate(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> tuple[int, str, Path]:
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    edit(document)
    source, target = tmp_path / "article.json", tmp_path / "_article_data.py"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--source", str(source), "--target", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stderr, target


def _break_anchor(document: dict[str, Any]) -> None:
    document["notes"][0]["anchor"]["text"] = "words the article does not contain"


def _blank_paragraph(document: dict[str, Any]) -> None:
    document["introduction"]["paragraphs"][0]["text"] = "   "


def _wrong_hash(document: dict[str, Any]) -> None:
    document["summary"]["paragraphs"][0]["text"] += " Changed."


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (_break_anchor, "notes[0].anchor"),
        (_blank_paragraph, "introduction.paragraphs.0.text"),
        (_wrong_hash, "metadata.content_hash"),
    ],
)
def test_the_generator_refuses_invalid_content_naming_the_field(
    edit: Callable[[dict[str, Any]], None], named: str, tmp_path: Path
) -> None:
    code, stderr, target = _generate(tmp_path, edit)
    assert code == 1
    assert named in stderr
    assert "nothing written" in stderr
    assert not target.exists()


def test_the_generator_writes_the_shipped_module_from_the_shipped_document(
    tmp_path: Path,
) -> None:
    code, stderr, target = _generate(tmp_path, lambda document: None)
    assert code == 0, stderr
    shipped = ROOT / "src" / "painread" / "_article_data.py"
    assert target.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")


# --- the bundled catalogs -------------------------------------------------------------------


@pytest.fixture
def bundled_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled catalogs (PO files only), served as the bundled origin."""
    root = tmp_path / "locales"
    for po in BUNDLED.glob("*/LC_MESSAGES/painread.po"):
        target = root / po.relative_to(BUNDLED)
        target.parent.mkdir(parents=True)
        shutil.copyfile(po, target)
    source = translation.TranslationSource(
        catalogs.BUNDLED_ORIGIN, root, trusted=True, packaged=True
    )
    use_registry(monkeypatch, bundled=source)
    return root


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    original = loader.build_article

    def spy(*args: Any, trusted: bool = False, **kwargs: Any) -> painread.Article:
        seen.append(trusted)
        return original(*args, trusted=trusted, **kwargs)

    monkeypatch.setattr(loader, "build_article", spy)
    return seen


def _po(root: Path, code: str = "de") -> Path:
    return root / code / "LC_MESSAGES" / "painread.po"


def test_the_gate_compiles_and_marks_a_valid_catalog(bundled_copy: Path) -> None:
    po = _po(bundled_copy)
    compile_validated(po, po.with_suffix(".mo"))
    headers, _ = translation.parse_mo(po.with_suffix(".mo").read_bytes(), path="mo")
    assert headers["x-painread-validated"] == translation.source_hash()


def test_the_gate_refuses_an_invalid_catalog_and_writes_nothing(bundled_copy: Path) -> None:
    po = _po(bundled_copy)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Kratom-Pillen', 'msgstr "Kratom\\q-Pillen', 1), "utf-8")
    with pytest.raises(CatalogError, match="invalid control sequence") as caught:
        compile_validated(po, po.with_suffix(".mo"))
    assert (caught.value.path, caught.value.line) == (str(po), 23)
    assert not po.with_suffix(".mo").exists()


def test_the_gate_refuses_what_the_reader_would_skip(bundled_copy: Path) -> None:
    po = _po(bundled_copy)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgctxt "article.title"', '#, fuzzy\nmsgctxt "article.title"'))
    with pytest.raises(CatalogError, match="fuzzy"):
        compile_validated(po, po.with_suffix(".mo"))
    assert not po.with_suffix(".mo").exists()


@pytest.mark.parametrize(
    ("spoil", "trusted"),
    [
        pytest.param(lambda po: None, True, id="as the gate left it"),
        pytest.param(
            lambda po: po.with_suffix(".mo").unlink(), False, id="no MO: the PO file is read"
        ),
        pytest.param(
            lambda po: po.write_text(po.read_text(encoding="utf-8") + "\n# edited\n", "utf-8"),
            False,
            id="PO edited after the gate",
        ),
        pytest.param(
            lambda po: compile_catalogs(po.parents[2]), False, id="compiled without the gate"
        ),
        pytest.param(
            lambda po: po.with_suffix(".mo").write_bytes(
                po.with_suffix(".mo")
                .read_bytes()
                .replace(translation.source_hash().encode(), b"0" * 64)
            ),
            False,
            id="marked for another source",
        ),
    ],
)
def test_only_what_passed_the_gate_skips_validation(
    spoil: Callable[[Path], object],
    trusted: bool,
    bundled_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    po = _po(bundled_copy)
    compile_validated(po, po.with_suffix(".mo"))
    spoil(po)
    seen = _builds(monkeypatch)
    assert painread.load("de").locale == "de"
    assert seen == [trusted]


def test_a_po_file_cannot_carry_the_mark_itself(bundled_copy: Path) -> None:
    po = _po(bundled_copy)
    text = po.read_text(encoding="utf-8")
    forged = text.replace(
        '"X-Painread-Reviewed: no\\n"',
        f'"X-Painread-Reviewed: no\\n"\n"X-Painread-Validated: {translation.source_hash()}\\n"',
    )
    po.write_text(forged, encoding="utf-8")
    compile_catalogs(bundled_copy)
    headers, _ = translation.parse_mo(po.with_suffix(".mo").read_bytes(), path="mo")
    assert "x-painread-validated" not in headers


def test_every_shipped_catalog_passes_the_gate(tmp_path: Path) -> None:
    for po in sorted(BUNDLED.glob("*/LC_MESSAGES/painread.po")):
        target = tmp_path / po.relative_to(BUNDLED)
        target.parent.mkdir(parents=True)
        shutil.copyfile(po, target)
        compile_validated(target, target.with_suffix(".mo"))
    assert len(list(tmp_path.glob("*/LC_MESSAGES/painread.mo"))) == 3
