"""The module graph is a tree: no cycle, errors at the root, only __main__ imports cli.

The layers themselves are import-linter contracts in ``pyproject.toml`` (``lint-imports``
runs them in CI); these tests hold what the contracts cannot say.
"""

from __future__ import annotations

import grimp
import pytest

DECLARED_EXCEPTION = ("painread.models", "painread.renderers.embed")
"""The one upward import: ``Article.embed()`` and ``_repr_mimebundle_``, inside those methods."""


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Every import painread makes at run time, inside functions included."""
    return grimp.build_graph("painread", exclude_type_checking_imports=True)


def _cycle(graph: grimp.ImportGraph) -> list[str]:
    """One import cycle, as the modules along it, or ``[]`` when there is none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        state[module] = "done"
        path.pop()
        return []

    for module in sorted(graph.modules):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_there_is_no_import_cycle_beyond_the_declared_exception(
    graph: grimp.ImportGraph,
) -> None:
    importer, imported = DECLARED_EXCEPTION
    assert graph.direct_import_exists(importer=importer, imported=imported)
    graph.remove_import(importer=importer, imported=imported)
    try:
        assert _cycle(graph) == []
    finally:
        graph.add_import(importer=importer, imported=imported)


def test_the_cycle_finder_finds_the_declared_exception(graph: grimp.ImportGraph) -> None:
    cycle = _cycle(graph)
    assert cycle[0] == cycle[-1]
    assert "painread.models" in cycle
    assert "painread.renderers.embed" in cycle


def test_the_declared_exception_is_the_only_way_up_from_models(graph: grimp.ImportGraph) -> None:
    above = {
        "painread.renderers",
        "painread.loader",
        "painread.cli",
        "painread._cli_i18n",
        "painread._cli_output",
        "painread.i18n",
    }
    reached = {
        module
        for module in graph.find_modules_directly_imported_by("painread.models")
        if module.rsplit(".", 1)[0] in above or module in above
    }
    assert reached == {DECLARED_EXCEPTION[1]}


def test_errors_imports_nothing_of_ours(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_directly_imported_by("painread.errors") == set()


def test_only_main_imports_the_cli(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_that_directly_import("painread.cli") == {"painread.__main__"}


def test_only_the_command_line_imports_its_parts(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_that_directly_import("painread._cli_i18n") == {"painread.cli"}
    assert graph.find_modules_that_directly_import("painread._cli_output") == {
        "painread.cli",
        "painread._cli_i18n",
    }
