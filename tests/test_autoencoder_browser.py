"""Draw on the real canvas in Chromium, with a mouse and with a finger, and check where the
drawing lands in the latent space (by its nearest held-out digits)."""

import math
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from backend import autoencoder as ae
from harness.browser import draw_stroke, drawing_canvas, open_app, settle, touch_stroke

ONE = [(0.52, 0.12), (0.50, 0.5), (0.48, 0.88)]
ZERO = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.34 * math.cos(a))
        for a in np.linspace(0, 2 * math.pi, 40)]
POSITION = re.compile(r"\((-?\d+\.\d+), (-?\d+\.\d+)\)")


@pytest.fixture(scope="module")
def latent_map():
    return ae.load_latent_map(ae.load_model())


def drawn_position(page) -> np.ndarray:
    caption = page.get_by_text("Latent position").inner_text()
    return np.array([float(value) for value in POSITION.search(caption).groups()])


@pytest.mark.parametrize("strokes, digit", [([ONE], 1), ([ZERO], 0)], ids=["one", "zero"])
def test_mouse_drawing_lands_in_its_class_region(desktop_page, app_url, latent_map,
                                                 strokes, digit):
    page = desktop_page
    open_app(page, f"{app_url}/autoencoder?lang=en")
    for stroke in strokes:
        settle(page, lambda: draw_stroke(page, drawing_canvas(page), stroke))
    position = drawn_position(page)
    assert latent_map.region_of(position) == digit, (position,
                                                     latent_map.nearest_labels(position))
    expect(page.get_by_text("What the network sees")).to_be_visible()
    expect(page.get_by_text(re.compile(r"⏱ \d+ ms on cpu")).first).to_be_visible()


def test_clicking_an_empty_spot_of_the_map_decodes_it(desktop_page, app_url):
    page = desktop_page
    open_app(page, f"{app_url}/autoencoder?lang=en")
    plot = page.locator(".nsewdrag").first.bounding_box()
    settle(page, lambda: page.mouse.click(plot["x"] + plot["width"] * 0.93,
                                          plot["y"] + plot["height"] * 0.07))
    expect(page.get_by_text("Decoded at")).to_be_visible()
    z1, z2 = (float(page.locator(f".st-key-autoencoder-{axis} [data-testid='stSliderThumbValue']")
                    .inner_text()) for axis in ("z1", "z2"))
    assert z1 > 2 and z2 > 2, "the sliders follow the click to the top right corner"


def test_on_a_phone_a_slider_moves_the_decoded_point(phone_page, app_url):
    page = phone_page
    open_app(page, f"{app_url}/autoencoder?lang=en")
    track = page.locator(".st-key-autoencoder-z1 [role='group']")
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    settle(page, lambda: page.touchscreen.tap(box["x"] + 0.9 * box["width"],
                                              box["y"] + box["height"] / 2))
    expect(page.get_by_text(re.compile(r"Decoded at \(\d\.\d\d, 0\.00\)"))).to_be_visible()


def test_touch_drawing_on_a_phone(phone_page, app_url, latent_map):
    page = phone_page
    open_app(page, f"{app_url}/autoencoder?lang=en")
    settle(page, lambda: touch_stroke(page, drawing_canvas(page), ONE))
    position = drawn_position(page)
    assert latent_map.region_of(position) == 1, latent_map.nearest_labels(position)
