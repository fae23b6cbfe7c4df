"""The heavy-work line in Chromium, on a server that runs one heavy job and lets one wait
(DEMO_HEAVY_WORKERS=1 DEMO_HEAVY_LINE=1): visitors in their own browser contexts (their own
sessions) train patches at once."""

import re

import pytest
from playwright.sync_api import Page, expect

from harness.browser import DESKTOP, open_app, streamlit_server

URL = "/adversarial_patch?lang=en"
FIRST_STEP = 90_000  # ms; the first training step also loads the training photos
TRAINING_STEP = re.compile(r"step [1-9]\d*/60")
IN_LINE_OR_FULL = re.compile(r"number 1 in line|waiting line is full")
ESTIMATE = re.compile(r"Estimated wait: about \d+ (s|min)\.")


@pytest.fixture(scope="module")
def small_line_url():
    with streamlit_server("app.py", environment={"DEMO_HEAVY_WORKERS": "1",
                                                 "DEMO_HEAVY_LINE": "1"}) as url:
        yield url


def visitor(chromium, url: str) -> Page:
    page = chromium.new_context(**DESKTOP).new_page()
    open_app(page, url + URL)
    page.get_by_role("tab", name="Train your own patch").click()
    return page


def train(page: Page) -> None:
    page.locator(".st-key-adversarial_patch-train_start button").click()


def train_until_in_line(page: Page, tries: int = 20) -> None:
    """Clicks Train until the page is first in line rather than told the line is full."""
    for _ in range(tries):
        train(page)
        expect(page.get_by_text(IN_LINE_OR_FULL)).to_be_visible()
        if page.get_by_text("number 1 in line").count():
            break
    expect(page.get_by_text("number 1 in line")).to_be_visible()


def stop(page: Page) -> None:
    page.locator(".st-key-adversarial_patch-train_stop button").click()


def test_a_second_trainer_waits_in_line_and_a_third_is_told_the_line_is_full(chromium,
                                                                             small_line_url):
    a, b, c = (visitor(chromium, small_line_url) for _ in range(3))
    try:
        train(a)
        expect(a.get_by_text(TRAINING_STEP)).to_be_visible(timeout=FIRST_STEP)

        train(b)
        expect(b.get_by_text("number 1 in line")).to_be_visible()
        expect(b.get_by_text(ESTIMATE)).to_be_visible()
        expect(b.get_by_text(TRAINING_STEP)).to_have_count(0)

        train(c)
        expect(c.get_by_text("its waiting line is full. Please try again in a minute.")
               ).to_be_visible()

        # B leaves: back to the plain page, and the place is free for C. Its script gives
        # the place up at its next redraw of the line (within REFRESH_SECONDS), so C, clicking
        # at once, may still find the line full for a moment.
        b.get_by_role("button", name="Leave the line").click()
        train_until_in_line(c)
        expect(b.get_by_text("in line")).to_have_count(0)

        # C closes the tab while waiting: Streamlit stops its script, which frees the place.
        c.context.close()
        train_until_in_line(b)

        # A stops (unless its 60 steps are already done): B's training runs.
        if a.locator(".st-key-adversarial_patch-train_stop button").count():
            stop(a)
        expect(b.get_by_text(TRAINING_STEP)).to_be_visible(timeout=FIRST_STEP)
        expect(b.get_by_text("in line")).to_have_count(0)
        stop(b)
        b.get_by_role("tab", name="Adversarial patch").click()
        expect(b.get_by_role("radio", name="your own: banana")).to_be_checked()
        for page in (a, b):
            expect(page.get_by_text("Traceback")).to_have_count(0)
    finally:
        for page in (a, b, c):
            page.context.close()
