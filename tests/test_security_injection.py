"""HTML injection through translations, checked in headless Chromium.

Each payload of the corpus becomes a registered translation of its own in which
*every* unit carries the payload (note anchors included, inside target texts
that still quote them). The HTML fragment of each, the JSON-LD inside a
``<script type="application/ld+json">`` and the Markdown turned into HTML by a
CommonMark renderer with raw HTML enabled all go into one page, with no Content
Security Policy to help. Every payload tries to call ``pwn(n)``, which records
``n``, sets the document title and a DOM attribute; the page's harness script
(outside the fragments) fires every event handler and clicks every
``javascript:`` URL it can find, then writes what it saw into the DOM, which
``--dump-dom`` prints.

A control page puts the same payloads in raw, each in its own ``srcdoc`` frame,
to prove the harness does see a payload that runs.
"""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

import painread
from painread import catalogs, translation
from painread._integrity import is_safety_unit, unit_problem
from painread.models import Article
from tests.browser_helpers import FLAGS, chromium
from tests.i18n_helpers import ENGLISH, registry, write_po
from tests.test_security_corpus import ROOT, record

__all__ = ["registry"]

SCREENSHOT = ROOT / "artifacts" / "security" / "injection.png"
TITLE = "painread injection test"

PAYLOADS = [
    "<script>pwn({n})</script>",
    "<ScRiPt>pwn({n})</sCrIpT>",
    '<script src="data:text/javascript,pwn({n})"></script>',
    "<img src=x onerror=pwn({n})>",
    '<img src="x" onerror="pwn({n})">',
    '<img/src="x"/onerror=pwn({n})>',
    '<img src=x onerror="&#112;&#119;&#110;({n})">',
    "<img src=x onerror=pwn&#40;{n}&#41;>",
    '<img src="x\n" onerror=pwn({n})>',
    "<svg onload=pwn({n})>",
    "<svg><script>pwn({n})</script></svg>",
    "<svg><animate onbegin=pwn({n}) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:pwn({n})"><text x=0 y=20>x</text></a></svg>',
    "<svg><style><img src=x onerror=pwn({n})></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=pwn({n})>",
    '<math><maction actiontype="statusline" xlink:href="javascript:pwn({n})">x</maction></math>',
    "<body onload=pwn({n})>",
    '<iframe srcdoc="<script>parent.pwn({n})</script>"></iframe>',
    '<iframe src="javascript:parent.pwn({n})"></iframe>',
    '<a href="javascript:pwn({n})">click</a>',
    '<a href="JaVaScRiPt:pwn({n})">x</a>',
    '<a href="&#106;avascript:pwn({n})">x</a>',
    '<a href="java&#x09;script:pwn({n})">x</a>',
    '<a href=" javascript:pwn({n})">x</a>',
    '<a href="#" onclick="pwn({n})">x</a>',
    "<details open ontoggle=pwn({n})>",
    "<input autofocus onfocus=pwn({n})>",
    "<select autofocus onfocus=pwn({n})></select>",
    "<div onmouseover=pwn({n})>hover</div>",
    "</textarea><script>pwn({n})</script>",
    "</title><script>pwn({n})</script>",
    "</style><script>pwn({n})</script>",
    "</script><script>pwn({n})</script>",
    "--><script>pwn({n})</script>",
    "<!--<script>pwn({n})</script>-->",
    "<![CDATA[<script>pwn({n})</script>]]>",
    '" onmouseover="pwn({n})" x="',
    "' onfocus='pwn({n})' autofocus x='",
    '"><script>pwn({n})</script>',
    "'><img src=x onerror=pwn({n})>",
    "`><img src=x onerror=pwn({n})>",
    "&lt;script&gt;pwn({n})&lt;/script&gt;",
    "&#60;script&#62;pwn({n})&#60;/script&#62;",
    "\\u003cscript\\u003epwn({n})\\u003c/script\\u003e",
    "\\x3cscript\\x3epwn({n})\\x3c/script\\x3e",
    "%3Cscript%3Epwn({n})%3C/script%3E",
    "\uff1cscript\uff1epwn({n})\uff1c/script\uff1e",
    "+ADw-script+AD4-pwn({n})+ADw-/script+AD4-",
    "<scr<script>ipt>pwn({n})</scr</script>ipt>",
    "${{pwn({n})}}",
    "`${{pwn({n})}}`",
    "{{{{constructor.constructor('pwn({n})')()}}}}",
    "<style>@import 'javascript:pwn({n})';</style>",
    '<div style="background:url(javascript:pwn({n}))">x</div>',
    "<style>body{{background-image:url('javascript:pwn({n})')}}</style>",
    '<object data="javascript:pwn({n})"></object>',
    '<embed src="javascript:pwn({n})">',
    '<form><button formaction="javascript:pwn({n})">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:pwn({n})">',
    '<base href="javascript:pwn({n})//">',
    "<video><source onerror=pwn({n})></video>",
    "<audio src=x onerror=pwn({n})>",
    "<marquee onstart=pwn({n})>x</marquee>",
    '<noscript><p title="</noscript><img src=x onerror=pwn({n})>">',
    "<template><script>pwn({n})</script></template>",
    "<xmp><script>pwn({n})</script></xmp>",
    "javascript:pwn({n})",
    "<textarea autofocus onfocus=pwn({n})>",
    "<plaintext><script>pwn({n})</script>",
]
LEGITIMATE = "Take < 2 g & wait; 5 > 3, a<b>c, \"quoted\" 'single' &amp; &lt; &#60; \u00a0\u2014 ok"

