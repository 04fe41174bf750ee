"""Generate translation plugins for the scale budget (issue 7, budget 5).

Two ways a downstream project can add locales are exercised:

* an installed distribution with an entry point in group ``painread.translations``
  that loads to a zero-argument callable returning a catalog directory;
* ``painread.add_translations(directory)`` at run time.

Both use the layout ``<dir>/<locale>/LC_MESSAGES/painread.po``. A "tree" is a folder
meant to be put on ``PYTHONPATH``: it holds one module with the callables, one
``*.dist-info`` per plugin and the catalog directories themselves, so the same
directories serve the entry-point and the ``add_translations`` registrations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PluginTree", "Unit", "make_tree", "po_escape"]

DOMAIN = "painread"
GROUP = "painread.translations"
MODULE = "painread_bench_locales"


@dataclass(frozen=True)
class Unit:
    """One translatable unit of the current source: its id (msgctxt) and English text."""

    id: str
    text: str


@dataclass(frozen=True)
class PluginTree:
    """A generated folder of plugins: where it is and what it registers."""

    root: Path
    catalog_dirs: tuple[Path, ...]
    locales: tuple[str, ...]

    def manifest(self) -> dict[str, object]:
        """What a child process needs to register or check this tree."""
        return {
            "root": str(self.root),
            "catalog_dirs": [str(path) for path in self.catalog_dirs],
            "locales": list(self.locales),
        }


def po_escape(text: str) -> str:
    """A string as a PO double-quoted literal (without the quotes)."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _po_file(locale: str, units: Sequence[Unit]) -> str:
    header = (
        "Project-Id-Version: painread-benchmark 0\\n",
        f"Language: {locale}\\n",
        "MIME-Version: 1.0\\n",
        "Content-Type: text/plain; charset=UTF-8\\n",
        "Content-Transfer-Encoding: 8bit\\n",
    )
    lines = ['msgid ""', 'msgstr ""', *(f'"{part}"' for part in header), ""]
    for unit in units:
        lines += [
            f'msgctxt "{po_escape(unit.id)}"',
            f'msgid "{po_escape(unit.text)}"',
            f'msgstr "{po_escape(f"{unit.text} [{locale}]")}"',
            "",
        ]
    return "\n".join(lines)


def make_tree(
    root: Path, locales: Sequence[str], units: Sequence[Unit], *, plugins: int
) -> PluginTree:
    """Write ``locales`` split over ``plugins`` installed-looking distributions.

    Args:
        root: An empty folder to fill (it becomes a ``PYTHONPATH`` entry).
        locales: Locale identifiers in POSIX form (``pt_BR``), one catalog each.
        units: The units each catalog translates (a few of the article's).
        plugins: How many distributions (and catalog directories) to spread them over.
    """
    root.mkdir(parents=True, exist_ok=True)
    per_plugin = -(-len(locales) // plugins)
    catalog_dirs: list[Path] = []
    functions: list[str] = []
    for index in range(plugins):
        chunk = locales[index * per_plugin : (index + 1) * per_plugin]
        if not chunk:
            break
        name = f"{index:02d}"
        catalog_dir = root / f"{MODULE}_catalogs" / name
        for locale in chunk:
            folder = catalog_dir / locale / "LC_MESSAGES"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{DOMAIN}.po").write_text(_po_file(locale, units), encoding="utf-8")
        catalog_dirs.append(catalog_dir)
        functions.append(f"def catalogs_{name}() -> str:\n    return str(_ROOT / {name!r})\n")
        dist_info = root / f"{MODULE}_{name}-0.0.0.dist-info"
        dist_info.mkdir(exist_ok=True)
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {MODULE.replace('_', '-')}-{name}\nVersion: 0.0.0\n",
            encoding="utf-8",
        )
        (dist_info / "entry_points.txt").write_text(
            f"[{GROUP}]\nbench-{name} = {MODULE}:catalogs_{name}\n", encoding="utf-8"
        )
        (dist_info / "RECORD").write_text("", encoding="utf-8")
    module = (
        '"""Catalog directories of the generated benchmark plugins."""\n\n'
        "from pathlib import Path\n\n"
        f"_ROOT = Path(__file__).with_name({MODULE + '_catalogs'!r})\n\n\n" + "\n\n".join(functions)
    )
    (root / f"{MODULE}.py").write_text(module, encoding="utf-8")
    tree = PluginTree(root, tuple(catalog_dirs), tuple(locales))
    (root / "manifest.json").write_text(json.dumps(tree.manifest()), encoding="utf-8")
    return tree
