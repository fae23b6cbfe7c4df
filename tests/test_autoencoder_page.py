"""The latent explorer page, headless (AppTest): what a visitor sees before drawing, and
what a link brings back (a drawing too, through a stand-in for the canvas)."""

import json
import re
import sys
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from backend import autoencoder as ae
from tests.apptest import run_page
from ui.i18n import TEXTS

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
    assert not [c for c in reopened.caption if c.value.startswith("Latent position")]


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


# --- drawing, clearing and walking, with a stand-in for the canvas ------------------------------

def drawn_bar() -> np.ndarray:
    """What the canvas holds once a "1" (an upright stroke) is drawn on it."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[50:230, 130:150, :3] = 255
    return rgba


class Canvas:
    """Stands in for streamlit_drawable_canvas's st_canvas. Each canvas, one per widget key,
    returns what was drawn on it, and a canvas nothing was drawn on is black, as the real one
    is: the page's Clear button replaces its canvas by one with a new key."""

    def __init__(self):
        self.drawings: dict[str, np.ndarray] = {}

    def st_canvas(self, key: str, **_) -> SimpleNamespace:
        blank = np.zeros((280, 280, 4), np.uint8)
        blank[..., 3] = 255
        return SimpleNamespace(image_data=self.drawings.get(key, blank))


@pytest.fixture
def canvas(monkeypatch) -> Canvas:
    canvas = Canvas()
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas", canvas)
    return canvas


@pytest.fixture
def walks(monkeypatch) -> list[np.ndarray]:
    """Every latent path the page walks, in order (it still walks them: the real ae.walk)."""
    paths, real_walk = [], ae.walk

    def recording_walk(start, end, frames):
        path = real_walk(start, end, frames)
        paths.append(path.numpy().copy())
        return path

    monkeypatch.setattr(ae, "walk", recording_walk)
    return paths


@pytest.fixture(scope="module")
def vae() -> tuple[ae.VAE, ae.LatentMap]:
    """Our own copy of the shipped model and map, to say where the page's walks must go."""
    return ae.load()


def latent_of(model: ae.VAE, drawing: np.ndarray) -> np.ndarray:
    digit = ae.preprocess_drawing(drawing)
    return ae.encode(model, torch.from_numpy(digit)[None])[0].numpy()


def your_digit_on_the_map(app) -> list[tuple[float, float]]:
    """Where the map's star marks the visitor's digit (none: no star)."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    return [(trace["x"][0], trace["y"][0]) for trace in spec["data"]
            if trace.get("name") == TEXTS["autoencoder.you"]["en"]]


def test_a_drawn_digit_is_starred_on_the_map_where_it_lies_and_clear_removes_it(canvas, vae):
    model, _ = vae
    canvas.drawings["autoencoder.canvas.0"] = drawn_ring().image_data
    app = run_page(PAGE, lang="en")
    assert position(app).startswith("Latent position") and "digit" in app.query_params
    [star] = your_digit_on_the_map(app)
    np.testing.assert_allclose(star, latent_of(model, drawn_ring().image_data), atol=1e-5)
    app.button(key="autoencoder.clear").click().run()
    assert not app.exception
    assert not [c for c in app.caption if c.value.startswith("Latent position")]
    assert any("Draw a digit from 0 to 9" in info.value for info in app.info)
    assert "digit" not in app.query_params
    assert your_digit_on_the_map(app) == []
    assert any("click the map" in info.value for info in app.info)  # no walk without a start


def test_each_walk_target_ends_at_its_point(walks, vae):
    model, latent_map = vae
    app = run_page(PAGE, query={"z1": "-2.0", "z2": "0.55", "frames": "7"})
    start = np.array([-2.0, 0.55])
    centres = {d: latent_map.latents[latent_map.labels == d].mean(axis=0) for d in range(10)}

    def walk_to(target: str) -> np.ndarray:
        walks.clear()
        app.selectbox(key="autoencoder.walk_to").set_value(target).run()
        assert not app.exception and len(walks) == 1, "one walk per run"
        [path] = walks
        assert path.shape == (7, 2), "as many frames as the slider says"
        np.testing.assert_allclose(path[0], start, atol=1e-6)  # from the decoded point
        return path[-1]

    for digit in range(10):
        np.testing.assert_allclose(walk_to(str(digit)), centres[digit], atol=1e-5)
    # From (-2, 0.55) the farthest centre is the 1s' (5.95 away; the 7s' next, 5.09); the
    # 0s' centre is the farthest from the origin instead, the 5s' the nearest.
    distances = {d: np.linalg.norm(centre - start) for d, centre in centres.items()}
    farthest = max(distances, key=distances.get)
    assert farthest == 1
    np.testing.assert_allclose(walk_to("farthest"), centres[farthest], atol=1e-5)


def test_the_walk_to_the_previous_drawing_ends_where_that_drawing_lies(canvas, walks, vae):
    model, _ = vae
    canvas.drawings["autoencoder.canvas.0"] = drawn_ring().image_data  # a 0
    app = run_page(PAGE, lang="en")
    previous = TEXTS["autoencoder.previous"]["en"]
    assert previous not in app.selectbox(key="autoencoder.walk_to").options  # none yet
    app.button(key="autoencoder.clear").click().run()
    canvas.drawings["autoencoder.canvas.1"] = drawn_bar()  # then a 1 on the fresh canvas
    app.run()
    # Offered as soon as the new digit is drawn (the page once offered it a run late: after
    # the visitor's next click, not when they turned to the walk tab, which runs nothing).
    assert previous in app.selectbox(key="autoencoder.walk_to").options
    walks.clear()
    app.selectbox(key="autoencoder.walk_to").set_value("previous").run()
    assert not app.exception and len(walks) == 1
    ring, bar = latent_of(model, drawn_ring().image_data), latent_of(model, drawn_bar())
    assert np.linalg.norm(ring - bar) > 1, "the two drawings lie apart"  # measured: 8.0
    np.testing.assert_allclose(walks[0][0], bar, atol=1e-5)   # from the digit drawn now
    np.testing.assert_allclose(walks[0][-1], ring, atol=1e-5)  # to the one drawn before
