"""axe-core, bidi glyph order and small-screen positions, measured in Chromium.

Every locale x view x placement is rendered with the shipped stylesheet inside a
host page that has its own header, ``h1`` and ``nav`` (the fragment nested at
``heading_level=2``), and audited by axe-core with the WCAG 2.0-2.2 A/AA and
best-practice rules. ``tests/browser/audit.js`` drives the system Chromium
through puppeteer-core; ``.ci/run`` installs both with ``npm ci``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import painread
from painread.renderers import PLACEMENTS, render
from painread.renderers.html import standalone_page, stylesheet
from tests.browser_helpers import chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
SHOTS = ROOT / "artifacts" / "browser"
LOCALES = ("en", "es", "de", "ar")
VIEWS = (None, *(section.id for section in painread.load().sections))
SMALL = 320
LARGE = 1280
FIRST_SENTENCE_LIMIT = 1600

HOST = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page: {title}</title>
<style>
body {{ margin: 0; font-family: sans-serif; }}
.host-header {{ padding: 0.5rem 1rem; background: #1f2937; color: #ffffff; }}
.host-header a {{ color: #ffffff; }}
{css}</style>
</head>
<body>
<header class="host-header">
<h1>Host site</h1>
<nav aria-label="Site"><ul>
<li><a href="#main">Home</a></li><li><a href="#main">About</a></li>
</ul></nav>
</header>
<main id="main">
{fragment}</main>
<footer><p>Host footer</p></footer>
</body>
</html>
"""


def node_tools() -> str:
    """The node binary, with tests/browser's packages installed; a skip outside CI."""
    node = shutil.which("node")
    ready = (BROWSER / "node_modules" / "axe-core").is_dir() and (
        BROWSER / "node_modules" / "puppeteer-core"
    ).is_dir()
    if node and ready:
        return node
    if os.environ.get("CI"):
        pytest.fail("CI is set but axe-core is missing: .ci/run must run npm ci in tests/browser")
    pytest.skip("run `npm ci` in tests/browser (axe-core, puppeteer-core) for this test")


def host_page(locale: str, view: str | None, placement: str) -> str:
    article = painread.load(locale)
    info = painread.locale_info(locale)
    fragment = render(article, "html", section=view, placement=placement, heading_level=2)
    title = f"{locale} {view or 'article'} {placement}"
    return HOST.format(
        lang=info.tag, dir=info.direction, title=title, css=stylesheet(), fragment=fragment
    )


def whole_page(locale: str) -> str:
    article = painread.load(locale)
    fragment = render(article, "html")
    return standalone_page(fragment, title=article.title.text, locale=article.locale)


