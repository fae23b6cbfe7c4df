"""Interaction latency in a real browser: each demo page against its static twin and a
trivial page, same run.

For every demo page, its typical interaction (harness/interactions.py, named by its registry
entry) is repeated; the time from the action to the page having settled (Streamlit's script
run started by the action has finished and the page is marked idle) is measured in Chromium. The same interaction is measured on the page's
static twin (bench/twins/: the same elements after that interaction, from fixed content, no
model and no computation), and the same kind of measurement on bench/trivial_app.py (one
slider, one text). A page's ratio to its twin is what its own work (models, computation)
costs over drawing its elements; its ratio to the trivial page is its whole cost. Prints
medians and both ratios for each page.

    .venv/bin/python bench/ui_latency.py [--repeats 10] [--pages speech,gan]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from harness.browser import (DESKTOP, launch_chromium, open_app, settle,  # noqa: E402
                             streamlit_server)
from harness.interactions import ON_PAGE  # noqa: E402


def click_slider(page: Page, index: int) -> float:
    """Click the trivial page's slider track on the side away from its current value."""
    value = int(page.get_by_text("The value is").inner_text().split()[-1].rstrip("."))
    track = page.locator("[data-testid='stSlider'] [role='group']").first.bounding_box()
    x = track["x"] + track["width"] * (0.3 if value >= 50 else 0.7)
    return settle(page, lambda: page.mouse.click(x, track["y"] + track["height"] / 2))


def measure(page: Page, url: str, interaction: Callable[[Page, int], float],
            repeats: int) -> float:
    open_app(page, url)
    interaction(page, 0)  # warm-up: first use loads models and caches
    return statistics.median(interaction(page, index) for index in range(1, repeats + 1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--pages", default=",".join(ON_PAGE), type=lambda s: s.split(","),
                        help="comma-separated demo pages (default: every demo)")
    args = parser.parse_args(argv)

    with sync_playwright() as playwright, streamlit_server("bench/trivial_app.py") as trivial, \
            streamlit_server("app.py") as gallery, \
            streamlit_server("bench/twins/app.py") as twins:
        browser = launch_chromium(playwright)
        page = browser.new_context(**DESKTOP).new_page()
        baseline = measure(page, trivial, click_slider, args.repeats)
        print(f"trivial page (slider): median {baseline * 1000:.0f} ms")
        # The gallery's first page starts loading every model in the background
        # (ui/loaders.py); a page waits for its own. Opening each page first lets no
        # measurement, of a demo or of a twin, share the CPU with that loading.
        for path in args.pages:
            open_app(page, f"{gallery}/{path}")
        medians = {}
        for path in args.pages:
            interaction = ON_PAGE[path]
            real = measure(page, f"{gallery}/{path}", interaction.in_browser, args.repeats)
            twin = measure(page, f"{twins}/{path}", interaction.in_browser, args.repeats)
            medians[path] = real, twin
            print(f"{path}: median {real * 1000:.0f} ms, its twin {twin * 1000:.0f} ms, "
                  f"the trivial page {baseline * 1000:.0f} ms")
        browser.close()
    for path, (real, twin) in medians.items():
        print(f"ratio {path} / its twin: {real / twin:.2f}")
        print(f"ratio {path} / trivial: {real / baseline:.2f}")


if __name__ == "__main__":
    main()
