"""The GAN page in Chromium: a bookmarked URL, buttons and pills (mouse and touch) update it."""

import re

from playwright.sync_api import expect

from harness.browser import open_app, settle


def test_bookmarked_walk_loads_and_new_samples_move_the_seed(desktop_page, app_url):
    page = desktop_page
    open_app(page, f"{app_url}/gan?lang=en&model=digits&seed=3&start=1&end=2&frames=6")
    expect(page.get_by_role("strong").filter(has_text="Linear (lerp)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"⏱ \d+ ms on cpu")).first).to_be_visible()
    # 12 samples + one image of frames per method + the walk's GIF.
    expect(page.locator("[data-testid='stImage'] img")).to_have_count(12 + 2 + 1)
    settle(page, lambda: page.get_by_role("button", name="New samples").click())
    page.wait_for_url(re.compile(r"seed=4"))
    assert "model=digits" in page.url and "frames=6" in page.url


def test_tapping_an_endpoint_on_a_phone(phone_page, app_url):
    page = phone_page
    open_app(page, f"{app_url}/gan?lang=en")
    end_pills = page.locator(".st-key-gan-end")
    end_pills.scroll_into_view_if_needed()
    third = end_pills.get_by_role("radio", name="#3", exact=True)
    settle(page, lambda: third.tap())
    page.wait_for_url(re.compile(r"end=2"))
    expect(third).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("button", name="Download GIF")).to_be_visible()
