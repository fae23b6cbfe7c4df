"""The playground in Chromium: play animates the decision surface until pause, and on a phone
points tapped onto the plane, in both colours, are trained on."""

import re

from playwright.sync_api import Page, expect

from harness.browser import assert_no_exception, number_in, open_app, settle

URL = "/playground?lang=en"
STATUS = re.compile(r"^Epoch (\d+) · training loss")
PLANE_FRAME = "iframe[title='streamlit_image_coordinates.streamlit_image_coordinates']"


def test_play_animates_the_surface_until_pause(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + URL)
    assert number_in(page, STATUS) == 0
    surface = (page.locator("[data-testid='stImage']")
               .filter(has_text="The network's decision over the plane").locator("img"))
    first = surface.get_attribute("src")
    button = page.locator(".st-key-playground-play button")
    expect(button).to_have_text("▶ Play")
    button.click()
    expect(button).to_have_text("⏸ Pause")
    # Each frame trains and sends a new picture of the surface: two changes at least.
    expect(surface).not_to_have_attribute("src", first)
    second = surface.get_attribute("src")
    epoch = number_in(page, STATUS)
    expect(surface).not_to_have_attribute("src", second)
    expect(page.get_by_text(STATUS)).not_to_have_text(re.compile(rf"^Epoch {epoch} "))
    frame = number_in(page, STATUS) - epoch  # about one frame's epochs (two, if it missed one)
    assert frame > 0 and epoch > 0
    settle(page, button.click)
    expect(button).to_have_text("▶ Play")
    paused = number_in(page, STATUS)
    page.wait_for_timeout(2_000)  # several frames' time: nothing may move now
    later = number_in(page, STATUS)
    assert paused <= later <= paused + frame  # at most one frame that was in flight
    page.wait_for_timeout(1_500)
    assert number_in(page, STATUS) == later
    assert_no_exception(page)


def plane_box(page: Page) -> dict:
    """The plane picture's box in the page, once it has loaded and its frame fits it."""
    page.locator(PLANE_FRAME).scroll_into_view_if_needed()
    picture = page.frame_locator(PLANE_FRAME).locator("#image")
    expect(picture).to_be_visible()
    page.wait_for_function(f"""() => {{
        const frame = document.querySelector("{PLANE_FRAME}");
        const picture = frame && frame.contentDocument.getElementById("image");
        return picture && picture.complete && picture.height > 0 &&
               Math.abs(frame.getBoundingClientRect().height - picture.height)
                 < 0.05 * picture.height;
    }}""", timeout=90_000)  # a cold server may still be loading models
    return picture.bounding_box()


def test_points_tapped_on_a_phone_are_trained_on(phone_page, app_url):
    page = phone_page
    open_app(page, app_url + URL)
    kinds = page.locator(".st-key-playground-data")
    kinds.scroll_into_view_if_needed()
    settle(page, kinds.get_by_role("radio", name="Draw your own").tap)
    expect(page.get_by_text("Click (or tap) the plane to add points")).to_be_visible()
    expect(page.get_by_text(STATUS)).to_have_count(0)
    colours = page.locator(".st-key-playground-draw_class")
    taps = {"orange": [(0.25, 0.3), (0.3, 0.75), (0.2, 0.5)],
            "blue": [(0.75, 0.25), (0.8, 0.7), (0.7, 0.5)]}
    for colour, spots in taps.items():
        choice = colours.get_by_role("radio", name=re.compile(colour))
        choice.scroll_into_view_if_needed()
        settle(page, choice.tap)
        assert_no_exception(page)
        expect(choice).to_have_attribute("aria-checked", "true")
        for x, y in spots:
            box = plane_box(page)
            spot = (box["x"] + x * box["width"], box["y"] + y * box["height"])
            settle(page, lambda spot=spot: page.touchscreen.tap(*spot))
            assert_no_exception(page)
    # Six points, three of each colour: a network was made for them, and it trains.
    assert number_in(page, STATUS) == 0
    expect(page.get_by_text("Click (or tap) the plane to add points")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"layers: 4, 2"))).to_be_visible()
    step = page.locator(".st-key-playground-step button")
    step.scroll_into_view_if_needed()
    settle(page, step.tap)
    assert number_in(page, STATUS) == 1
    assert_no_exception(page)
