"""The docs cannot rot: every Python sample in README.md and docs/ runs, and the site builds.

Rules for authors of pages:

- Every block fenced as ```python (or ```py, ```python3) is executed. Blocks of one page run
  in order in one fresh namespace, so later blocks can use names from earlier ones. Code that
  is not meant to run must use another fence language (```text, ```bash, ```console, ...).
- Blocks fenced as ```pycon are run as doctests in the same namespace (output must match;
  ELLIPSIS and NORMALIZE_WHITESPACE are on).
- Each page runs in its own Python process, in an empty temporary working directory, with
  warnings turned into errors (as in the rest of the test suite) and without locale variables
  (LANG, LANGUAGE, LC_ALL, LC_MESSAGES), so results do not depend on the machine.
- The namespace is a module named ``__docs__``, not ``__main__``: an
  ``if __name__ == "__main__":`` block (e.g. ``app.run()``) is shown but not run.
- A line ``--8<-- "path"`` (optionally ``"path:start:end"``) inside a Python block includes a
  file relative to the repository root, as pymdownx.snippets does in the built site.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RUNNABLE = frozenset({"python", "py", "python3"})
DOCTEST = frozenset({"pycon"})
PAGE_TIMEOUT = 300
LOCALE_VARIABLES = ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")

_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_SNIPPET = re.compile(r"""^\s*--8<--\s+(?P<quote>["']?)(?P<target>[^"']+)(?P=quote)\s*$""")


class DocsError(Exception):
    """A page whose code cannot be collected (unclosed fence, bad include)."""


@dataclass(frozen=True)
class Block:
    """One runnable fenced block: where it is, how to run it, and its code."""

    page: str  # path relative to the repository root
    line: int  # 1-based line of the block's first line of code
    kind: str  # "python" or "pycon"
    code: str


def pages() -> list[Path]:
    """README.md and every Markdown page of the docs."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def fence_language(info: str) -> str:
    """The language of a fence's info string: ```python title="x"``` or ```{.python}```."""
    info = info.strip()
    if info.startswith("{"):
        match = re.search(r"\.([\w+-]+)", info)
        return match.group(1).lower() if match else ""
    return info.split(maxsplit=1)[0].lower() if info else ""


def collect(page: Path, root: Path = ROOT) -> list[Block]:
    """The Python and pycon blocks of one page, in order.

    Raises:
        DocsError: for a fence that is never closed or an include that cannot be resolved.
    """
    relative = page.relative_to(root).as_posix()
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    number = 0
    while number < len(lines):
        opening = _OPENING.match(lines[number])
        number += 1
        if not opening or (opening["fence"][0] == "`" and "`" in opening["info"]):
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        start, body = number + 1, []
        while number < len(lines) and not closing.match(lines[number]):
            line = lines[number]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t"))
            number += 1
        if number == len(lines):
            raise DocsError(f"{relative}:{start - 1}: the fence opened here is never closed")
        number += 1
        language = fence_language(opening["info"])
        if language in RUNNABLE | DOCTEST:
            code = "\n".join(_expand(relative, start, body)) + "\n"
            kind = "pycon" if language in DOCTEST else "python"
            blocks.append(Block(relative, start, kind, code))
    return blocks


def _expand(page: str, start: int, body: list[str]) -> list[str]:
    expanded: list[str] = []
    for offset, line in enumerate(body):
        if line.strip() == "--8<--":
            raise DocsError(f'{page}:{start + offset}: use the one-line form --8<-- "path"')
        include = _SNIPPET.match(line)
        if include is None:
            expanded.append(line)
            continue
        target, _, span = include["target"].partition(":")
        path = ROOT / target
        if not path.is_file():
            raise DocsError(f"{page}:{start + offset}: included file {target!r} not found")
        included = path.read_text(encoding="utf-8").splitlines()
        if span:
            first, _, last = span.partition(":")
            included = included[int(first or 1) - 1 : int(last) if last else None]
        expanded.extend(included)
    return expanded


# Runs in a fresh interpreter: reads the blocks of one page as JSON on stdin, runs them in one
# namespace, and on the first failure prints a JSON line {"line": ...} and exits 1.
_RUNNER = r"""
import doctest, json, sys, traceback, types

blocks = json.load(sys.stdin)
module = types.ModuleType("__docs__")
sys.modules["__docs__"] = module
namespace = module.__dict__
for block in blocks:
    filename = block["path"]
    try:
        if block["kind"] == "pycon":
            test = doctest.DocTestParser().get_doctest(
                block["code"], namespace, f"{block['page']}:{block['line']}", filename,
                block["line"] - 1,
            )
            report = []
            runner = doctest.DocTestRunner(
                verbose=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
            )
            runner.run(test, out=report.append, clear_globs=False)
            if runner.failures:
                print("".join(report), file=sys.stderr)
                print(json.dumps({"line": block["line"]}))
                sys.exit(1)
        else:
            padded = "\n" * (block["line"] - 1) + block["code"]
            exec(compile(padded, filename, "exec"), namespace)
    except SystemExit:
        raise
    except BaseException as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
        traceback.print_exception(exc)
        line = frames[-1].lineno if frames else block["line"]
        print(json.dumps({"line": line}))
        sys.exit(1)
    sys.stdout.flush()
"""


def run_page(page: Path, blocks: list[Block], cwd: Path) -> None:
    """Run one page's blocks in a fresh interpreter; fail naming the page and line."""
    payload = [{**asdict(block), "path": str(page)} for block in blocks]
    env = {key: value for key, value in os.environ.items() if key not in LOCALE_VARIABLES}
    env.update(PYTHONUTF8="1", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    try:
        result = subprocess.run(
            [sys.executable, "-W", "error", "-c", _RUNNER],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
            timeout=PAGE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{blocks[0].page}: its code samples did not finish in {PAGE_TIMEOUT} s")
    if result.returncode == 0:
        return
    line = None
    last = result.stdout.strip().splitlines()[-1:] if result.stdout.strip() else []
    if last and last[0].startswith('{"line"'):
        line = json.loads(last[0])["line"]
    block = max((b for b in blocks if line is None or b.line <= line), key=lambda b: b.line)
    where = f"{block.page}:{line or block.line}"
    pytest.fail(
        f"{where}: code sample failed (block starting at line {block.line})\n"
        f"--- stderr ---\n{result.stderr.strip()}\n"
        f"--- stdout (last 20 lines) ---\n" + "\n".join(result.stdout.splitlines()[-20:]),
        pytrace=False,
    )


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.relative_to(ROOT).as_posix())
def test_code_samples_run(page: Path, tmp_path: Path) -> None:
    try:
        blocks = collect(page)
    except DocsError as exc:
        pytest.fail(str(exc), pytrace=False)
    if blocks:
        run_page(page, blocks, tmp_path)


def _setup_commands(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```bash\n(python3 -m venv .*)\n```$", text, flags=re.MULTILINE)


def test_overview_copies_the_readme_setup_commands_exactly() -> None:
    readme = _setup_commands(ROOT / "README.md")
    assert len(readme) == 2, "README.md should have the two set-up commands"
    assert _setup_commands(DOCS / "index.md") == readme


def test_readme_and_quickstart_have_samples() -> None:
    assert collect(ROOT / "README.md")
    assert collect(DOCS / "quickstart.md")


def test_collect_reads_fences_the_way_the_site_renders_them(tmp_path: Path) -> None:
    page = tmp_path / "probe.md"
    text = (
        "```python\na = 1\n```\n"
        "```bash\nnot python\n```\n"
        '!!! note\n    ```python title="x.py"\n    b = a + 1\n    ```\n'
        "~~~{.py}\nc = b\n~~~\n"
        "````markdown\n```python\nnot run: inside another block\n```\n````\n"
        "```pycon\n>>> c\n2\n```\n"
    )
    page.write_text(text, encoding="utf-8")
    blocks = collect(page, root=tmp_path)
    assert [(b.line, b.kind, b.code) for b in blocks] == [
        (2, "python", "a = 1\n"),
        (9, "python", "b = a + 1\n"),
        (12, "python", "c = b\n"),
        (20, "pycon", ">>> c\n2\n"),
    ]
    run_page(page, blocks, tmp_path)

    page.write_text("text\n```python\nunclosed = True\n", encoding="utf-8")
    with pytest.raises(DocsError, match=r"^probe\.md:2: the fence opened here is never closed"):
        collect(page, root=tmp_path)


def test_a_failing_sample_names_its_page_and_line(tmp_path: Path) -> None:
    blocks = [
        Block("docs/x.md", 3, "python", "value = 1\n"),
        Block("docs/x.md", 10, "python", "assert value == 1\nassert value == 2\n"),
    ]
    with pytest.raises(pytest.fail.Exception, match=r"^docs/x\.md:11: code sample failed"):
        run_page(DOCS / "x.md", blocks, tmp_path)


# Tags whose attribute makes a browser fetch a resource, and <link rel> values that do.
_LOADED = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}
_LINKED = {
    "stylesheet",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "manifest",
    "modulepreload",
}


class _ExternalResources(HTMLParser):
    """Collects every resource a page would load from another host."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        urls = [values.get(_LOADED[tag])] if tag in _LOADED else []
        if tag == "link" and _LINKED & set((values.get("rel") or "").lower().split()):
            urls.append(values.get("href"))
        self.found += [url for url in urls if url and re.match(r"^(https?:)?//", url.strip())]


def _missing_docs_tools() -> list[str]:
    return [name for name in ("mkdocs", "material", "mkdocstrings") if not _importable(name)]


def _importable(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


_needs_docs_tools = pytest.mark.skipif(
    bool(_missing_docs_tools()),
    reason=f"docs tools not installed ({', '.join(_missing_docs_tools())}); "
    "pip install -e '.[docs]'",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict`` as CI builds it."""
    built = tmp_path_factory.mktemp("docs") / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(built),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=PAGE_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return built


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.mark.slow
@_needs_docs_tools
def test_site_builds_strict_without_external_resources(site: Path) -> None:
    external: list[str] = []
    for page in _html_pages(site):
        parser = _ExternalResources()
        parser.feed(page.read_text(encoding="utf-8"))
        external += [f"{page.relative_to(site)}: {url}" for url in parser.found]
    assert not external, "the site loads resources from other hosts:\n" + "\n".join(external)


class _Links(HTMLParser):
    """Every link and loaded resource of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(str(values[name]))
        for name in ("id", "name"):
            if values.get(name):
                self.ids.add(str(values[name]))


def broken_links(site: Path) -> tuple[list[str], int]:
    """Internal links of the built site that do not work when it is opened from disk.

    Each link is resolved as a browser resolves it from a ``file://`` URL: it
    must name a file (a directory would show a listing, not a page) and, with a
    fragment, an id on that page.

    Returns:
        The broken links, as ``page: link (why)``, and how many links were checked.
    """
    parsed: dict[Path, _Links] = {}

    def links(page: Path) -> _Links:
        if page not in parsed:
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            parsed[page] = parser
        return parsed[page]

    broken: list[str] = []
    checked = 0
    # 404.html is for web servers to send for missing URLs (its links are absolute);
    # no page links to it, so nobody browsing from disk reaches it.
    for page in (page for page in _html_pages(site) if page.name != "404.html"):
        base = page.as_uri()
        for url in links(page).urls:
            target = urljoin(base, url)
            if not target.startswith("file:"):
                continue  # another host: not part of this site
            checked += 1
            location, _, fragment = target.partition("#")
            path = Path(unquote(urlparse(location).path))
            where = f"{page.relative_to(site)}: {url}"
            if not path.is_file():
                broken.append(f"{where} ({'a directory' if path.is_dir() else 'missing'})")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in links(path).ids:
                broken.append(f"{where} (no id {fragment!r} on {path.name})")
    return broken, checked


@pytest.mark.slow
@_needs_docs_tools
def test_the_built_site_browses_from_disk_without_a_broken_link(site: Path) -> None:
    broken, checked = broken_links(site)
    assert checked > 500
    assert broken == []
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="quickstart.html"' in index


def test_the_link_check_finds_what_a_browser_would_not(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "other.html").write_text('<h2 id="here">x</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="other.html#here">ok</a><a href="other.html#gone">1</a>'
        '<a href="guide/">2</a><a href="missing.html">3</a><a href="https://example.org/">x</a>'
        '<img src="logo.png">',
        encoding="utf-8",
    )
    broken, checked = broken_links(tmp_path)
    assert checked == 5
    assert broken == [
        "index.html: other.html#gone (no id 'gone' on other.html)",
        "index.html: guide/ (a directory)",
        "index.html: missing.html (missing)",
        "index.html: logo.png (missing)",
    ]


_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|data|mod|attr|exc|obj|const|ref|term):")


def _visible_text(page: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text("utf-8"), flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _documented(api_page: str) -> list[str]:
    return re.findall(r'<h\d id="(painread[\w.]*)" class="doc doc-heading"', api_page)


@pytest.mark.slow
@_needs_docs_tools
def test_the_api_reference_renders_cleanly_and_only_public_names(site: Path) -> None:
    import painread
    from painread import errors

    raw = [
        f"{page.relative_to(site)}: ...{match.string[match.start() - 40 : match.end() + 40]}..."
        for page in _html_pages(site)
        for match in _ROLE.finditer(_visible_text(page))
    ]
    assert raw == [], "Sphinx roles shown as text:\n" + "\n".join(raw)
    api = (site / "api.html").read_text(encoding="utf-8")
    documented = _documented(api)
    exceptions = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception | Warning)
        if value.__module__ == errors.__name__ and not name.startswith("_")
    }
    public = {f"painread.{name}" for name in painread.__all__} | {"painread.errors"}
    public |= {f"painread.errors.{name}" for name in exceptions}
    public |= {"painread.cli.main", "painread.renderers.embed.Embed"}
    unlisted = [n for n in documented if not any(n == p or n.startswith(f"{p}.") for p in public)]
    assert unlisted == []  # each heading is a public name or a member of one
    shown = {name.replace("painread.errors.", "painread.") for name in documented}
    missing = {f"painread.{name}" for name in painread.__all__} - shown - {"painread.__version__"}
    assert missing == set()
    private = [name for name in documented if any(p.startswith("_") for p in name.split("."))]
    assert private == []
    returns = re.findall(
        r"<span class=\"doc-section-title\">Returns:</span>(.*?)</table>", api, re.S
    )
    assert returns
    assert all(block.count("<tr") == 2 for block in returns)  # the header row and one value


# Each example, the page that describes it, and the command that runs it, as written there.
EXAMPLES = {
    "flask_app.py": ("embedding.md", ".venv/bin/flask --app examples/flask_app run"),
    "django_app": (
        "embedding.md",
        ".venv/bin/python examples/django_app/kratom_site.py runserver",
    ),
    "browse.ipynb": ("notebooks.md", ".venv/bin/jupyter lab examples/browse.ipynb"),
    "translation-plugin": ("locales.md", "pip install ./examples/translation-plugin"),
    "fhir_document_reference.py": (
        "fhir.md",
        ".venv/bin/python examples/fhir_document_reference.py 123",
    ),
}


def test_every_example_has_its_run_command_on_the_page_that_describes_it() -> None:
    examples = {path.name for path in (ROOT / "examples").iterdir()}
    assert examples - {"__pycache__"} == set(EXAMPLES)
    for example, (page, command) in EXAMPLES.items():
        text = (DOCS / page).read_text(encoding="utf-8")
        assert f"examples/{example}" in text, f"{page} does not describe {example}"
        assert command in text, f"{page} does not say how to run {example}: {command}"
        assert command.split()[-2] in (DOCS / "contributing.md").read_text(encoding="utf-8")


def test_the_notebook_extra_installs_jupyter_and_nbconvert() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extra = re.search(r"^notebook = \[(.*?)\]", pyproject, flags=re.MULTILINE | re.DOTALL)
    assert extra is not None
    names = set(re.findall(r'"([A-Za-z0-9_.-]+)', extra.group(1)))
    assert names & {"jupyterlab", "notebook"}
    assert "nbconvert" in names
    assert "pip install '.[notebook]'" in (DOCS / "notebooks.md").read_text(encoding="utf-8")
