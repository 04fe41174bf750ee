"""Measure painread's performance budgets (issue 7) as ratios, in one run, and print a table.

Usage::

    python benchmarks/run.py [--quick] [--json OUT] [--markdown] [--write-docs [PAGE]]
                              [--profile [DIR]]

Whole processes are timed side by side: every round runs each command once, in an order
rotated from round to round, so machine drift affects all of them alike; medians are
reported. Peak memory is each child's own ``ru_maxrss`` (``os.wait4`` in a small
wrapper). Warm per-call costs and the scale budget are measured with ``timeit`` and
``tracemalloc`` inside child processes (``_inproc.py``). Timings are reported, never
asserted: nothing here fails because a budget is over.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "performance.md"
sys.path.insert(0, str(HERE))

from _plugins import PluginTree, Unit, make_tree  # noqa: E402

INPROC = HERE / "_inproc.py"
Result = dict[str, Any]

# Budgets of issue 7.
IMPORT_LIMIT = 1.3
COLD_LIMIT = 1.4
COLD_TRANSLATED_LIMIT = 2.0
WARM_LIMIT_S = 1e-6
UNCACHED_LIMIT = 8.0  # revised from 3x: the render cache hides these microseconds
IMPORT_WITH_PLUGINS_LIMIT = 1.05  # "unchanged", within measurement noise
NEGOTIATE_LIMIT_S = 20e-6
UNLOADED_LOCALE_LIMIT_B = 2048  # a registered, never-loaded locale: an index entry at most
PEAK_MEMORY_LIMIT = 1.3

COLD = "import painread; painread.render(painread.load({locale}), {fmt!r})"


@dataclass(frozen=True)
class Command:
    """One whole-process command: Python code for ``-c`` and an optional ``PYTHONPATH``."""

    name: str
    code: str
    pythonpath: str | None = None


@dataclass
class Samples:
    """Wall times (s) and peak RSS (KiB) of every timed run of one command."""

    wall: list[float] = field(default_factory=list)
    maxrss: list[int] = field(default_factory=list)
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def rss(self) -> float:
        return statistics.median(self.maxrss)


@dataclass
class Row:
    """One line of the report."""

    key: str
    budget: str
    measured: str
    limit: str
    verdict: str
    context: str
    value: float | None = None
    limit_value: float | None = None


# --------------------------------------------------------------------------- processes


def child_env(pythonpath: str | None = None) -> dict[str, str]:
    """The environment children run in: ours, minus PYTHON* knobs that change timings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


# Runs one command and reports its wall time and its own peak RSS. A child's ru_maxrss
# counts the memory of the process it was forked from (recorded at exec), so a large
# parent would inflate it: this wrapper (python -I -S, about the size of `python -c pass`)
# is the parent instead, and the runner's size does not matter.
WRAPPER = """
import os, sys, time
null = os.open(os.devnull, os.O_RDWR)
actions = [(os.POSIX_SPAWN_DUP2, null, fd) for fd in (0, 1, 2)]
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
sys.stdout.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(
    argv: Sequence[str], env: dict[str, str], timeout: float = 300.0
) -> subprocess.CompletedProcess[str]:
    """Run a child in its own process group; on timeout kill that group (exit code -9)."""
    with subprocess.Popen(
        list(argv),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            err += f"\ntimed out after {timeout:.0f} s"
            return subprocess.CompletedProcess(proc.args, -9, out, err)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def run_once(python: str, command: Command) -> tuple[float, int, int]:
    """Run a command once; return wall seconds, peak RSS in KiB and the exit code."""
    argv = [python, "-I", "-S", "-c", WRAPPER, python, "-c", command.code]
    done = run_child(argv, child_env(command.pythonpath), timeout=120.0)
    if done.returncode != 0:
        return 0.0, 0, done.returncode or 1
    wall, rss, code = done.stdout.split()
    return float(wall), int(rss), int(code)


def failure_of(python: str, command: Command) -> str:
    """The last line of a failing command's stderr, for the report."""
    done = run_child([python, "-c", command.code], child_env(command.pythonpath))
    lines = done.stderr.strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def time_commands(
    python: str, commands: Sequence[Command], rounds: int, warmup: int, progress: bool
) -> dict[str, Samples]:
    """Interleaved, rotated rounds of every command; warm-up rounds are discarded."""
    samples = {command.name: Samples() for command in commands}
    live = list(commands)
    for index in range(warmup + rounds):
        offset = index % len(live) if live else 0
        for command in live[offset:] + live[:offset]:
            wall, rss, code = run_once(python, command)
            if code != 0:
                samples[command.name].failure = failure_of(python, command)
                continue
            if index >= warmup:
                samples[command.name].wall.append(wall)
                samples[command.name].maxrss.append(rss)
        live = [command for command in live if samples[command.name].failure is None]
        if progress and (index + 1) % 10 == 0:
            print(f"  round {index + 1}/{warmup + rounds}", file=sys.stderr)
    return samples


