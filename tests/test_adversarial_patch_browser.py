"""The adversarial patch page in Chromium: place the patch with a click and with a finger tap,
and refuse a file that is not an image with a clear message."""

import re

from playwright.sync_api import Locator, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from harness.browser import open_app, settle

URL = "/adversarial_patch?lang=en"
POSITION = re.compile(r"now at x (\d+)%, y (\d+)%")
PHOTO_FRAME = "iframe[title='streamlit_image_coordinates.streamlit_image_coordinates']"


def patch_position(page) -> tuple[int, int]:
    caption = page.get_by_text("move the patch there").inner_text()
    return tuple(int(value) for value in POSITION.search(caption).groups())


def settled_photo(page) -> tuple[Locator, dict]:
    """The photo and its own box (not its iframe's), once its layout has stopped moving: the
    iframe takes the photo's height only when the photo has loaded, and the columns can still
    reflow after that (a scrollbar appearing), so a box read too early aims off target.
    The component sets its frame's height once, on load: when the column's width changes
    after that, the frame stays a few pixels off the photo's height for good (seen: a frame
    of 448 px for a photo of 454 px), so this waits for a frame sized to the loaded photo
    within 5%, and the clicks aim well inside it."""
    photo = page.frame_locator(PHOTO_FRAME).locator("#image")
    expect(photo).to_be_visible()
    # The first browser test of a run meets a server that is still warming its models up.
    measure = f"""() => {{
        const frame = document.querySelector("{PHOTO_FRAME}");
        const photo = frame && frame.contentDocument.getElementById("image");
        return photo && {{complete: photo.complete, photo: photo.height,
                          frame: frame.getBoundingClientRect().height}};
    }}"""
    try:
        page.wait_for_function(f"""() => {{
            const m = ({measure})();
            return m && m.complete && m.photo > 0 && Math.abs(m.frame - m.photo) < 0.05 * m.photo;
        }}""", timeout=90_000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the photo never fit its frame: {page.evaluate(measure)}")
    box = photo.bounding_box()
    for _ in range(50):
        page.wait_for_timeout(300)
        box, previous = photo.bounding_box(), box
        if box == previous:
            return photo, box
    raise AssertionError(f"the photo kept moving: {previous} -> {box}")


def assert_near(position: tuple[int, int], expected: tuple[int, int]) -> None:
    """Percentages of a click on whole pixels: within one point of the aim."""
    assert all(abs(got - aim) <= 1 for got, aim in zip(position, expected)), (position, expected)


def test_clicking_the_photo_moves_the_patch_there(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + URL)
    assert patch_position(page) == (30, 30)
    photo, box = settled_photo(page)
    settle(page, lambda: photo.click(position={"x": 0.75 * box["width"],
                                               "y": 0.6 * box["height"]}))
    expect(page.get_by_text(re.compile(r"now at x 7[456]%"))).to_be_visible()
    assert_near(patch_position(page), (75, 60))
    expect(page.get_by_text(re.compile(r"⏱ \d+ ms on cpu")).first).to_be_visible()


def test_tapping_the_photo_on_a_phone_moves_the_patch(phone_page, app_url):
    page = phone_page
    open_app(page, app_url + URL)
    page.locator(PHOTO_FRAME).scroll_into_view_if_needed()
    photo, box = settled_photo(page)
    settle(page, lambda: photo.tap(position={"x": 0.2 * box["width"], "y": 0.8 * box["height"]}))
    expect(page.get_by_text(re.compile(r"now at x (19|20|21)%"))).to_be_visible()
    assert_near(patch_position(page), (20, 80))


def test_an_upload_that_is_not_an_image_gets_a_message(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + URL)
    page.get_by_role("combobox", name="Photo").click()
    settle(page, lambda: page.get_by_role("option", name="Upload your own photo…").click())
    upload = {"name": "cat.png", "mimeType": "image/png", "buffer": b"definitely not a PNG"}
    settle(page, lambda: page.locator("input[type='file']").set_input_files(upload))
    expect(page.get_by_text("This file is not an image")).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_stopping_the_training_keeps_the_patch_so_far(desktop_page, app_url):
    page = desktop_page
    open_app(page, app_url + URL)
    page.get_by_role("tab", name="Train your own patch").click()
    page.locator(".st-key-adversarial_patch-train_start button").click()
    # The first step also loads the training photos: more time than a plain page update.
    expect(page.get_by_text(re.compile(r"step [1-9]\d*/60"))).to_be_visible(timeout=90_000)
    settle(page, lambda: page.locator(".st-key-adversarial_patch-train_stop button").click())
    expect(page.get_by_text(re.compile(r"step \d+/60"))).to_have_count(0)
    expect(page.get_by_text(re.compile(r"your own: banana” \(\d+ training steps\)"))).to_be_visible()
    page.get_by_role("tab", name="Adversarial patch").click()
    expect(page.get_by_role("radio", name="your own: banana")).to_be_checked()