def audit(jobs: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    node = node_tools()
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps({"pages": jobs}), encoding="utf-8")
    done = subprocess.run(
        [node, str(BROWSER / "audit.js"), str(jobs_file)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "CHROMIUM": chromium()},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("audit")
    jobs: list[dict[str, Any]] = []
    for locale in LOCALES:
        for view in VIEWS:
            for placement in PLACEMENTS:
                path = folder / f"{locale}-{view or 'article'}-{placement}.html"
                path.write_text(host_page(locale, view, placement), encoding="utf-8")
                for width in (SMALL, LARGE):
                    jobs.append(
                        {
                            "path": str(path),
                            "width": width,
                            "axe": True,
                            "glyphs": locale == "ar" and width == LARGE,
                            "positions": width == SMALL,
                        }
                    )
        path = folder / f"{locale}-standalone.html"
        path.write_text(whole_page(locale), encoding="utf-8")
        for width in (SMALL, LARGE):
            job: dict[str, Any] = {"path": str(path), "width": width, "axe": True}
            job["positions"] = True
            job["glyphs"] = locale == "ar"
            if locale in ("en", "ar"):
                job["screenshot"] = str(SHOTS / f"{locale}-{width}.png")
            jobs.append(job)
    result = audit(jobs, folder)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "audit.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def test_axe_finds_no_violation_on_any_page(audited: dict[str, Any]) -> None:
    results = audited["results"]
    assert len(results) == len(LOCALES) * (len(VIEWS) * len(PLACEMENTS) + 1) * 2
    found = {Path(r["path"]).name + f"@{r['width']}": r["violations"] for r in results}
    assert {page: violations for page, violations in found.items() if violations} == {}
    assert audited["axe"].startswith("4.")


def test_left_to_right_runs_in_arabic_show_in_logical_order(audited: dict[str, Any]) -> None:
    runs = [run for result in audited["results"] for run in result.get("glyphs", ())]
    assert any(run["text"] == "1-800-222-1222" for run in runs)
    assert any(run["text"] == "7-OH" for run in runs)
    wrong = {run["text"]: run["visual"] for run in runs if not run["inOrder"]}
    assert wrong == {}


def test_unisolated_phone_number_would_be_reordered(tmp_path: Path) -> None:
    """The measurement can fail: without isolation Chromium draws the number out of order."""
    page = whole_page("ar")
    bare = re.sub(r"<bdi [^>]*>|</bdi>", "", page)
    path = tmp_path / "bare.html"
    path.write_text(bare, encoding="utf-8")
    probe = _probe_order(path, tmp_path)
    assert probe["visual"] != "1-800-222-1222", probe


def _probe_order(path: Path, folder: Path) -> dict[str, Any]:
    script = folder / "probe.js"
    script.write_text(PROBE.replace("PAGE", json.dumps("file://" + str(path))), encoding="utf-8")
    done = subprocess.run(
        [node_tools(), str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=BROWSER,
        env={**os.environ, "CHROMIUM": chromium(), "NODE_PATH": str(BROWSER / "node_modules")},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


PROBE = """
const puppeteer = require('puppeteer-core');
(async () => {
  const browser = await puppeteer.launch({executablePath: process.env.CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run']});
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  await page.goto(PAGE);
  const result = await page.evaluate(() => {
    const text = document.querySelector('.painread-disclaimer__text').firstChild;
    const whole = text.textContent;
    const start = whole.indexOf('1-800-222-1222');
    const range = document.createRange();
    const boxes = [];
    for (let i = start; i < start + 14; i += 1) {
      range.setStart(text, i); range.setEnd(text, i + 1);
      const rect = range.getBoundingClientRect();
      boxes.push({c: whole[i], x: rect.left});
    }
    boxes.sort((a, b) => a.x - b.x);
    return {visual: boxes.map((b) => b.c).join('')};
  });
  await browser.close();
  process.stdout.write(JSON.stringify(result));
})().catch((e) => { process.stderr.write(String(e.stack || e)); process.exit(1); });
"""


def _positions(audited: dict[str, Any], locale: str, width: int) -> dict[str, Any]:
    for result in audited["results"]:
        if result["path"].endswith(f"{locale}-standalone.html") and result["width"] == width:
            found: dict[str, Any] = result["positions"]
            return found
    raise AssertionError(f"no standalone page for {locale} at {width}")


@pytest.mark.parametrize("locale", LOCALES)
def test_small_screen_reader_meets_disclaimer_link_then_text_early(
    audited: dict[str, Any], locale: str
) -> None:
    shown = _positions(audited, locale, SMALL)
    assert shown["scrollWidth"] <= SMALL
    assert shown["firstSentence"] <= FIRST_SENTENCE_LIMIT, shown["firstSentence"]
    assert shown["linkVisible"] is True
    assert shown["linkTop"] < shown["firstSentence"]
    assert shown["disclaimerVisible"] is True
    article = painread.load(locale)
    texts = {" ".join(notice["text"].split()) for notice in shown["notices"]}
    assert all(notice["visible"] for notice in shown["notices"])
    for notice in article.notices:
        assert any(" ".join(notice.text.text.split()) in text for text in texts), notice.id


def test_in_every_host_page_the_disclaimer_or_its_link_comes_before_the_text(
    audited: dict[str, Any],
) -> None:
    pages = [r for r in audited["results"] if "standalone" not in r["path"] and r["width"] == SMALL]
    assert len(pages) == len(LOCALES) * len(VIEWS) * len(PLACEMENTS)
    for page in pages:
        shown = page["positions"]
        first = shown["firstSentence"]
        before = shown["disclaimerTop"] < first or (
            shown["linkVisible"] and shown["linkTop"] < first
        )
        assert before, page["path"]
        assert shown["scrollWidth"] <= SMALL, page["path"]
        assert all(notice["visible"] for notice in shown["notices"]), page["path"]