def inproc(python: str, *args: str, pythonpath: str | None = None) -> Result:
    """Run ``_inproc.py`` in a child and return its JSON, or ``{"na": ...}`` on failure."""
    done = run_child([python, str(INPROC), *args], child_env(pythonpath))
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()
        return {"na": f"child failed: {tail[-1] if tail else done.returncode}"}
    result: Result = json.loads(done.stdout)
    return result


# --------------------------------------------------------------------------- formatting


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} us" if seconds < 1e-4 else f"{seconds * 1e6:,.0f} us"


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def size(nbytes: float) -> str:
    if abs(nbytes) >= 1 << 20:
        return f"{nbytes / (1 << 20):.2f} MiB"
    if abs(nbytes) >= 1 << 10:
        return f"{nbytes / (1 << 10):.1f} KiB"
    return f"{nbytes:.0f} B"


def verdict(value: float, limit: float) -> str:
    return "within" if value <= limit else "over"


def na_row(key: str, budget: str, limit: str, reason: str) -> Row:
    return Row(key, budget, "n/a", limit, "n/a", reason)


def ratio_row(
    key: str,
    budget: str,
    samples: dict[str, Samples],
    top: str,
    bottom: str,
    limit: float,
    *,
    memory: bool = False,
    stand_in: bool = False,
) -> Row:
    """A whole-process ratio (median time, or median peak RSS) against its limit."""
    limit_text = f"<= {limit:.2f}x"
    for name in (top, bottom):
        if name not in samples:
            return na_row(key, budget, limit_text, "not available")
        if not samples[name].ok:
            return na_row(key, budget, limit_text, f"failed: {samples[name].failure}")
    a, b = samples[top], samples[bottom]
    if memory:
        value = a.rss / b.rss
        q1, q3 = paired_quartiles(a.maxrss, b.maxrss, value)
        margin = limit * b.rss - a.rss
        context = (
            f"{a.rss:,.0f} vs {b.rss:,.0f} KiB, {abs(margin):,.0f} KiB "
            f"{'under' if margin >= 0 else 'over'} the limit (paired IQR {q1:.3f}-{q3:.3f}x)"
        )
        measured = ratio_text(value, limit, decimals=4)  # a KiB is about 0.00005x here
    else:
        value = a.median / b.median
        q1, q3 = paired_quartiles(a.wall, b.wall, value)
        context = f"{ms(a.median)} vs {ms(b.median)} (paired IQR {q1:.2f}-{q3:.2f}x)"
        measured = ratio_text(value, limit)
    shown = verdict(value, limit)
    return Row(
        key,
        budget,
        measured,
        limit_text,
        f"({shown})" if stand_in else shown,
        context,
        value,
        limit,
    )


def ratio_text(value: float, limit: float, decimals: int = 2) -> str:
    """``value`` as a ratio, with more decimals while rounding would show it at the limit."""
    while decimals < 6 and value != limit and round(value, decimals) == round(limit, decimals):
        decimals += 1
    return f"{value:.{decimals}f}x"


def paired_quartiles(
    tops: Sequence[float], bottoms: Sequence[float], value: float
) -> tuple[float, float]:
    """First and third quartiles of the per-round ratios (both at ``value`` for one round)."""
    paired = sorted(x / y for x, y in zip(tops, bottoms, strict=True))
    if len(paired) < 2:
        return value, value
    q1, _, q3 = statistics.quantiles(paired, n=4)
    return q1, q3


def per_call_row(key: str, budget: str, result: Result, limit_s: float, note: str = "") -> Row:
    limit_text = f"<= {us(limit_s)}"
    if "na" in result:
        return na_row(key, budget, limit_text, result["na"])
    value = float(result["median_s"])
    extra = [f"min {us(result['min_s'])}"]
    if "served" in result:
        extra.append(f"served {result['served']!r}")
    if result.get("cached"):
        extra.append("cached")
    if note:
        extra.append(note)
    return Row(
        key,
        budget,
        us(value),
        limit_text,
        verdict(value, limit_s),
        ", ".join(extra),
        value,
        limit_s,
    )


# --------------------------------------------------------------------------- the suite


