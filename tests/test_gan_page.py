"""The GAN latent-walk page, headless (AppTest): samples, both interpolations, charts, URL state."""

from streamlit.testing.v1 import AppTest

from tests.apptest import TIMEOUT, run_page
from harness.browser import REPO_ROOT

PAGE = "app_pages/gan.py"
GRID = 12


def images(app: AppTest) -> list:
    return app.get("imgs")


def test_page_shows_samples_interpolations_charts_and_a_walk():
    app = run_page(PAGE, lang="en")
    assert not app.exception
    assert app.title[0].value == "GAN latent walks"
    assert len(app.get("plotly_chart")) == 2        # critic along both paths; norms
    assert app.get("download_button"), "the walk can be downloaded as a GIF"
    timings = [caption.value for caption in app.caption if caption.value.startswith("⏱")]
    assert len(timings) == 3 and all(timing.endswith("on cpu") for timing in timings)
    # The URL carries the whole state, so a walk can be bookmarked.
    assert dict(app.query_params) == {"model": "fashion", "seed": "0", "start": "2", "end": "5",
                                      "frames": "10", "walk": "0", "points": "4"}


def test_widgets_change_the_state_in_the_url():
    # Hungarian: AppTest formats option labels outside the script run, where t() falls back
    # to the default language, so a set_value matches only the Hungarian labels.
    app = run_page(PAGE, lang="hu")
    app.button(key="gan.new").click().run()
    assert app.number_input(key="gan.seed").value == 1
    app.slider(key="gan.frames").set_value(32).run()
    app.segmented_control(key="gan.model").set_value("digits").run()
    app.segmented_control(key="gan.model").set_value(None).run()  # a click on the choice
    assert not app.exception
    assert app.segmented_control(key="gan.model").value == "digits"
    assert app.query_params["seed"] == "1"
    assert app.query_params["frames"] == "32"
    assert app.query_params["model"] == "digits"


def test_a_bookmarked_url_restores_the_walk_and_bad_values_fall_back():
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    app.session_state["lang"] = "hu"
    app.query_params.update({"model": "digits", "seed": "7", "start": "3", "end": "99",
                             "frames": "lots"})
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "Séta egy GAN látens terében"
    assert app.segmented_control(key="gan.model").value == "digits"
    assert app.number_input(key="gan.seed").value == 7
    assert app.session_state["gan.start"] == 3
    assert app.session_state["gan.end"] == GRID - 1   # clamped into the grid
    assert app.slider(key="gan.frames").value == 10   # not a number: the default
