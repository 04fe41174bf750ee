"""Handout time against WeasyPrint alone: the cost of what painread adds to a PDF.

    python benchmarks/handout.py [--quick] [--rounds N] [--json OUT]

For each locale, ``painread.handout(article)`` is timed against WeasyPrint
writing the very HTML that handout lays out (``handouts.handout_html``), with
the same PDF options, in alternating order so drift hits both alike. What
painread adds: building the page, reading the laid-out pages back to check the
short disclaimer line and the full disclaimer. Both sides run in this one
process and use one core, so the times are CPU time (``time.process_time``),
which other processes on a shared machine disturb far less than wall time.
Reported: median times and their ratio (limit 1.20x) with the interquartile
range of paired ratios, and the wall-time ratio for context.
Timings are never pass/fail: the script exits 0 whatever the verdict.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import painread
from painread import handouts

LIMIT = 1.20
LOCALES = ("en", "ar")


def timed(call: Callable[[], Any]) -> tuple[float, float]:
    """CPU and wall seconds of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    call()
    return time.process_time() - cpu, time.perf_counter() - wall


def own_steps(article: painread.Article, weasyprint: Any, repeats: int = 20) -> float:
    """CPU seconds of painread's own steps: the page, and reading the laid-out pages back."""
    document = weasyprint.HTML(string=handouts.handout_html(article)).render()
    view = handouts._view(article, None, "A4")

    def steps() -> None:
        handouts._document(view, "A4")
        handouts._verify(view, handouts._page_texts(document))

    return statistics.median(timed(steps)[0] for _ in range(repeats))


def measure(locale: str, rounds: int) -> dict[str, Any]:
    import weasyprint

    article = painread.load(locale)
    html = handouts.handout_html(article)

    def ours() -> bytes:
        return painread.handout(article)

    def alone() -> bytes:
        pdf: bytes = weasyprint.HTML(string=html).write_pdf(
            pdf_variant=handouts.PDF_VARIANT, pdf_identifier=True
        )
        return pdf

    assert ours() == alone(), "both sides must write the same PDF"  # also the warm-up
    painread_s: list[tuple[float, float]] = []
    weasyprint_s: list[tuple[float, float]] = []
    for index in range(rounds):
        pair = ((ours, painread_s), (alone, weasyprint_s))
        for call, samples in pair if index % 2 == 0 else reversed(pair):
            samples.append(timed(call))
    own = own_steps(article, weasyprint)
    cpu = [(a[0], b[0]) for a, b in zip(painread_s, weasyprint_s, strict=True)]
    paired = sorted(a / b for a, b in cpu)
    quartiles = statistics.quantiles(paired, n=4) if len(paired) > 1 else [paired[0]] * 3
    ours_cpu = statistics.median(a for a, _ in cpu)
    alone_cpu = statistics.median(b for _, b in cpu)
    wall = statistics.median(a[1] for a in painread_s) / statistics.median(
        b[1] for b in weasyprint_s
    )
    return {
        "locale": locale,
        "rounds": rounds,
        "painread_cpu_s": ours_cpu,
        "weasyprint_cpu_s": alone_cpu,
        "ratio": ours_cpu / alone_cpu,
        "paired_iqr": (quartiles[0], quartiles[2]),
        "wall_ratio": wall,
        "own_steps_s": own,
        "samples": {"painread": painread_s, "weasyprint": weasyprint_s},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds (default 15)")
    parser.add_argument("--rounds", type=int, help="timed pairs per locale")
    parser.add_argument("--json", metavar="OUT", help="write the results as JSON")
    args = parser.parse_args(argv)
    rounds = args.rounds or (5 if args.quick else 15)
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        print("handout benchmark skipped: install painread[pdf]", file=sys.stderr)
        return 0
    results = [measure(locale, rounds) for locale in LOCALES]
    print(
        "| locale | painread.handout (CPU) | WeasyPrint alone (CPU) | ratio (limit 1.20x) "
        "| paired IQR | wall-time ratio | painread's own steps |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in results:
        verdict = "within" if row["ratio"] <= LIMIT else "OVER"
        low, high = row["paired_iqr"]
        print(
            f"| {row['locale']} | {row['painread_cpu_s'] * 1000:.0f} ms "
            f"| {row['weasyprint_cpu_s'] * 1000:.0f} ms | {row['ratio']:.3f}x {verdict} "
            f"| {low:.3f}-{high:.3f} | {row['wall_ratio']:.3f}x "
            f"| {row['own_steps_s'] * 1000:.1f} ms "
            f"({row['own_steps_s'] / row['weasyprint_cpu_s']:.1%} of WeasyPrint's) |"
        )
    print(f"({rounds} alternating pairs per locale, whole article on A4; figures, not a gate)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
