"""Classroom mode in Chromium: the join code in the presenter view decodes to the page's link
with its state, and no page asks the network for anything (the lecture hall may be offline)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from harness.browser import DESKTOP, assert_no_exception, open_app, settle, streamlit_server
from harness.interactions import PAGES

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def public_app_url():
    """A server whose join codes point at a lecture hall's public address."""
    with streamlit_server(environment={"DEMO_PUBLIC_URL": "http://hall.example:8501"}) as url:
        yield url


def test_the_join_code_opens_the_same_page_and_state(chromium, public_app_url, tmp_path):
    page = chromium.new_context(**DESKTOP).new_page()
    open_app(page, f"{public_app_url}/speech?lang=en&present=1&seed=42&ls=1.5")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    settle(page, page.get_by_role("button", name="QR code for the room").click)
    code = page.get_by_role("dialog").locator("img")
    expect(code).to_be_visible()
    code.screenshot(path=tmp_path / "code.png")  # what a phone's camera sees
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(tmp_path / "code.png"))]
    assert len(decoded) == 1
    link = urlsplit(decoded[0])
    assert (link.scheme, link.netloc, link.path) == ("http", "hall.example:8501", "/speech")
    query = dict(part.split("=", 1) for part in link.query.split("&"))
    assert query["seed"] == "42" and query["ls"] == "1.5" and query["lang"] == "en"
    assert "present" not in query
    # the phone's side: the link (on this server) opens the same state, not presenting
    open_app(page, f"{public_app_url}/speech?{link.query}")
    expect(page.locator(".st-key-speech-seed input")).to_have_value("42")
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible()
    page.context.close()


def test_no_page_asks_the_network_for_anything(desktop_page, app_url):
    """Fonts, scripts, images, telemetry: every request of every page stays on this machine."""
    page = desktop_page
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).hostname not in LOCAL_HOSTS else None)
    for path in ["", *PAGES]:
        open_app(page, f"{app_url}/{path}?lang=en")
        page.wait_for_timeout(1_500)  # late loaders: components' iframes, charts, media
        assert_no_exception(page)
    assert outside == []


PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


@pytest.mark.parametrize("path", ["", *PAGES])
def test_the_presenter_view_fits_a_projector_without_scrolling(chromium, app_url, path):
    """Each page's main interaction and result on one 1920x1080 screen: a lecturer who has to
    scroll loses the room."""
    page = chromium.new_context(**PROJECTOR).new_page()
    open_app(page, f"{app_url}/{path}?lang=en&present=1")
    expect(page.get_by_role("button", name="Leave the presenter view")).to_be_visible()
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    page.wait_for_timeout(1_500)  # late loaders: components' iframes, charts
    assert_no_exception(page)
    scroll_height, visible_height = page.evaluate(
        "() => { const main = document.querySelector('[data-testid=\"stMain\"]');"
        " return [main.scrollHeight, main.clientHeight]; }")
    assert visible_height == 1080
    assert scroll_height <= visible_height, f"{path or 'home'}: {scroll_height} px high"
    page.context.close()