HEAD = """
window.__pwned = [];
function pwn(n) {
  window.__pwned.push(n);
  document.title = 'PWNED';
  document.documentElement.setAttribute('data-pwned', String(n));
}
"""

REPORT = """
(function () {
  function fire(doc) {
    var fired = {handlers: 0, javascriptUrls: 0};
    Array.prototype.forEach.call(doc.querySelectorAll('*'), function (element) {
      Array.prototype.forEach.call(element.attributes, function (attribute) {
        var name = attribute.name.toLowerCase();
        if (name.indexOf('on') === 0) {
          fired.handlers += 1;
          try { element.dispatchEvent(new Event(name.slice(2))); } catch (e) {}
        }
        if (/^\\s*javascript:/i.test(attribute.value.replace(/[\\s\\u0000]/g, ''))) {
          fired.javascriptUrls += 1;
          try {
            element.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
          } catch (e) {}
        }
      });
    });
    return fired;
  }
  function shape(container) {
    var tags = {}, attributes = {}, hrefs = [];
    Array.prototype.forEach.call(container.querySelectorAll('*'), function (element) {
      tags[element.tagName.toLowerCase()] = true;
      Array.prototype.forEach.call(element.attributes, function (attribute) {
        attributes[attribute.name] = true;
      });
      if (element.hasAttribute('href')) { hrefs.push(element.getAttribute('href')); }
    });
    return {tags: Object.keys(tags), attributes: Object.keys(attributes), hrefs: hrefs};
  }
  window.addEventListener('load', function () {
  var fired = fire(document);
  Array.prototype.forEach.call(document.querySelectorAll('iframe.control'), function (frame) {
    try {
      var more = fire(frame.contentDocument);
      fired.handlers += more.handlers;
      fired.javascriptUrls += more.javascriptUrls;
    } catch (e) {}
  });
  setTimeout(function () {
    var cases = {};
    Array.prototype.forEach.call(document.querySelectorAll('.case'), function (container) {
      var ld = document.getElementById('ld-' + container.dataset.case);
      var parsed = null;
      try { parsed = JSON.parse(ld.textContent); } catch (e) { parsed = 'unparsable'; }
      cases[container.dataset.case] = {
        text: container.querySelector('.fragment').textContent,
        markdown: container.querySelector('.markdown').textContent,
        shape: shape(container.querySelector('.fragment')),
        markdownShape: shape(container.querySelector('.markdown')),
        jsonld: parsed
      };
    });
    var result = {
      pwned: window.__pwned,
      title: document.title,
      marker: document.documentElement.getAttribute('data-pwned'),
      fired: fired,
      cases: cases
    };
    document.getElementById('painread-test-result').textContent = JSON.stringify(result);
  }, 1500);
  });
})();
"""


