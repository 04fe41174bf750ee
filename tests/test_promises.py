"""Promises of the README and docs/ that once did not hold, each held by a test here.

Every test goes through the public API (or the command line) and names the
page that makes the promise. The catalog syntax promise (``i18n check``
refuses what ``msgfmt --check`` refuses) is in ``test_i18n_msgfmt.py``; the
fallback table in ``test_fallback_chains.py``.
"""

from __future__ import annotations

import io
from typing import Literal

import pytest

import painread
from painread.cli import environment_locales, main
from painread.renderers.base import Renderer, View
from tests.i18n_helpers import FakeEntryPoint, registry, use_registry

__all__ = ["registry"]

# --- architecture.md, disclaimer.md: no format can skip the disclaimer step -------------------


def test_a_renderer_that_overrides_render_is_refused_when_defined() -> None:
    with pytest.raises(TypeError, match=r"may not override Renderer\.render"):

        class Bare(Renderer[str]):  # pragma: no cover - never created
            name = "bare"

            def render(self, view: View) -> str:
                return view.article.title.text

            def header_block(self, view: View) -> str:
                return ""

            def notices_block(self, view: View) -> str:
                return ""

            def body_block(self, view: View) -> str:
                return ""

            def disclaimer_block(self, view: View, position: Literal["top", "bottom"]) -> str:
                return ""

            def join(self, view: View, blocks: object) -> str:
                return ""


def test_the_disclaimer_step_cannot_be_replaced_on_a_class_or_an_instance() -> None:
    from painread.renderers.text import TextRenderer

    with pytest.raises(TypeError, match="may not override"):
        TextRenderer.render = lambda self, view: ""  # type: ignore[method-assign]
    with pytest.raises(TypeError, match="may not override"):
        TextRenderer()._verify = lambda view, output: None  # type: ignore[method-assign]
    with pytest.raises(TypeError, match="may not override"):
        del Renderer.render
    rendered = painread.render(painread.load(), "text")
    assert painread.load().disclaimer.text.split()[0] in rendered


# --- cli.md: the language comes from the environment the way gettext reads it -----------------


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LC_ALL": "POSIX", "LANGUAGE": "de"}, []),
        ({"LC_ALL": "C", "LANGUAGE": "de", "LANG": "es_ES.UTF-8"}, []),
        ({"LANG": "C.UTF-8", "LANGUAGE": "de"}, []),
        ({"LANGUAGE": "de"}, []),  # no locale set at all is the C locale
        ({"LANG": "es_ES.UTF-8", "LANGUAGE": "de:ar"}, ["de", "ar"]),
        ({"LC_MESSAGES": "POSIX", "LANG": "es_ES.UTF-8", "LANGUAGE": "de"}, []),
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ar_EG.UTF-8", "LANGUAGE": ""}, ["ar_EG.UTF-8"]),
    ],
)
def test_language_is_ignored_when_the_locale_is_c_or_posix(
    environment: dict[str, str], expected: list[str]
) -> None:
    assert environment_locales(environment) == expected


