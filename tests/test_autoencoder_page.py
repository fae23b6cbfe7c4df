"""The latent explorer page, headless (AppTest): what a visitor sees before drawing."""

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
