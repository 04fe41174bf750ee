"""Build hook: validate the bundled translations (PO) and compile them to MO in every wheel build.

MO files are build artifacts, never committed: this hook writes each one next
to its PO file, for regular and editable wheels alike, and marks it as an
artifact so the wheel ships it although git ignores it. The sdist carries this
file, so a wheel built from the sdist compiles the catalogs too.

This is the gate of the bundled catalogs (``painread.i18n.compile_validated``):
a catalog with any problem ``painread i18n check`` reports, or whose article
fails full validation, stops the build with the file and line, or the field,
at fault, and no MO file is written for it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("src", "painread", "data", "locales")
CATALOGS = "*/LC_MESSAGES/painread.po"


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles ``src/painread/data/locales/*/LC_MESSAGES/painread.po`` to ``.mo``."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile before the wheel is assembled; ship this hook in the sdist."""
        root = Path(self.root)
        if self.target_name == "sdist":
            build_data["force_include"][str(root / "hatch_build.py")] = "hatch_build.py"
            return
        if self.target_name != "wheel":
            return
        compile_po = _compiler(root)
        for po in sorted((root / LOCALES).glob(CATALOGS)):
            mo = po.with_suffix(".mo")
            compile_po(po, mo)
            build_data["artifacts"].append("/" + mo.relative_to(root).as_posix())


def _compiler(root: Path) -> Callable[[Path, Path], None]:
    """The gate and compiler of the tree being built (not of an installed copy)."""
    sys.path.insert(0, str(root / "src"))
    try:
        module = importlib.import_module("painread.i18n")
    finally:
        sys.path.remove(str(root / "src"))
    compile_validated: Callable[[Path, Path], None] = module.compile_validated
    return compile_validated
