"""The latent explorer page, headless (AppTest): what a visitor sees before drawing, and
what a link brings back (a drawing too, through a stand-in for the canvas)."""

import re
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from backend import autoencoder as ae
from tests.apptest import run_page

PAGE = "app_pages/autoencoder.py"


def test_empty_canvas_gets_a_hint_and_the_map_and_manifold_still_show():
    app = run_page(PAGE, lang="en")
    assert not app.exception
    assert any("Draw a digit from 0 to 9" in info.value for info in app.info)
    assert any("click the map" in info.value for info in app.info)   # the walk needs a start
    assert app.get("plotly_chart"), "the latent map is shown"
    assert app.get("image"), "the decoded manifold is shown"


def test_page_speaks_hungarian():
    app = run_page(PAGE, lang="hu")
    assert app.title[0].value == "Autoenkóder látens tér"
    assert any("Rajzolj" in info.value for info in app.info)


def test_walk_controls_offer_every_class_centre():
    app = run_page(PAGE, lang="en")
    walk_to = app.selectbox(key="autoencoder.walk_to")
    assert walk_to.options == (["the farthest class centre"]
                               + [f"the centre of the {d}s" for d in range(10)])
    app.slider(key="autoencoder.frames").set_value(12).run()
    assert not app.exception


def image_captions(app) -> list[str]:
    return [image.caption for element in app.get("image") for image in element.proto.imgs]


def test_the_probe_sliders_decode_the_point_they_set():
    app = run_page(PAGE, lang="en")
    assert not any(caption.startswith("Decoded at") for caption in image_captions(app))
    app.slider(key="autoencoder.z1").set_value(1.5).run()
    app.slider(key="autoencoder.z2").set_value(-0.75).run()
    assert not app.exception
    assert "Decoded at (1.50, -0.75)" in image_captions(app)
    # ...and the walk now starts from there
    assert not any("click the map" in info.value for info in app.info)


def test_a_link_opens_the_decoded_point_and_the_walk():
    app = run_page(PAGE, query={"z1": "1.5", "z2": "-0.75", "walk": "3", "frames": "12"})
    assert not app.exception
    assert app.slider(key="autoencoder.z1").value == 1.5
    assert app.slider(key="autoencoder.z2").value == -0.75
    assert "Decoded at (1.50, -0.75)" in image_captions(app)
    assert app.selectbox(key="autoencoder.walk_to").value == "3"
    assert app.slider(key="autoencoder.frames").value == 12
    assert dict(app.query_params) == {"z1": "1.5", "z2": "-0.75", "walk": "3", "frames": "12"}


def test_the_url_follows_the_probe_and_the_walk_and_reopens_them():
    app = run_page(PAGE, lang="en")
    assert "z1" not in app.query_params  # no point decoded yet
    app.slider(key="autoencoder.z1").set_value(-2.0).run()
    app.slider(key="autoencoder.z2").set_value(0.55).run()
    app.selectbox(key="autoencoder.walk_to").set_value("7")
    app.slider(key="autoencoder.frames").set_value(5).run()
    reopened = run_page(PAGE, query=dict(app.query_params))
    assert not reopened.exception
    assert image_captions(reopened) == image_captions(app)
    assert "Decoded at (-2.00, 0.55)" in image_captions(reopened)
    for key in ("autoencoder.z1", "autoencoder.z2", "autoencoder.frames"):
        assert reopened.slider(key=key).value == app.slider(key=key).value
    assert reopened.selectbox(key="autoencoder.walk_to").value == "7"


def drawn_ring(**_) -> SimpleNamespace:
    """What the canvas returns once a "0" is drawn on it."""
    rows, cols = np.indices((280, 280))
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[np.abs(np.hypot(rows - 140, cols - 140) - 80) < 10, :3] = 255
    return SimpleNamespace(image_data=rgba)


def position(app) -> str:
    """The caption with the digit's latent position and its class region."""
    return next(caption.value for caption in app.caption
                if caption.value.startswith("Latent position"))


def test_a_drawn_digit_reopens_from_its_link_at_the_same_place(monkeypatch):
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "streamlit_drawable_canvas",
                        SimpleNamespace(st_canvas=drawn_ring))
        drawn = run_page(PAGE, lang="en")
    assert not drawn.exception
    assert re.fullmatch(r"Latent position \(.+\), among the 0s\. The 10 nearest real digits: "
                        r"(\d+)× 0(, \d+× \d)*", position(drawn))
    # The page's link holds the picture the network saw: the digit lands exactly there.
    reopened = run_page(PAGE, query=dict(drawn.query_params))
    assert not reopened.exception
    assert position(reopened) == position(drawn)
    assert any("the digit comes from the link" in caption.value for caption in reopened.caption)
    assert reopened.query_params["digit"] == drawn.query_params["digit"]
    # Clearing the canvas clears the digit from the link, too.
    reopened.button(key="autoencoder.clear").click().run()
    assert not reopened.exception and "digit" not in reopened.query_params
    assert any("Draw a digit from 0 to 9" in info.value for info in reopened.info)


@pytest.mark.parametrize("digit", ["!!!", ae.digit_to_text(np.ones((27, 27))),
                                   ae.digit_to_text(np.ones((28, 28)))[:-8]],
                         ids=["punctuation", "27x27", "cut"])
def test_junk_in_the_url_falls_back_to_no_digit_and_the_map_limits(digit):
    app = run_page(PAGE, query={"z1": "1e9", "z2": "-7.123", "digit": digit,
                                "walk": "previous", "frames": "1e99"})
    assert not app.exception
    assert any("Draw a digit from 0 to 9" in info.value for info in app.info)
    z1, z2 = app.slider(key="autoencoder.z1"), app.slider(key="autoencoder.z2")
    assert (z1.value, z2.value) == (z1.max, z2.min)  # as far as the map goes
    assert app.selectbox(key="autoencoder.walk_to").value == "farthest"
    assert app.slider(key="autoencoder.frames").value == 16
    assert "digit" not in app.query_params and app.query_params["frames"] == "16"