@dataclass(frozen=True)
class Case:
    """One payload (or the legitimate text) translated into every unit of one locale."""

    number: int
    locale: str
    payload: str


def _locales(count: int) -> list[str]:
    from babel.localedata import locale_identifiers

    taken = {"en", *painread.available_locales()}
    languages = sorted(code for code in locale_identifiers() if "_" not in code)
    return [code for code in languages if code not in taken][:count]


def cases() -> list[Case]:
    """Every payload with its number filled in, and the legitimate text last."""
    texts = [payload.format(n=number) for number, payload in enumerate(PAYLOADS)]
    texts.append(LEGITIMATE)
    return [
        Case(number, locale, text)
        for number, (locale, text) in enumerate(zip(_locales(len(texts)), texts, strict=True))
    ]


def _label(unit_id: str, payload: str) -> str:
    """A label translation: the payload (braces doubled, as labels are formatted) and the
    English placeholders, which must all be kept."""
    fields = re.findall(r"\{[a-z_]+\}", ENGLISH[unit_id])
    return " ".join([payload.replace("{", "{{").replace("}", "}}"), *fields])


def translated(payload: str) -> dict[str, str]:
    """Every unit translated as the payload; paragraphs still quote their note anchors.

    Safety units must stay visibly real text with their English numbers, so they carry the
    payload followed by their English text, or (a label too short to hold a long payload
    within its bounds) their English text alone.
    """
    entries = dict.fromkeys(ENGLISH, payload)
    for unit_id in ENGLISH:
        if unit_id.startswith("ui."):
            entries[unit_id] = _label(unit_id, payload)
        if is_safety_unit(unit_id):
            carried = f"{entries[unit_id]} {ENGLISH[unit_id]}"
            fits = unit_problem(unit_id, carried, ENGLISH[unit_id]) is None
            entries[unit_id] = carried if fits else ENGLISH[unit_id]
    for target, anchors in translation.note_anchors().items():
        quotes = [f"{payload} [{index}]" for index, _ in enumerate(anchors)]
        entries.update(zip(anchors, quotes, strict=True))
        entries[target] = " ".join([payload, *quotes, payload])
    return entries


class _Text(HTMLParser):
    """The text a browser shows for markup made of elements and text only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> _Text:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))
"""LRI, RLI, FSI, PDI: invisible marks that keep a left-to-right run in order in RTL text."""


def _squash(text: str) -> str:
    return " ".join(text.translate(_ISOLATES).split())


@dataclass(frozen=True)
class Rendered:
    case: Case
    article: Article
    fragment: str
    markdown_html: str
    jsonld: str


def render_all(all_cases: list[Case]) -> list[Rendered]:
    markdown = MarkdownIt("commonmark", {"html": True})
    rendered = []
    for case in all_cases:
        article = painread.load(case.locale)
        assert article.locale == case.locale
        assert article.fallbacks == {}, (case.payload, dict(article.fallbacks))
        rendered.append(
            Rendered(
                case,
                article,
                painread.render(article, "html", placement="both"),
                markdown.render(painread.render(article, "markdown", placement="both")),
                painread.render(article, "jsonld"),
            )
        )
    return rendered


def page(rendered: list[Rendered]) -> str:
    """The host page: every case's HTML, Markdown-as-HTML and JSON-LD, and the harness."""
    body = []
    for item in rendered:
        number = item.case.number
        body.append(
            f'<div class="case" data-case="{number}">\n'
            f'<div class="fragment">{item.fragment}</div>\n'
            f'<div class="markdown">{item.markdown_html}</div>\n</div>\n'
            f'<script type="application/ld+json" id="ld-{number}">{item.jsonld}</script>\n'
        )
    return _document("".join(body))


