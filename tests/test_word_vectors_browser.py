"""The word-vector page in Chromium: the plotly map is drawn, with its arrows, and follows
a typed expression; on a phone it fits the screen."""

from __future__ import annotations

from playwright.sync_api import expect

from harness.browser import open_app, settle

PLOT = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def map_labels(page) -> set[str]:
    page.wait_for_selector(f"{PLOT} .textpoint text")
    return set(page.locator(f"{PLOT} .textpoint text").all_text_contents())  # SVG: no innerText


def test_the_map_draws_the_words_and_the_parallelogram_arrows(app_url, desktop_page):
    page = desktop_page
    open_app(page, f"{app_url}/word_vectors?lang=en")
    page.wait_for_selector(PLOT)
    assert {"rome", "italy", "china", "beijing"} <= map_labels(page)
    expect(page.locator(f"{PLOT} .annotation-arrow-g")).to_have_count(2)  # italy->rome, china->beijing

    box = page.locator("[data-testid='stTextInput'] input")
    box.fill("king - man + woman")
    settle(page, lambda: box.press("Enter"))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .textpoint text')]"
        ".some(node => node.textContent === 'queen')")
    assert {"king", "man", "woman", "queen"} <= map_labels(page)


def test_on_a_phone_the_map_fits_the_screen(app_url, phone_page):
    page = phone_page
    open_app(page, f"{app_url}/word_vectors?lang=hu")
    page.wait_for_selector(PLOT)
    box = page.locator(PLOT).bounding_box()
    assert box["width"] <= 390 and box["height"] > 300
    assert "beijing" in map_labels(page)
