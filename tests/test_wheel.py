"""The built wheel, installed outside the source tree, carries all its data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

CHECK = """
import json, sys
import painread
served = {}
codes = painread.available_locales() if hasattr(painread, "available_locales") else ("en",)
for code in codes:
    article = painread.load(code)
    text = painread.render(article, "text")
    seen = text.replace("\u2066", "").replace("\u2069", "")  # isolates are invisible
    assert " ".join(article.disclaimer.text.split()) in " ".join(seen.split()), code
    served[code] = article.locale
from painread import catalogs
read = {c: [k.path for k in catalogs.registry().catalogs(c)] for c in served if c != "en"}
print(json.dumps({"file": painread.__file__, "served": served, "read": read}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("painread-*.whl")
    return built


def test_wheel_contains_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "painread/py.typed" in names
    assert "painread/data/article.json" in names
    assert "painread/data/article.schema.json" in names
    assert "painread/data/handout.css" in names
    for po in (ROOT / "src" / "painread" / "data" / "locales").glob("*/LC_MESSAGES/*.po"):
        relative = po.relative_to(ROOT / "src").as_posix()
        assert relative in names
        assert relative[:-3] + ".mo" in names, f"compiled catalog missing for {relative}"


def test_wheel_ships_data_not_generators(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"painread/_article_data.py", "painread/_cldr_data.py"} <= names
    assert not {name for name in names if name.startswith("tools/")}
    assert not {name for name in names if name.endswith(("_pysource.py", "_cldr.py"))}


def test_installed_wheel_loads_every_locale_outside_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    result = subprocess.run(
        [str(python), "-c", CHECK],
        cwd=tmp_path,
        env=clean_env,
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert Path(report["file"]).is_relative_to(env_dir)
    assert not Path(report["file"]).is_relative_to(ROOT)
    assert report["served"]["en"] == "en"
    assert all(report["served"].values())
    # The installer writes the files in any order: the compiled catalogs still count as current.
    assert set(report["read"]) == set(report["served"]) - {"en"}
    for code, paths in report["read"].items():
        assert [Path(path).name for path in paths] == ["painread.mo"], code
    # Installed without the pdf extra: a handout says which extra to install.
    handout = subprocess.run(
        [str(env_dir / "bin" / "painread"), "handout", "-o", str(tmp_path / "x.pdf")],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
    )
    assert handout.returncode == 1
    assert "pip install 'painread[pdf]'" in handout.stderr
    assert not (tmp_path / "x.pdf").exists()
