"""Load the HTML fragment in headless Chromium and check what a reader would see.

The test page wraps the fragment with the shipped stylesheet and a
test-only script (outside the fragment) that measures the rendered page and
writes the result into the DOM, which ``--dump-dom`` prints. A strict Content
Security Policy allows only that script and stylesheet, and the script records
every violation: a fragment that needed an inline script, a ``style``
attribute or any external resource would show up there.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import re
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

import painread
from painread.models import Article
from painread.renderers import render
from tests.browser_helpers import FLAGS, chromium

pytestmark = pytest.mark.slow  # drives headless Chromium; CI runs it in its slow step

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "artifacts" / "browser" / "article.png"
ARTICLE = painread.load()
WIDTH = 1000

WATCH = """
window.painreadViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.painreadViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""

MEASURE = """
(function () {
  function box(element) {
    var rect = element.getBoundingClientRect();
    return {width: rect.width, height: rect.height};
  }
  function seen(element) {
    element.scrollIntoView({block: 'center'});
    var rect = element.getBoundingClientRect();
    var style = getComputedStyle(element);
    var hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return {
      text: element.innerText,
      width: rect.width,
      height: rect.height,
      checkVisibility: element.checkVisibility({opacityProperty: true, visibilityProperty: true}),
      visibility: style.visibility,
      opacity: style.opacity,
      fontSize: parseFloat(style.fontSize),
      color: style.color,
      background: getComputedStyle(element.closest('aside')).backgroundColor,
      onTop: hit !== null && (hit === element || element.contains(hit))
    };
  }
  var article = document.querySelector('article.painread');
  var result = {
    dir: article.getAttribute('dir'),
    direction: getComputedStyle(article).direction,
    lang: article.lang,
    disclaimers: Array.prototype.map.call(
      document.querySelectorAll('.painread-disclaimer'),
      function (aside) {
        var shown = seen(aside.querySelector('.painread-disclaimer__text'));
        shown.role = aside.getAttribute('role');
        return shown;
      }),
    headings: Array.prototype.map.call(
      article.querySelectorAll('h1, h2, h3, h4, h5, h6'),
      function (heading) { return [Number(heading.tagName[1]), heading.innerText]; }),
    hiddenPrefixes: Array.prototype.map.call(
      article.querySelectorAll('.painread-visually-hidden'),
      function (span) { var size = box(span); size.text = span.textContent; return size; }),
    violations: window.painreadViolations,
    height: document.documentElement.scrollHeight
  };
  document.getElementById('painread-test-result').textContent = JSON.stringify(result);
})();
"""


def documented_css() -> str:
    return painread.stylesheet() + "#painread-test-result { display: none; }\n"


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def page(fragment: str, lang: str) -> str:
    css = documented_css()
    policy = (
        f"default-src 'none'; script-src {_hash(WATCH)} {_hash(MEASURE)}; style-src {_hash(css)}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        f"<title>painread browser test</title>\n<style>{css}</style>\n"
        f"<script>{WATCH}</script>\n</head>\n<body>\n<main>\n{fragment}</main>\n"
        f'<pre id="painread-test-result"></pre>\n<script>{MEASURE}</script>\n</body>\n</html>\n'
    )


def run(binary: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def measure(binary: str, path: Path) -> dict[str, Any]:
    dom = run(
        binary, path.parent / "profile", f"--window-size={WIDTH},900", "--dump-dom", path.as_uri()
    )
    match = re.search(r'<pre id="painread-test-result">(.*?)</pre>', dom.stdout, re.S)
    assert match, "the page's measuring script did not run"
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return result


@pytest.fixture(scope="module")
def binary() -> str:
    return chromium()


def _write(tmp_path: Path, article: Article, **options: Any) -> Path:
    fragment = render(article, "html", **options)
    path = tmp_path / "page.html"
    path.write_text(page(fragment, article.locale.replace("_", "-")), encoding="utf-8")
    return path


def test_disclaimer_is_visible_and_headings_are_in_order(binary: str, tmp_path: Path) -> None:
    path = _write(tmp_path, ARTICLE, placement="both")
    result = measure(binary, path)

    assert result["violations"] == []
    assert len(result["disclaimers"]) == 2
    for shown in result["disclaimers"]:
        assert " ".join(shown["text"].split()) == ARTICLE.disclaimer.text
        assert shown["role"] == "note"
        assert shown["checkVisibility"] is True
        assert shown["visibility"] == "visible"
        assert float(shown["opacity"]) == 1
        assert shown["width"] > 200
        assert shown["height"] > 20
        assert shown["fontSize"] >= 12
        assert shown["onTop"] is True
        assert shown["color"] != shown["background"]
    levels = [level for level, _ in result["headings"]]
    assert levels[0] == 1
    assert [title for level, title in result["headings"] if level == 1] == [
        ARTICLE.label("ui.disclaimer.heading"),
        ARTICLE.title.text,
    ]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    titles = [title for _, title in result["headings"]]
    positions = [titles.index(section.title.text) for section in ARTICLE.sections]
    assert positions == sorted(positions)
    assert result["dir"] == "ltr"
    assert result["direction"] == "ltr"
    prefixes = result["hiddenPrefixes"]
    assert prefixes
    assert all(prefix["text"].strip() and prefix["width"] <= 1 for prefix in prefixes)

    take_screenshot(binary, path, result["height"])


def take_screenshot(binary: str, path: Path, height: int) -> None:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    size = f"--window-size={WIDTH},{min(max(height, 600), 16000)}"
    run(binary, path.parent / "profile-shot", size, f"--screenshot={SCREENSHOT}", path.as_uri())
    png = SCREENSHOT.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, shot_height = struct.unpack(">II", png[16:24])
    assert width == WIDTH
    assert shot_height >= min(height, 16000) - 1
    assert len(png) > 50_000


def test_right_to_left_locale_is_laid_out_right_to_left(binary: str, tmp_path: Path) -> None:
    arabic = ARTICLE.model_copy(update={"locale": "ar"})
    result = measure(binary, _write(tmp_path, arabic, section="dosage-and-safety"))
    assert result["dir"] == "rtl"
    assert result["direction"] == "rtl"
    assert result["lang"] == "ar"
    assert result["violations"] == []
    assert len(result["disclaimers"]) == 1
    assert result["disclaimers"][0]["checkVisibility"] is True
    assert result["disclaimers"][0]["onTop"] is True
