"""``painread i18n check`` refuses every catalog GNU ``msgfmt --check`` refuses.

A corpus of broken catalogs, each one edit away from the bundled German one
(which both accept), goes through both tools; their verdicts must agree, and
every problem painread reports names the file and a line. A few edits that
msgfmt accepts are in the corpus too, so that agreement is not reached by
refusing everything.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import painread
from painread.cli import main
from painread.errors import CatalogError
from painread.i18n import check
from tests.i18n_helpers import BUNDLED, msgfmt_check, registry, require_msgfmt

__all__ = ["registry"]

TITLE_MSGSTR = 'msgstr "Kratom-Pillen und die Behandlung chronischer Schmerzen"'
TITLE_ENTRY = (
    'msgctxt "article.title"\n'
    'msgid "Kratom pills and chronic pain management"\n' + TITLE_MSGSTR + "\n"
)
DATE_MSGSTR = 'msgstr "Stand: {date}"'

Edit = Callable[[str], str]


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def append(extra: str) -> Edit:
    return lambda text: text + extra


def title(new_msgstr: str) -> Edit:
    return replace(TITLE_MSGSTR, new_msgstr)


GERMAN_LINES = len(
    (BUNDLED / "de" / "LC_MESSAGES" / "painread.po").read_text(encoding="utf-8").splitlines()
)

# name -> (edit, whether msgfmt --check accepts the result)
CORPUS: dict[str, tuple[Edit, bool]] = {
    "escape-q": (title(r'msgstr "Kratom\q-Pillen"'), False),
    "escape-e": (title(r'msgstr "Kratom\e-Pillen"'), False),
    "escape-apostrophe": (title(r'msgstr "Kratom\'-Pillen"'), False),
    "escape-question": (title(r'msgstr "Kratom\?"'), False),
    "escape-unicode": (title(r'msgstr "Kratom\u00e9"'), False),
    "escape-x-no-digits": (title(r'msgstr "Kratom\xZZ"'), False),
    "escape-eight": (title(r'msgstr "Kratom\8"'), False),
    "unterminated-string": (title('msgstr "Kratom-Pillen'), False),
    "unterminated-continuation": (title('msgstr "Kratom"\n"-Pillen'), False),
    "escaped-closing-quote": (title('msgstr "Kratom\\"'), False),
    "unterminated-at-end-of-file": (append('\nmsgctxt "x"\nmsgid "y"\nmsgstr "z'), False),
    "msgstr-before-msgid": (
        replace(
            'msgid "Kratom pills and chronic pain management"\n' + TITLE_MSGSTR,
            TITLE_MSGSTR + '\nmsgid "Kratom pills and chronic pain management"',
        ),
        False,
    ),
    "msgid-without-msgstr": (title(""), False),
    "text-after-string": (title(TITLE_MSGSTR + " x"), False),
    "symbol-after-string": (title(TITLE_MSGSTR + " @"), False),
    "unknown-keyword": (title(TITLE_MSGSTR.replace("msgstr", "MSGSTR")), False),
    "keyword-without-string": (title("msgstr"), False),
    "two-contexts": (
        replace('msgctxt "article.title"', 'msgctxt "article.title"\nmsgctxt "summary.p1"'),
        False,
    ),
    "indexed-msgstr-without-plural": (title(TITLE_MSGSTR.replace("msgstr", "msgstr[0]")), False),
    "duplicate-entry": (append("\n" + TITLE_ENTRY), False),
    "obsolete-duplicate": (
        append("\n" + "".join(f"#~ {line}\n" for line in TITLE_ENTRY.splitlines())),
        False,
    ),
    "inconsistent-obsolete": (title("#~ " + TITLE_MSGSTR), False),
    "previous-without-entry": (append('\n#| msgid "old"\n'), False),
    "previous-msgstr": (replace(TITLE_ENTRY, '#| msgstr "old"\n' + TITLE_ENTRY), False),
    "context-separator-escape": (title(r'msgstr "Kratom\x04Pillen"'), False),
    "context-separator-octal": (title(r'msgstr "Kratom\004Pillen"'), False),
    "leading-newline-mismatch": (title(r'msgstr "\nKratom-Pillen"'), False),
    "trailing-newline-mismatch": (title(r'msgstr "Kratom-Pillen\n"'), False),
    "brace-format-renamed": (replace(DATE_MSGSTR, 'msgstr "Stand: {datum}"'), False),
    "brace-format-unbalanced": (replace(DATE_MSGSTR, 'msgstr "Stand: {date"'), False),
    "plural-expression": (
        replace("plural=(n != 1);", "plural=(n != 1;"),
        False,
    ),
    "plural-count": (replace("nplurals=2;", "nplurals=x;"), False),
    "comment-between-msgid-and-msgstr": (
        replace(TITLE_MSGSTR, "# note\n" + TITLE_MSGSTR),
        False,
    ),
    "comment-between-msgctxt-and-msgid": (
        replace('msgctxt "article.title"\n', 'msgctxt "article.title"\n#. note\n'),
        False,
    ),
    "string-after-a-comment": (title(TITLE_MSGSTR + '\n# note\n"more"'), False),
    "byte-order-mark": (lambda text: "\ufeff" + text, False),
    # edits msgfmt accepts: painread must not refuse them for their syntax
    "crlf-line-ends": (lambda text: text.replace("\n", "\r\n"), True),
    "valid-escapes": (title(r'msgstr "Kratom\x41\101\"\\-Pillen"'), True),
    "string-continued": (title('msgstr "Kratom-Pillen"\n" und mehr"'), True),
    "comment-after-string": (title(TITLE_MSGSTR + " # note"), True),
    "unique-obsolete-entry": (
        append('\n#~ msgctxt "gone"\n#~ msgid "old"\n#~ msgstr "alt"\n'),
        True,
    ),
    "previous-msgid": (replace(TITLE_ENTRY, '#| msgid "old"\n' + TITLE_ENTRY), True),
}


def write_case(root: Path, edit: Edit) -> Path:
    original = (BUNDLED / "de" / "LC_MESSAGES" / "painread.po").read_text(encoding="utf-8")
    target = root / "de" / "LC_MESSAGES" / "painread.po"
    target.parent.mkdir(parents=True)
    target.write_text(edit(original), encoding="utf-8")
    return target


def test_the_unedited_catalog_passes_both(tmp_path: Path) -> None:
    require_msgfmt()
    po = write_case(tmp_path, lambda text: text)
    assert msgfmt_check(po).returncode == 0
    assert check([po]) == ([], 1)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_painread_and_msgfmt_agree(name: str, tmp_path: Path) -> None:
    require_msgfmt()
    edit, accepted = CORPUS[name]
    po = write_case(tmp_path, edit)
    msgfmt = msgfmt_check(po)
    assert (msgfmt.returncode == 0) is accepted, msgfmt.stderr
    problems, _ = check([po])
    assert (not problems) is accepted, problems
    assert all(problem.path == str(po) and problem.line for problem in problems), problems


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("escape-q", 23, "invalid control sequence '\\q'"),
        ("unterminated-string", 23, "end-of-line within string"),
        ("unterminated-at-end-of-file", GERMAN_LINES + 4, "end-of-file within string"),
        ("msgstr-before-msgid", 22, "'msgstr' before 'msgid'"),
        (
            "duplicate-entry",
            GERMAN_LINES + 3,
            "duplicate entry for 'article.title' (first defined on line 22)",
        ),
        ("inconsistent-obsolete", 23, "inconsistent use of #~"),
    ],
)
def test_each_syntax_error_is_named_at_its_line(
    name: str, line: int, words: str, tmp_path: Path
) -> None:
    po = write_case(tmp_path, CORPUS[name][0])
    out = io.StringIO()
    assert main(["i18n", "check", str(tmp_path)], stdout=out) == 1
    reported = out.getvalue().splitlines()
    assert any(entry.startswith(f"{po}:{line}: ") and words in entry for entry in reported), (
        reported
    )


def test_a_bad_language_header_is_reported_at_its_line(tmp_path: Path) -> None:
    po = write_case(tmp_path, replace('"Language: de\\n"', '"Language: ../x\\n"'))
    problems, _ = check([po])
    assert [(p.line, p.message) for p in problems] == [
        (12, "Language header '../x' is not a locale; expected 'de'")
    ]


def test_the_loader_skips_a_catalog_msgfmt_refuses(registry: object, tmp_path: Path) -> None:
    write_case(tmp_path, title(r'msgstr "Kratom\q-Pillen"'))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        painread.add_translations(tmp_path)
        article = painread.load("de")
    assert "\\q" not in article.title.text
    assert any("invalid control sequence" in str(w.message) for w in caught)


# --- generated: one or two random edits of a small catalog that uses every construct --------

GENERIC = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. comment
#, python-brace-format
msgctxt "a"
msgid "As of {date}\\n"
msgstr "Stand {date}\\n"

#| msgid "old"
msgctxt "b"
msgid "x\\ty"
msgstr ""
"z\\\\w"

#~ msgctxt "c"
#~ msgid "gone"
#~ msgstr "weg"
"""
PIECES = ['"', "\\", "#", "~", "|", "\n", " ", "x", "[", "]", "0", "1", "n", "t", "q", ",", ":"]
PIECES += ["{", "}", "%", "msgid ", "msgstr ", "msgctxt ", "\x04", "\r", "\t"]


def _mutants(seed: int, count: int) -> list[str]:
    import random

    chance = random.Random(seed)
    found = []
    for _ in range(count):
        text = GENERIC
        for _ in range(chance.randint(1, 2)):
            at = chance.randrange(len(text))
            kind = chance.random()
            piece = chance.choice(PIECES)
            if kind < 0.4:
                text = text[:at] + piece + text[at:]
            elif kind < 0.7:
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + piece + text[at + 1 :]
        found.append(text)
    return found


def _painread_refuses(text: str) -> bool:
    from painread._pofile import parse_po, po_problems

    try:
        return bool(po_problems(parse_po(text.encode("utf-8"), path="generated.po")))
    except CatalogError:
        return True


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_no_generated_catalog_msgfmt_refuses_is_accepted(seed: int, tmp_path: Path) -> None:
    require_msgfmt()
    po = tmp_path / "generated.po"
    missed = []
    for text in _mutants(seed, 150):
        po.write_bytes(text.encode("utf-8"))
        if msgfmt_check(po).returncode != 0 and not _painread_refuses(text):
            missed.append(text)
    assert missed == []