def test_the_command_reads_english_under_posix_whatever_language_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("LANG", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LC_ALL", "POSIX")
    monkeypatch.setenv("LANGUAGE", "de")
    out = io.StringIO()
    assert main(["sections"], stdout=out) == 0
    english = painread.load("en")
    assert out.getvalue().splitlines()[0] == f"{english.toc[0].id}\t{english.toc[0].title}"


# --- locales.md: BCP 47 tags, extensions included, are accepted; extensions do not match ------

EXTENDED_TAGS = ["de-DE-u-co-phonebk", "de-t-en", "de-x-house-style", "de-AT-u-nu-latn-x-a"]


@pytest.mark.parametrize("tag", EXTENDED_TAGS)
def test_load_accepts_extensions_and_ignores_them(tag: str) -> None:
    assert painread.load(tag) is painread.load(tag.split("-")[0])
    assert painread.load(tag, strict=True).locale == "de"
    assert painread.locale_info(tag).code == "de"
    with painread.use_locale(tag):
        assert painread.load().locale == "de"


@pytest.mark.parametrize("tag", EXTENDED_TAGS)
def test_negotiate_matches_a_tag_with_extensions(tag: str) -> None:
    assert painread.negotiate(f"{tag}, en;q=0.5") == "de"
    assert painread.negotiate([tag, "es"]) == "de"


def test_the_command_reads_a_tag_with_extensions(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(["sections", "--locale", "de-DE-u-co-phonebk"], stdout=out) == 0
    german = painread.load("de")
    assert out.getvalue().splitlines()[0] == f"{german.toc[0].id}\t{german.toc[0].title}"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("tag", ["de-u", "de-u-", "de-x", "x-private", "de-u-c"])
def test_malformed_extensions_are_still_invalid(tag: str) -> None:
    with pytest.raises(painread.InvalidLocaleError):
        painread.load(tag)


# --- locales.md: plugin code runs only when a locale other than English could be served ------


def _spy_on_plugins(monkeypatch: pytest.MonkeyPatch, root: object) -> list[str]:
    calls: list[str] = []

    def listing() -> list[FakeEntryPoint]:
        calls.append("listed")
        return [FakeEntryPoint("spy", lambda: calls.append("loaded") or root)]

    use_registry(monkeypatch, listing=listing)
    return calls


@pytest.mark.parametrize(
    "ask",
    [
        lambda: painread.negotiate("en"),
        lambda: painread.negotiate("en-US,en;q=0.9"),
        lambda: painread.negotiate(["en-US", "en"]),
        lambda: painread.negotiate("en-Latn-US-u-ca-gregory"),
        lambda: painread.negotiate("en-GB"),
        lambda: painread.load("en-001"),
        lambda: painread.negotiate(None),
        lambda: painread.load("en-US"),
        lambda: painread.load("en_US.UTF-8", strict=True),
        lambda: painread.locale_info("en-US"),
        lambda: painread.use_locale("en-US")(painread.load)(),
    ],
)
def test_english_requests_run_no_plugin_code(
    ask: object, monkeypatch: pytest.MonkeyPatch, registry: object, tmp_path: object
) -> None:
    calls = _spy_on_plugins(monkeypatch, tmp_path)
    ask()  # type: ignore[operator]
    assert calls == []


@pytest.mark.parametrize(
    "ask",
    [
        lambda: painread.negotiate("fr, en;q=0.5"),
        lambda: painread.load("de"),
        painread.available_locales,
    ],
)
def test_other_requests_discover_plugins_once(
    ask: object, monkeypatch: pytest.MonkeyPatch, registry: object, tmp_path: object
) -> None:
    calls = _spy_on_plugins(monkeypatch, tmp_path)
    ask()  # type: ignore[operator]
    ask()  # type: ignore[operator]
    assert calls == ["listed", "loaded"]


# --- locales.md: locale_info describes what load serves --------------------------------------


def test_locale_info_agrees_with_the_article_load_serves(
    registry: object, tmp_path: object
) -> None:
    from pathlib import Path

    from tests.i18n_helpers import ENGLISH, write_po

    german = painread.load("de")
    entries = {
        unit.id: unit.text
        for unit in german.units()
        if unit.id in ENGLISH and unit.id != "ui.translation-unreviewed"
    }
    write_po(Path(str(tmp_path)), "de_AT", entries, reviewed="yes")
    painread.add_translations(Path(str(tmp_path)))

    article = painread.load("de-AT")
    info = painread.locale_info("de-AT")
    unreviewed = [n for n in article.notices if n.id == "translation-unreviewed"]
    assert dict(article.fallbacks) == {
        "ui.translation-unreviewed": "de",
        "notice.translation-unreviewed.text": "de",
    }
    assert unreviewed  # the label came from the unreviewed bundled catalog
    assert info.reviewed is False
    assert info.code == article.locale == "de_AT"
    assert info.origins == (f"registered:{tmp_path}", "bundled")
    assert info.fallbacks == ("de",)
    served_here = [u for u in article.units() if u.id in ENGLISH and u.locale == "de_AT"]
    assert info.completeness == len(served_here) / len(ENGLISH)


def test_locale_info_of_a_fully_reviewed_locale(registry: object, tmp_path: object) -> None:
    from pathlib import Path

    from tests.i18n_helpers import whole, write_po

    write_po(Path(str(tmp_path)), "de_AT", whole("de_AT"), reviewed="yes")
    painread.add_translations(Path(str(tmp_path)))
    article = painread.load("de-AT")
    info = painread.locale_info("de-AT")
    assert not [n for n in article.notices if n.id == "translation-unreviewed"]
    assert (info.reviewed, info.origins, info.fallbacks, info.completeness) == (
        True,
        (f"registered:{tmp_path}",),
        (),
        1.0,
    )