RAW_CONTEXTS = (
    "<p>{}</p>",
    '<p title="{}">x</p>',
    "<p title='{}'>x</p>",
    "<p title=`{}`>x</p>",
    '<a href="{}">x</a>',
    "<textarea>{}</textarea>",
    "<title>{}</title>",
    "<style>p {{ content: '{}' }}</style>",
    "<!-- {} -->",
    "<script>var s = '{}';</script>",
    "<script>var t = `{}`;</script>",
    "<noscript>{}</noscript>",
)
"""Where a template that forgot to escape could put the text: each payload is aimed at one."""


def control_page(all_cases: list[Case]) -> str:
    """The payloads unescaped, in every context, each in its own frame: the harness must see them.

    A frame per payload and context, so a payload that swallows the rest of its
    document (``<plaintext>``, an unclosed comment) cannot hide the others.
    """
    frames = [
        '<iframe class="control" srcdoc="'
        + html.escape(_raw(context.format(case.payload)), quote=True)
        + '"></iframe>'
        for case in all_cases[:-1]
        for context in RAW_CONTEXTS
    ]
    return _document("\n".join(frames))


def _raw(markup: str) -> str:
    return f"<!DOCTYPE html><script>var pwn = parent.pwn;</script>{markup}"


def _document(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{TITLE}</title>\n"
        f"<script>{HEAD}</script>\n</head>\n<body>\n{body}\n"
        f'<pre id="painread-test-result"></pre>\n<script>{REPORT}</script>\n</body>\n</html>\n'
    )


