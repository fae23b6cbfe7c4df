"""Interaction latency in a real browser: each demo page against its static twin and a
trivial page, same run.

For every demo page, one typical interaction is repeated; the time from the action to the
page having settled (Streamlit's script run started by the action has finished and the page
is marked idle) is measured in Chromium. The same interaction is measured on the page's
static twin (bench/twins/: the same elements after that interaction, from fixed content, no
model and no computation), and the same kind of measurement on bench/trivial_app.py (one
slider, one text). A page's ratio to its twin is what its own work (models, computation)
costs over drawing its elements; its ratio to the trivial page is its whole cost. Prints
medians and both ratios for each page.

    .venv/bin/python bench/ui_latency.py [--repeats 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser import (DESKTOP, draw_stroke, drawing_canvas,  # noqa: E402
                           launch_chromium, open_app, settle, streamlit_server)


def click_slider(page: Page, index: int) -> float:
    """Click the trivial page's slider track on the side away from its current value."""
    value = int(page.get_by_text("The value is").inner_text().split()[-1].rstrip("."))
    track = page.locator("[data-testid='stSlider'] [role='group']").first.bounding_box()
    x = track["x"] + track["width"] * (0.3 if value >= 50 else 0.7)
    return settle(page, lambda: page.mouse.click(x, track["y"] + track["height"] / 2))


def draw_on_autoencoder(page: Page, index: int) -> float:
    box = drawing_canvas(page)
    x = 0.2 + 0.6 * (index % 5) / 4
    return settle(page, lambda: draw_stroke(page, box, [(x, 0.2), (x, 0.5), (x + 0.05, 0.8)]))


EXPRESSIONS = ["king - man + woman", "paris - france + japan", "rome - italy + china"]


def submit_expression(page: Page, index: int) -> float:
    box = page.locator("[data-testid='stTextInput'] input")
    box.fill(EXPRESSIONS[index % len(EXPRESSIONS)])  # differs from the previous one every time
    return settle(page, lambda: box.press("Enter"))


def pick_gan_endpoint(page: Page, index: int) -> float:
    """Pick another end sample: two interpolations, their critic scores and charts rerun."""
    pill = page.locator(".st-key-gan-end").get_by_role("radio", name=f"#{2 + index % 10}",
                                                        exact=True)
    return settle(page, pill.click)


def pick_a_style(page: Page, index: int) -> float:
    """Pick a style not painted before: the page caches sample photos painted in a style for
    every visitor, and this measures the painting, not the cache."""
    # the gallery opens in Hungarian: built-in style n is labelled "n. stílus"
    page.locator("[data-testid='stSelectbox']").filter(has_text="Válassz stílust").click()
    page.keyboard.type(f"{3 + index % 16}. stílus")  # typing filters the (virtualised) list
    return settle(page, lambda: page.keyboard.press("Enter"))


PATCH_PHOTO = "iframe[title='streamlit_image_coordinates.streamlit_image_coordinates']"


def place_adversarial_patch(page: Page, index: int) -> float:
    """Click the photo: the patch moves there and the top 5 are recomputed."""
    photo = page.frame_locator(PATCH_PHOTO).locator("#image")
    photo.wait_for()  # a quick page (the twin) is idle before its component has loaded
    box = photo.bounding_box()
    x, y = 0.2 + 0.6 * (index % 4) / 3, 0.3 + 0.4 * (index % 3) / 2
    return settle(page, lambda: page.mouse.click(box["x"] + x * box["width"],
                                                 box["y"] + y * box["height"]))


# page url path -> one interaction (page, repetition index) -> seconds until settled
INTERACTIONS: dict[str, Callable[[Page, int], float]] = {
    "autoencoder": draw_on_autoencoder,
    "word_vectors": submit_expression,
    "gan": pick_gan_endpoint,
    "style_transfer": pick_a_style,
    "adversarial_patch": place_adversarial_patch,
}


def measure(page: Page, url: str, interaction: Callable[[Page, int], float],
            repeats: int) -> float:
    open_app(page, url)
    interaction(page, 0)  # warm-up: first use loads models and caches
    return statistics.median(interaction(page, index) for index in range(1, repeats + 1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
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
        for path in INTERACTIONS:
            open_app(page, f"{gallery}/{path}")
        medians = {}
        for path, interaction in INTERACTIONS.items():
            real = measure(page, f"{gallery}/{path}", interaction, args.repeats)
            twin = measure(page, f"{twins}/{path}", interaction, args.repeats)
            medians[path] = real, twin
            print(f"{path}: median {real * 1000:.0f} ms, its twin {twin * 1000:.0f} ms, "
                  f"the trivial page {baseline * 1000:.0f} ms")
        browser.close()
    for path, (real, twin) in medians.items():
        print(f"ratio {path} / its twin: {real / twin:.2f}")
        print(f"ratio {path} / trivial: {real / baseline:.2f}")


if __name__ == "__main__":
    main()