def machine() -> Result:
    """What the numbers were measured on."""
    model = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    revision = "?"
    try:
        head = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        revision = head + (" + uncommitted changes in src/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        pass
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity else os.cpu_count()
    return {
        "nproc": cpus,
        "cpu": model,
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "revision": revision,
    }


def build_commands(caps: Result, empty: Path, plugins: PluginTree) -> list[Command]:
    commands = [
        Command("pass", "pass"),
        Command("import_painread", "import painread"),
        Command("from_basemodel", "from pydantic import BaseModel"),
        Command("import_pydantic", "import pydantic"),
        Command("import_babel", "import babel"),
        Command("cold_text", COLD.format(locale="", fmt="text")),
        Command("import_painread_empty_path", "import painread", str(empty)),
        Command("import_painread_1000_plugins", "import painread", str(plugins.root)),
    ]
    if caps.get("html"):
        commands.append(Command("cold_html", COLD.format(locale="", fmt="html")))
    if caps.get("de_translated"):
        fmt = "html" if caps.get("html") else "text"
        commands.append(Command(f"cold_de_{fmt}", COLD.format(locale="'de'", fmt=fmt)))
    if "fhir" in caps.get("formats", ()):
        commands.append(Command("cold_fhir", COLD.format(locale="", fmt="fhir")))
    return commands


def process_rows(caps: Result, samples: dict[str, Samples], scale_detail: str) -> list[Row]:
    rows: list[Row] = []
    base = samples["pass"]
    if base.ok:
        rows.append(
            Row(
                "B0",
                "baseline: python -c pass",
                ms(base.median),
                "-",
                "-",
                f"peak {mib(base.rss)}",
                base.median,
            )
        )
    for name, label, reference in (
        ("import_pydantic", "baseline: import pydantic", "ref 5.4x"),
        ("from_basemodel", "baseline: from pydantic import BaseModel", "ref 8.6x"),
        ("import_babel", "baseline: import babel", "ref 2.6x"),
    ):
        s = samples[name]
        if s.ok and base.ok:
            rows.append(
                Row(
                    f"B-{name}",
                    label,
                    f"{s.median / base.median:.2f}x pass",
                    "-",
                    "-",
                    f"{ms(s.median)}, peak {mib(s.rss)}, {reference}",
                    s.median / base.median,
                )
            )
    rows.append(
        ratio_row(
            "1",
            "import painread / python -c pass",
            samples,
            "import_painread",
            "pass",
            IMPORT_LIMIT,
        )
    )
    no_html = "not available: format 'html'" + (
        f" ({caps['html_reason']})" if caps.get("html_reason") else ""
    )
    cold_limit = f"<= {COLD_LIMIT:.2f}x"
    if caps.get("html"):
        rows.append(
            ratio_row(
                "2",
                "cold load()+render html / from pydantic import BaseModel",
                samples,
                "cold_html",
                "from_basemodel",
                COLD_LIMIT,
            )
        )
    else:
        rows.append(
            na_row(
                "2", "cold load()+render html / from pydantic import BaseModel", cold_limit, no_html
            )
        )
        rows.append(
            ratio_row(
                "2*",
                "  stand-in: same with 'text'",
                samples,
                "cold_text",
                "from_basemodel",
                COLD_LIMIT,
                stand_in=True,
            )
        )
    if "fhir" in caps.get("formats", ()):
        rows.append(
            ratio_row(
                "2f",
                "  same with 'fhir' (a FHIR R4 document)",
                samples,
                "cold_fhir",
                "from_basemodel",
                COLD_LIMIT,
            )
        )
    translated_limit = f"<= {COLD_TRANSLATED_LIMIT:.2f}x"
    label3 = "cold load('de')+render html / from pydantic import BaseModel"
    if not caps.get("de_translated"):
        served = caps.get("de_served")
        reason = "not available: load('de') not translated" + (
            f" (served {served!r})" if served else ""
        )
        rows.append(na_row("3", label3, translated_limit, reason))
    elif caps.get("html"):
        rows.append(
            ratio_row("3", label3, samples, "cold_de_html", "from_basemodel", COLD_TRANSLATED_LIMIT)
        )
    else:
        rows.append(na_row("3", label3, translated_limit, no_html))
        rows.append(
            ratio_row(
                "3*",
                "  stand-in: same with 'text'",
                samples,
                "cold_de_text",
                "from_basemodel",
                COLD_TRANSLATED_LIMIT,
                stand_in=True,
            )
        )
    row = ratio_row(
        "5a",
        "import painread, 1000 plugin locales on path / none",
        samples,
        "import_painread_1000_plugins",
        "import_painread_empty_path",
        IMPORT_WITH_PLUGINS_LIMIT,
    )
    if scale_detail:
        row.context += f"; {scale_detail}"
    rows.append(row)
    label6 = "peak RSS cold html use / from pydantic import BaseModel"
    if caps.get("html"):
        rows.append(
            ratio_row(
                "6", label6, samples, "cold_html", "from_basemodel", PEAK_MEMORY_LIMIT, memory=True
            )
        )
    else:
        rows.append(na_row("6", label6, f"<= {PEAK_MEMORY_LIMIT:.2f}x", no_html))
        rows.append(
            ratio_row(
                "6*",
                "  stand-in: same with 'text'",
                samples,
                "cold_text",
                "from_basemodel",
                PEAK_MEMORY_LIMIT,
                memory=True,
                stand_in=True,
            )
        )
    return rows


def warm_rows(warm: Result) -> list[Row]:
    if "na" in warm:
        return [na_row("4", "warm measurements", "-", warm["na"])]
    rows = [
        per_call_row("4a", "repeated load('en')", warm["load_en"], WARM_LIMIT_S),
        per_call_row("4a", "repeated load('de')", warm["load_de"], WARM_LIMIT_S),
        per_call_row(
            "4a", "repeated load() in use_locale('de')", warm["load_context_de"], WARM_LIMIT_S
        ),
        per_call_row(
            "4b", "repeated render text, whole article", warm["render_text_whole"], WARM_LIMIT_S
        ),
        per_call_row(
            "4b", "repeated render html, whole article", warm["render_html_whole"], WARM_LIMIT_S
        ),
        per_call_row(
            "4b",
            "repeated render html, one section, both",
            warm["render_html_section"],
            WARM_LIMIT_S,
        ),
    ]
    floor = warm["floor"]
    for fmt, key, stand_in in (("html", "4c", False), ("text", "4c*", True)):
        result = warm[f"uncached_{fmt}"]
        label = (
            f"uncached render {fmt}, whole article / escape+join floor"
            if not stand_in
            else "  stand-in: same with 'text'"
        )
        limit_text = f"<= {UNCACHED_LIMIT:.2f}x"
        if stand_in and "na" not in warm["uncached_html"]:
            continue
        if "na" in result or "na" in floor:
            rows.append(na_row(key, label, limit_text, result.get("na") or floor["na"]))
            continue
        value = result["median_s"] / floor["median_s"]
        shown = verdict(value, UNCACHED_LIMIT)
        rows.append(
            Row(
                key,
                label,
                ratio_text(value, UNCACHED_LIMIT),
                limit_text,
                f"({shown})" if stand_in else shown,
                f"{us(result['median_s'])} vs floor {us(floor['median_s'])} "
                f"({floor['units']} units, {floor['chars']:,} chars)"
                + page_context(result, warm.get("page_floor", {}))
                + ("" if stand_in else first_context(warm.get("first_html", {}))),
                value,
                UNCACHED_LIMIT,
            )
        )
    return rows


def page_context(result: Result, page: Result) -> str:
    """4c's context: the render against the floor over the page's own text nodes."""
    if "median_s" not in page:
        return ""
    return (
        f"; over the page's {page['nodes']} text nodes ({page['chars']:,} chars) the floor is "
        f"{us(page['median_s'])}: {result['median_s'] / page['median_s']:.1f}x"
    )


def first_context(first: Result) -> str:
    """4c's context: an article's first render, with what it works out once included."""
    if "median_s" not in first:
        return ""
    return f"; first render of a newly built article {us(first['median_s'])}"


def scale_rows(timed: dict[str, Result], memory: dict[str, dict[str, Result]]) -> list[Row]:
    rows: list[Row] = []
    for registration, label in (("ep", "entry points"), ("api", "add_translations")):
        result = timed.get(registration, {"na": "not run"})
        negotiate = result.get("negotiate", result)
        row = per_call_row(
            "5b",
            f"negotiate 5-entry header, 1000 locales via {label}",
            negotiate,
            NEGOTIATE_LIMIT_S,
        )
        if "na" not in negotiate:
            same = negotiate.get("same_header", {})
            if "median_s" in same:
                row.context = (
                    f"1000 distinct headers; same header {us(same['median_s'])}; "
                    f"first call (discovery) {ms(result['discover_s'])}"
                )
                if "first_pass_s" in result:
                    row.context += f"; first pass over the headers {us(result['first_pass_s'])}"
            available = result.get("available", {})
            if "first_s" in available:
                row.context += (
                    f"; first available_locales() {ms(available['first_s'])} "
                    f"({available['detail']})"
                )
            if "register_s" in result:
                row.context += f"; add_translations x10 {ms(result['register_s'])}"
        rows.append(row)
    for registration, label in (("ep", "entry points"), ("api", "add_translations")):
        pair = memory.get(registration, {})
        large, small = pair.get("large", {"na": "not run"}), pair.get("small", {"na": "not run"})
        limit_text = f"<= {size(UNLOADED_LOCALE_LIMIT_B)}"
        budget = f"memory per registered, unloaded locale ({label})"
        reason = large.get("na") or small.get("na")
        if not reason and not (large.get("discovered") and small.get("discovered")):
            reason = f"generated plugins not discovered ({large.get('detail')})"
        if reason:
            rows.append(na_row("5c", budget, limit_text, reason))
        else:
            marginal = (large["registered_bytes"] - small["registered_bytes"]) / (
                large["locales"] - small["locales"]
            )
            rows.append(
                Row(
                    "5c",
                    budget,
                    size(marginal),
                    limit_text,
                    verdict(marginal, UNLOADED_LOCALE_LIMIT_B),
                    f"{large['locales']} locales: {size(large['registered_bytes'])}, "
                    f"{small['locales']}: {size(small['registered_bytes'])} (tracemalloc)",
                    marginal,
                    UNLOADED_LOCALE_LIMIT_B,
                )
            )
        loaded = large.get("loaded", {"na": reason or "not run"})
        budget = f"memory per loaded locale ({label})"
        if "na" in loaded:
            rows.append(na_row("5d", budget, "report", loaded["na"]))
        else:
            rows.append(
                Row(
                    "5d",
                    budget,
                    size(loaded["per_locale_bytes"]),
                    "report",
                    "-",
                    f"{loaded['count']} loaded, {loaded['served_as_requested']} served "
                    f"as asked; RSS {size(loaded['per_locale_rss_bytes'])}/locale; "
                    f"first load {size(loaded['first_load_bytes'])}"
                    + (
                        f"; then available_locales() +{size(loaded['available_locales_bytes'])}"
                        if loaded.get("available_locales_bytes") is not None
                        else ""
                    ),
                    loaded["per_locale_bytes"],
                )
            )
    return rows


RESULTS_START = "<!-- results: written by benchmarks/run.py --write-docs; do not edit by hand -->"
RESULTS_END = "<!-- /results -->"


def summary_line(rows: Sequence[Row]) -> str:
    """How many budgets are over and within, as the docs page states it."""
    counts = [(sum(row.verdict == v for row in rows), v) for v in ("over", "n/a", "within")]
    return ", ".join(f"{n} {v}" for n, v in counts if n or v != "n/a") + "."


def write_results(page: Path, table: str, summary: str) -> None:
    """Put the table and its summary between the page's result markers, nothing else."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index(RESULTS_START), text.index(RESULTS_END)
    block = f"{RESULTS_START}\n{table}\n\n{summary}\n"
    page.write_text(text[:start] + block + text[end:], encoding="utf-8")


def render_table(rows: Sequence[Row], markdown: bool) -> str:
    header = ("#", "budget", "measured", "limit", "verdict", "absolute / context")
    cells = [header, *((r.key, r.budget, r.measured, r.limit, r.verdict, r.context) for r in rows)]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += [
            "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in cells[1:]
        ]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in cells) for i in range(len(header) - 1)]
    out = []
    for index, row in enumerate(cells):
        out.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[-1]
        )
        if index == 0:
            out.append("  ".join("-" * width for width in widths) + "  " + "-" * 20)
    return "\n".join(out)


# --------------------------------------------------------------------------- profile

_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S.*)$")

CPROFILE = """
import cProfile, json, pstats, re, sys
profile = cProfile.Profile()
profile.enable()
{code}
profile.disable()
stats = pstats.Stats(profile)
def package(path):
    if path.startswith("~") or path.startswith("<"):
        return "(builtins)" if path.startswith("~") else "(frozen importlib)"
    match = re.search(r"(?:site-packages|src)/([^/]+)", path)
    if match:
        return match.group(1).removesuffix(".py")
    return "(stdlib)"
by_package = {{}}
functions = []
for (path, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
    by_package[package(path)] = by_package.get(package(path), 0.0) + tt
    where = "/".join(path.rsplit("/", 2)[-2:])
    functions.append((tt, ct, nc, f"{{where}}:{{line}}({{name}})", "/painread/" in path))
functions.sort(reverse=True)
cumulative = sorted(functions, key=lambda f: f[1], reverse=True)
own = [f for f in cumulative if f[4]]
json.dump({{"total_s": sum(f[0] for f in functions), "by_package": by_package,
            "top_self": functions[:25], "top_cumulative": cumulative[:40],
            "own_cumulative": own[:25]}}, sys.stdout)
"""


PHASES = """
import sys, time
def hwm():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0
def mark(name):
    marks.append((name, time.perf_counter(), set(sys.modules), hwm()))
marks = []
mark("start")
import painread
mark("import painread")
load = painread.load
mark("resolve painread.load (lazy imports)")
article = load({locale})
mark("first load({locale})")
render = painread.render
mark("resolve painread.render (lazy imports)")
render(article, {fmt!r})
mark("first render({fmt!r})")
import json
out = []
for (_, before, had, low), (name, after, has, high) in zip(marks, marks[1:]):
    new = sorted(has - had)
    packages = sorted({{m.split(".")[0] for m in new if not m.startswith("_")}})
    out.append([name, after - before, len(new), packages, high - low, high])
print(json.dumps(out))
"""


def phases(python: str, locale: str, fmt: str, reps: int) -> str:
    """Median time and peak-RSS growth of each step of a cold use, and what it imports."""
    code = PHASES.format(locale=locale, fmt=fmt)
    runs: list[list[Any]] = []
    for _ in range(reps):
        done = run_child([python, "-c", code], child_env())
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()
            return f"phases failed: {tail[-1] if tail else done.returncode}"
        runs.append(json.loads(done.stdout))
    lines = [
        f"phases of the cold use (median of {reps} runs, after interpreter start-up;"
        " time, peak RSS growth, peak RSS after):"
    ]
    for index, (name, _, count, packages, _, _) in enumerate(runs[0]):
        median = statistics.median(run[index][1] for run in runs)
        grown = statistics.median(run[index][4] for run in runs)
        peak = statistics.median(run[index][5] for run in runs)
        shown = ", ".join(packages[:14]) + (", ..." if len(packages) > 14 else "")
        lines.append(
            f"  {median * 1e3:7.2f} ms  +{mib(grown):>8} -> {mib(peak):>8}  {name}: "
            f"{count} modules ({shown})"
        )
    return "\n".join(lines)


@dataclass
class ImportTimes:
    """``-X importtime`` over several runs: medians per module and who imports whom."""

    self_us: dict[str, float]
    cumulative_us: dict[str, float]
    total_us: float
    children: dict[str, list[str]]
    raw: str


def parse_importtime(log: str) -> tuple[dict[str, tuple[float, float]], dict[str, list[str]]]:
    """Self and cumulative us per module, and each module's direct imports, from one log."""
    times: dict[str, tuple[float, float]] = {}
    children: dict[str, list[str]] = {}
    pending: dict[int, list[str]] = defaultdict(list)
    for line in log.splitlines():
        match = _IMPORTTIME.match(line)
        if not match:
            continue
        self_us, cumulative_us, indent, module = match.groups()
        depth = (len(indent) - 1) // 2
        times[module] = (float(self_us), float(cumulative_us))
        children[module] = pending.pop(depth + 1, [])
        pending[depth].append(module)
    children[""] = pending.get(0, [])
    return times, children


def importtime(python: str, command: Command, reps: int) -> ImportTimes:
    """Median self and cumulative time (us) per module over ``reps`` runs."""
    selfs: dict[str, list[float]] = defaultdict(list)
    cumulatives: dict[str, list[float]] = defaultdict(list)
    totals: list[float] = []
    raw = ""
    children: dict[str, list[str]] = {}
    for _ in range(reps):
        done = run_child(
            [python, "-X", "importtime", "-c", command.code], child_env(command.pythonpath)
        )
        times, tree = parse_importtime(done.stderr)
        if not raw:
            raw, children = done.stderr, tree
        for module, (self_us, cumulative_us) in times.items():
            selfs[module].append(self_us)
            cumulatives[module].append(cumulative_us)
        totals.append(sum(times[module][1] for module in tree[""]))
    return ImportTimes(
        {module: statistics.median(values) for module, values in selfs.items()},
        {module: statistics.median(values) for module, values in cumulatives.items()},
        statistics.median(totals),
        children,
        raw,
    )


def summarise_imports(times: ImportTimes, top: int = 15) -> str:
    by_package: dict[str, float] = defaultdict(float)
    for module, self_us in times.self_us.items():
        by_package[module.split(".")[0]] += self_us
    lines = [
        f"imports total {times.total_us / 1e3:.1f} ms (sum of top-level cumulative, median)",
        "",
        f"top {top} modules by self time:",
    ]
    for module, self_us in sorted(times.self_us.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {self_us / 1e3:7.2f} ms  {module}")
    lines += ["", "self time by top-level package:"]
    for name, self_us in sorted(by_package.items(), key=lambda kv: -kv[1])[:12]:
        lines.append(f"  {self_us / 1e3:7.2f} ms  {name}")
    own = [module for module in times.children if module.split(".")[0] == "painread"]
    if own:
        lines += ["", "painread modules: cumulative (self) import time; direct imports >= 0.5 ms:"]
    for module in sorted(own, key=lambda name: -times.cumulative_us.get(name, 0.0)):
        lines.append(
            f"  {times.cumulative_us.get(module, 0.0) / 1e3:7.2f} ms "
            f"({times.self_us.get(module, 0.0) / 1e3:.2f})  {module}"
        )
        heavy = [
            (times.cumulative_us.get(child, 0.0), child)
            for child in times.children[module]
            if child.split(".")[0] != "painread" and times.cumulative_us.get(child, 0.0) >= 500
        ]
        for cumulative_us, child in sorted(heavy, reverse=True):
            lines.append(f"  {'':>7}    {cumulative_us / 1e3:6.2f} ms  <- {child}")
    return "\n".join(lines)


def beyond_floor(times: ImportTimes, floor: ImportTimes, top: int = 15) -> str:
    """Import self time spent in modules that ``from pydantic import BaseModel`` does not load."""
    extra = {m: us_ for m, us_ in times.self_us.items() if m not in floor.self_us}
    by_package: dict[str, float] = defaultdict(float)
    for module, self_us in extra.items():
        by_package[module.split(".")[0]] += self_us
    lines = [
        f"imports beyond the floor (modules `from pydantic import BaseModel` does not load): "
        f"{len(extra)} modules, {sum(extra.values()) / 1e3:.1f} ms self time",
        "  by top-level package:",
    ]
    for name, self_us in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {self_us / 1e3:7.2f} ms  {name}")
    return "\n".join(lines)


def summarise_cprofile(result: Result) -> str:
    lines = [
        f"profiled total {result['total_s'] * 1e3:.1f} ms (cProfile overhead included)",
        "",
        "self time by package:",
    ]
    for name, seconds in sorted(result["by_package"].items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"  {seconds * 1e3:7.2f} ms  {name}")
    lines += ["", "top 15 functions by self time (tottime, cumtime, calls):"]
    for tt, ct, calls, name, _ in result["top_self"][:15]:
        lines.append(f"  {tt * 1e3:7.2f} ms {ct * 1e3:8.2f} ms {calls:7d}  {name}")
    lines += ["", "painread's own functions by cumulative time (tottime, cumtime, calls):"]
    for tt, ct, calls, name, _ in result.get("own_cumulative", [])[:15]:
        lines.append(f"  {tt * 1e3:7.2f} ms {ct * 1e3:8.2f} ms {calls:7d}  {name}")
    return "\n".join(lines)


def profile(python: str, caps: Result, outdir: Path, reps: int) -> str:
    """Write importtime logs and cProfile summaries; return the combined summary."""
    outdir.mkdir(parents=True, exist_ok=True)
    fmt = "html" if caps.get("html") else "text"
    targets = [
        Command("import_painread", "import painread"),
        Command(f"cold_{fmt}", COLD.format(locale="", fmt=fmt)),
    ]
    if caps.get("de_translated"):
        targets.append(Command(f"cold_de_{fmt}", COLD.format(locale="'de'", fmt=fmt)))
    floor = importtime(python, Command("floor", "from pydantic import BaseModel"), reps)
    sections = []
    for command in targets:
        times = importtime(python, command, reps)
        (outdir / f"importtime-{command.name}.txt").write_text(times.raw, encoding="utf-8")
        text = f"## {command.name}: python -X importtime -c {command.code!r}\n\n"
        text += summarise_imports(times)
        if command.name != "import_painread":
            text += "\n\n" + beyond_floor(times, floor)
            locale, fmt = ("'de'" if "_de_" in command.name else ""), command.name.split("_")[-1]
            text += "\n\n" + phases(python, locale, fmt, reps)
            done = run_child([python, "-c", CPROFILE.format(code=command.code)], child_env())
            if done.returncode == 0:
                result = json.loads(done.stdout)
                (outdir / f"cprofile-{command.name}.json").write_text(
                    json.dumps(result, indent=1), encoding="utf-8"
                )
                text += "\n\ncProfile of the same command:\n" + summarise_cprofile(result)
            else:
                text += f"\n\ncProfile failed: {done.stderr.strip().splitlines()[-1:]}"
        sections.append(text)
    summary = "\n\n".join(sections) + "\n"
    (outdir / "summary.txt").write_text(summary, encoding="utf-8")
    return summary


# --------------------------------------------------------------------------- main


def scale(
    python: str,
    caps: Result,
    large: PluginTree,
    small: PluginTree,
    quick: bool,
    log: Callable[[str], None],
) -> tuple[dict[str, Result], dict[str, dict[str, Result]]]:
    flags = ["--quick"] if quick else []
    timed: dict[str, Result] = {}
    memory: dict[str, dict[str, Result]] = {}
    for registration in ("ep", "api"):
        if registration == "api" and not caps["api"].get("add_translations"):
            reason = {"na": "not available: painread.add_translations"}
            timed["api"] = {"negotiate": reason}
            memory["api"] = {"large": reason, "small": reason}
            continue
        log(f"scale ({registration}): negotiate")
        path = str(large.root) if registration == "ep" else None
        timed[registration] = inproc(
            python,
            "scale-time",
            str(large.root / "manifest.json"),
            "--registration",
            registration,
            *flags,
            pythonpath=path,
        )
        log(f"scale ({registration}): memory")
        memory[registration] = {}
        for name, tree in (("large", large), ("small", small)):
            path = str(tree.root) if registration == "ep" else None
            memory[registration][name] = inproc(
                python,
                "scale-mem",
                str(tree.root / "manifest.json"),
                "--registration",
                registration,
                *flags,
                pythonpath=path,
            )
    return timed, memory


def main(argv: Iterable[str] | None = None) -> int:
    """Run the suite, print the table, optionally write JSON and profiles."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (< 60 s)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all results as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--write-docs",
        type=Path,
        nargs="?",
        const=DOCS,
        metavar="PAGE",
        help="replace the results table of PAGE (default docs/performance.md) with this run's",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        nargs="?",
        const=HERE / ".profile",
        metavar="DIR",
        help="also write importtime/cProfile output to DIR "
        "(default benchmarks/.profile) and print a summary",
    )
    parser.add_argument("--rounds", type=int, help="whole-process rounds (default 20 / 120)")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter with painread installed (default: this one)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    rounds = args.rounds or (20 if args.quick else 120)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr)

    info = machine()
    log("probing painread")
    caps = inproc(args.python, "probe")
    if "na" in caps:
        print(f"cannot import painread with {args.python}: {caps['na']}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="painread-bench-") as tmp:
        units = [Unit(**unit) for unit in caps["units"]]
        locales: list[str] = caps["locales"]
        log(f"generating {len(locales)} plugin locales")
        large = make_tree(Path(tmp) / "plugins-large", locales, units, plugins=10)
        small = make_tree(Path(tmp) / "plugins-small", locales[:10], units, plugins=1)
        empty = Path(tmp) / "empty"
        empty.mkdir()
        commands = build_commands(caps, empty, large)
        log(f"timing {len(commands)} commands x {rounds} rounds (interleaved)")
        samples = time_commands(args.python, commands, rounds, warmup=3, progress=True)
        log("warm per-call timings")
        warm = inproc(args.python, "warm", *(["--quick"] if args.quick else []))
        timed, memory = scale(args.python, caps, large, small, args.quick, log)
    detail = timed.get("ep", {}).get("detail", "")
    rows = [
        *process_rows(caps, samples, f"discovery: {detail}" if detail else ""),
        *warm_rows(warm),
        *scale_rows(timed, memory),
    ]
    order = {"B": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
    rows.sort(key=lambda row: order.get(row.key[0], 9))
    print(
        f"painread {caps['version']} on {info['cpu']}, {info['nproc']} CPUs, {info['memory']}, "
        f"Python {info['python']}, revision {info['revision']} "
        f"({'quick' if args.quick else 'full'}: {rounds} rounds, "
        f"{time.perf_counter() - started:.0f} s)"
    )
    print(render_table(rows, args.markdown))
    over = [row for row in rows if row.verdict == "over"]
    missing = [row for row in rows if row.verdict == "n/a"]
    print(
        f"\n{len(over)} over, {len(missing)} n/a, "
        f"{sum(row.verdict == 'within' for row in rows)} within "
        "(reported only; timings never fail a run)"
    )
    if args.write_docs:
        write_results(args.write_docs, render_table(rows, markdown=True), summary_line(rows))
        log(f"wrote the results table into {args.write_docs}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "mode": "quick" if args.quick else "full",
                    "rounds": rounds,
                    "capabilities": {
                        key: value for key, value in caps.items() if key not in ("units", "locales")
                    },
                    "rows": [row.__dict__ for row in rows],
                    "processes": {
                        name: {"wall_s": s.wall, "maxrss_kib": s.maxrss, "failure": s.failure}
                        for name, s in samples.items()
                    },
                    "warm": warm,
                    "scale_time": timed,
                    "scale_memory": memory,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    if args.profile:
        log(f"profiling into {args.profile}")
        print("\n" + profile(args.python, caps, args.profile, reps=3 if args.quick else 7))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