def run_page(binary: str, path: Path, profile: Path) -> dict[str, Any]:
    command = [
        binary,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--window-size=1000,900",
        "--dump-dom",
        path.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
    match = re.search(r'<pre id="painread-test-result">(.*?)</pre>', done.stdout, re.S)
    assert match, "the harness did not report: the page structure was broken"
    assert match.group(1), "the harness did not report: its script did not run to the end"
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    result["dumped_title"] = re.search(r"<title>(.*?)</title>", done.stdout, re.S)
    return result


@pytest.fixture(scope="module")
def binary() -> str:
    return chromium()


@pytest.fixture
def injected(registry: catalogs.Registry, tmp_path: Path) -> list[Rendered]:
    all_cases = cases()
    root = tmp_path / "translations"
    for case in all_cases:
        write_po(root, case.locale, translated(case.payload))
    painread.add_translations(root)
    return render_all(all_cases)


def test_the_payload_corpus_is_large_and_distinct() -> None:
    all_cases = cases()
    assert len(PAYLOADS) >= 50
    assert len({case.payload for case in all_cases}) == len(all_cases)
    assert len({case.locale for case in all_cases}) == len(all_cases)
    assert all(str(case.number) in case.payload for case in all_cases[:-1])


def _english_shape() -> tuple[_Text, _Text]:
    """The elements and attributes the bundled articles use, as HTML and as Markdown.

    English and Arabic: a right-to-left translation isolates its left-to-right runs.
    """
    markdown = MarkdownIt("commonmark", {"html": True})
    pages = [
        painread.render(painread.load(code), "html", placement="both") for code in ("en", "ar")
    ]
    return (
        text_of("".join(pages)),
        text_of(
            markdown.render(painread.render(painread.load("en"), "markdown", placement="both"))
        ),
    )


def _check_case(item: Rendered, seen: dict[str, Any], shapes: tuple[_Text, _Text]) -> Iterator[str]:
    """Every way this case's output fails to show the payload as plain text."""
    english, english_markdown = shapes
    payload = item.case.payload
    expected = "".join(text_of(item.fragment).parts)
    if seen["text"] != expected:
        yield "the browser's text differs from the text the fragment encodes"
    if expected.count(payload) < 35:
        yield f"the payload is shown literally only {expected.count(payload)} times"
    if not set(seen["shape"]["tags"]) <= english.tags:
        yield f"unexpected elements {set(seen['shape']['tags']) - english.tags}"
    if not set(seen["shape"]["attributes"]) <= english.attributes:
        yield f"unexpected attributes {set(seen['shape']['attributes']) - english.attributes}"
    if not all(href.startswith("#painread-") for href in seen["shape"]["hrefs"]):
        yield f"unexpected links {seen['shape']['hrefs']}"
    if _squash(seen["markdown"]).count(_squash(payload)) < 35:
        yield "the Markdown output, as HTML, does not show the payload literally"
    markdown_tags = set(seen["markdownShape"]["tags"])
    if not markdown_tags <= english_markdown.tags:
        yield f"the Markdown output made elements {markdown_tags - english_markdown.tags}"
    if set(seen["markdownShape"]["attributes"]) - english_markdown.attributes:
        yield f"the Markdown output made attributes {seen['markdownShape']['attributes']}"
    if seen["jsonld"] != json.loads(item.jsonld):
        yield "the JSON-LD was broken out of its script element"


@pytest.mark.slow
def test_no_payload_runs_and_every_payload_is_shown_literally(
    binary: str, injected: list[Rendered], tmp_path: Path
) -> None:
    path = tmp_path / "injection.html"
    path.write_text(page(injected), encoding="utf-8")
    result = run_page(binary, path, tmp_path / "profile")
    assert result["pwned"] == []
    assert result["marker"] is None
    assert result["title"] == TITLE
    assert result["dumped_title"] is not None
    assert result["dumped_title"].group(1) == TITLE
    assert result["fired"] == {"handlers": 0, "javascriptUrls": 0}
    assert len(result["cases"]) == len(injected)
    shapes = _english_shape()
    failures = {
        item.case.payload: problems
        for item in injected
        if (problems := list(_check_case(item, result["cases"][str(item.case.number)], shapes)))
    }
    assert failures == {}
    legitimate = result["cases"][str(injected[-1].case.number)]
    assert legitimate["text"].count(LEGITIMATE) >= 35
    units = len(ENGLISH)
    record(
        "injection",
        {
            "payloads": len(PAYLOADS),
            "units_per_translation": units,
            "payload_placements": sum(
                sum(case.payload in text for text in translated(case.payload).values())
                for case in cases()[:-1]
            ),
            "outputs_loaded": ["html", "markdown via markdown-it (html on)", "jsonld in script"],
            "scripts_executed": len(result["pwned"]),
            "handlers_in_output": result["fired"]["handlers"],
            "javascript_urls_in_output": result["fired"]["javascriptUrls"],
            "cases_not_literal": len(failures),
            "min_literal_occurrences_html": min(
                "".join(text_of(i.fragment).parts).count(i.case.payload) for i in injected
            ),
        },
    )
    shot_page = tmp_path / "shot.html"
    shot_page.write_text(page([injected[0], injected[29], injected[-1]]), encoding="utf-8")
    screenshot(binary, shot_page, tmp_path / "profile-shot")


def screenshot(binary: str, path: Path, profile: Path) -> None:
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    command = [
        binary,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--window-size=1000,1400",
        f"--screenshot={SCREENSHOT}",
        path.as_uri(),
    ]
    subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    png = SCREENSHOT.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1000, 1400)


@pytest.mark.slow
def test_the_harness_catches_the_same_payloads_in_raw_html(binary: str, tmp_path: Path) -> None:
    all_cases = cases()
    path = tmp_path / "control.html"
    path.write_text(control_page(all_cases), encoding="utf-8")
    result = run_page(binary, path, tmp_path / "profile")
    caught = sorted(set(result["pwned"]))
    assert result["title"] == "PWNED"
    assert len(caught) >= len(PAYLOADS) * 3 // 5, caught
    record(
        "injection-control",
        {
            "payloads": len(PAYLOADS),
            "caught_when_unescaped": len(caught),
            "not_active_unescaped": [
                case.payload for case in all_cases[:-1] if case.number not in caught
            ],
        },
    )
