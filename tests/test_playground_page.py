"""The neural-network playground page, headless (AppTest): presets, the URL's configuration,
junk in the URL, one epoch at a time, and "draw your own"."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from backend import playground as pg
from tests.apptest import run_page
from ui.i18n import TEXTS

PAGE = "app_pages/playground.py"
KEY = "playground."
DEFAULT_QUERY = {**pg.DataConfig().to_query(), **pg.NetworkConfig().to_query(), "compare": "0"}


def status_pattern(lang: str) -> re.Pattern:
    """The status line's text in `lang` with its epoch as group 1 (the other numbers: any)."""
    text = re.escape(TEXTS["playground.status"][lang])
    text = text.replace(re.escape("{epoch:.0f}"), r"(\d+)")
    return re.compile(re.sub(r"\\\{\w+:\\\.\d?f\\\}", r".+?", text))


def shown_epoch(app: AppTest, lang: str) -> int | None:
    """The epoch in the status line, or None where there is no status line."""
    pattern = status_pattern(lang)
    epochs = [int(match.group(1)) for element in app.markdown
              if (match := pattern.fullmatch(element.value))]
    assert len(epochs) <= 1, epochs
    return epochs[0] if epochs else None


def widgets(app: AppTest) -> tuple[pg.DataConfig, pg.NetworkConfig]:
    """The configuration the page's widgets hold (read from their session state)."""
    state = app.session_state
    layers = state[KEY + "layers"]
    data = pg.DataConfig(kind=state[KEY + "data"], noise=state[KEY + "noise"],
                         points=state[KEY + "points"], test_fraction=state[KEY + "test"],
                         seed=state[KEY + "seed"])
    network = pg.NetworkConfig(hidden=tuple(state[KEY + f"neurons{i}"] for i in range(layers)),
                               activation=state[KEY + "activation"],
                               learning_rate=state[KEY + "lr"], batch_size=state[KEY + "batch"],
                               l2=state[KEY + "l2"], init_scale=state[KEY + "init"])
    return data, network


def captions(app: AppTest) -> list[str]:
    """Every caption on the page: of pictures and on their own."""
    return ([image.caption for element in app.get("image") for image in element.proto.imgs]
            + [caption.value for caption in app.caption])


def surface_captions(app: AppTest, lang: str) -> list[str]:
    """The captions of the decision surfaces shown (the main network's first)."""
    starts = tuple(TEXTS[f"playground.surface_{name}"][lang].split("{")[0]
                   for name in ("main", "small"))
    return [caption for caption in captions(app) if caption.startswith(starts)]


def playing(app: AppTest) -> bool:
    return KEY + "playing" in app.session_state and app.session_state[KEY + "playing"]


def assert_clean(app: AppTest) -> None:
    assert not app.exception, [element.value for element in app.exception]
    assert not app.error, [element.value for element in app.error]


def test_the_page_opens_ready_to_play_with_its_configuration_in_the_url():
    app = run_page(PAGE, lang="en")
    assert_clean(app)
    assert app.title[0].value == "Neural-network playground"
    assert dict(app.query_params) == DEFAULT_QUERY
    assert widgets(app) == (pg.DataConfig(), pg.NetworkConfig())
    assert shown_epoch(app, "en") == 0
    assert app.button(key=KEY + "play").label == "▶ Play"
    assert not app.button(key=KEY + "play").disabled
    assert not playing(app)
    assert len(app.get("plotly_chart")) == 2  # the loss curves and the gradient magnitudes
    assert surface_captions(app, "en") == [
        TEXTS["playground.surface_main"]["en"].format(shape="4, 2")]
    assert TEXTS["playground.neurons_title"]["en"] in captions(app), "the neurons are shown"


def test_changing_a_widget_changes_the_url():
    app = run_page(PAGE, lang="en")
    app.slider(key=KEY + "layers").set_value(3).run()
    app.segmented_control(key=KEY + "activation").set_value("relu").run()
    app.select_slider(key=KEY + "lr").set_value(0.3).run()
    app.slider(key=KEY + "batch").set_value(25).run()
    assert_clean(app)
    assert dict(app.query_params) == {**DEFAULT_QUERY, "layers": "4,2,4", "act": "relu",
                                      "lr": "0.3", "batch": "25"}
    assert app.session_state[KEY + "trainers"]["main"].config.hidden == (4, 2, 4)
    assert shown_epoch(app, "en") == 0, "a new network starts from scratch"


@pytest.mark.parametrize("preset", list(pg.PRESETS))
def test_a_preset_sets_every_widget_and_starts_playing(preset):
    # Hungarian: AppTest formats option labels outside the script run, where t() falls back
    # to the default language, so a set_value matches only the Hungarian labels.
    app = run_page(PAGE, lang="hu")
    app.pills(key=KEY + "preset").set_value(preset).run()
    assert_clean(app)
    data, network = pg.PRESETS[preset]
    assert widgets(app) == (data, network)
    compare = preset == "memorize"  # the preset that shows the small network beside
    assert app.toggle(key=KEY + "compare").value is compare
    assert pg.DataConfig.from_query(app.query_params) == data
    assert pg.NetworkConfig.from_query(app.query_params) == network
    assert app.query_params["compare"] == ("1" if compare else "0")
    assert app.pills(key=KEY + "preset").value is None, "the chips show no choice afterwards"
    assert playing(app)
    assert app.button(key=KEY + "play").label == TEXTS["playground.pause"]["hu"]
    assert TEXTS[f"playground.preset_{preset}_help"]["hu"] in [info.value for info in app.info]
    trainers = app.session_state[KEY + "trainers"]
    assert set(trainers) == ({"main", "small"} if compare else {"main"})
    assert trainers["main"].config == network
    shapes = {"main": ", ".join(map(str, network.hidden)) or "0", "small": "2"}
    assert surface_captions(app, "hu") == [
        TEXTS[f"playground.surface_{name}"]["hu"].format(shape=shapes[name])
        for name in (("main", "small") if compare else ("main",))]
    assert shown_epoch(app, "hu") > 0, "the first frame has trained already"


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_one_epoch_advances_the_epoch_in_the_status_line(lang):
    app = run_page(PAGE, lang=lang)
    assert shown_epoch(app, lang) == 0
    app.button(key=KEY + "step").click().run()
    assert_clean(app)
    assert shown_epoch(app, lang) == 1
    app.button(key=KEY + "step").click().run()
    assert shown_epoch(app, lang) == 2
    assert not playing(app)
    assert app.button(key=KEY + "play").label == TEXTS["playground.play"][lang]
    app.button(key=KEY + "reset").click().run()
    assert_clean(app)
    assert shown_epoch(app, lang) == 0, "reset starts from scratch"


def test_a_bookmarked_url_restores_its_configuration_in_a_fresh_session():
    app = run_page(PAGE, query={"data": "xor", "layers": "8,8", "act": "relu", "lr": "0.3"})
    assert_clean(app)
    assert app.segmented_control(key=KEY + "data").value == "xor"
    assert app.slider(key=KEY + "layers").value == 2
    assert [app.number_input(key=KEY + f"neurons{i}").value for i in range(2)] == [8, 8]
    assert app.segmented_control(key=KEY + "activation").value == "relu"
    assert app.select_slider(key=KEY + "lr").value == 0.3
    assert app.slider(key=KEY + "batch").value == pg.NetworkConfig.batch_size  # not in the URL
    assert app.session_state[KEY + "trainers"]["main"].config == pg.NetworkConfig(
        hidden=(8, 8), activation="relu", learning_rate=0.3)
    assert dict(app.query_params) == {**DEFAULT_QUERY, "data": "xor", "layers": "8,8",
                                      "act": "relu", "lr": "0.3"}
    assert shown_epoch(app, "en") == 0


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_junk_in_the_url_falls_back_to_defaults_or_clamped_values(lang):
    app = run_page(PAGE, lang, query={"lr": "abc", "layers": "99,x", "act": "foo",
                                      "data": "nope", "batch": "-5"})
    assert_clean(app)
    data, network = widgets(app)
    assert data == pg.DataConfig()
    assert network == pg.NetworkConfig(batch_size=1)  # -5 clamped; the rest: defaults
    assert dict(app.query_params) == {**DEFAULT_QUERY, "batch": "1"}, "the URL is cleaned"
    assert shown_epoch(app, lang) == 0


def test_too_many_layers_and_neurons_in_the_url_are_clamped():
    app = run_page(PAGE, query={"layers": "99,1,2,3,4,5,6,7", "lr": "1e9", "init": "-1",
                                "l2": "nan"})
    assert_clean(app)
    _, network = widgets(app)
    assert network == pg.NetworkConfig(hidden=(8, 1, 2, 3, 4, 5), learning_rate=10.0,
                                       init_scale=0.0)
    assert app.query_params["layers"] == "8,1,2,3,4,5"


@pytest.mark.parametrize("points, shown", [("4", 10), ("5000", 500)])
def test_points_beyond_the_slider_are_clamped_to_it(points, shown):
    app = run_page(PAGE, query={"points": points})
    assert_clean(app)
    assert app.slider(key=KEY + "points").value == shown


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_draw_your_own_without_points_shows_the_hint_and_does_not_train(lang):
    app = run_page(PAGE, query={"data": "draw"}, lang=lang)
    assert_clean(app)
    assert app.segmented_control(key=KEY + "data").value == "draw"
    assert TEXTS["playground.draw_hint"][lang] in [info.value for info in app.info]
    assert shown_epoch(app, lang) is None
    assert KEY + "trainers" not in app.session_state
    assert all(app.button(key=KEY + name).disabled for name in ("play", "step", "reset"))
    assert not app.get("plotly_chart")


def test_draw_your_own_and_back_keeps_the_hidden_sliders():
    app = run_page(PAGE, lang="hu")  # Hungarian: see the preset test
    app.slider(key=KEY + "noise").set_value(0.3).run()
    app.segmented_control(key=KEY + "data").set_value("draw").run()
    app.segmented_control(key=KEY + "draw_class").set_value(0).run()  # a second run drawing
    assert_clean(app)
    assert TEXTS["playground.draw_hint"]["hu"] in [info.value for info in app.info]
    app.segmented_control(key=KEY + "data").set_value("circle").run()
    assert_clean(app)
    assert app.slider(key=KEY + "noise").value == 0.3
    assert app.query_params["noise"] == "0.3"
    assert shown_epoch(app, "hu") == 0


def test_drawn_points_are_trained_on():
    # Clicks on the plane arrive through a component AppTest cannot click; the points they
    # add are what the page trains on.
    app = run_page(PAGE, query={"data": "draw"})
    app.session_state[KEY + "drawn"] = [(-0.6, 0.5, 0), (-0.4, -0.5, 0), (0.5, 0.6, 1),
                                        (0.6, -0.4, 1)]
    app.run()
    assert_clean(app)
    assert shown_epoch(app, "en") == 0
    trainer = app.session_state[KEY + "trainers"]["main"]
    assert len(trainer.data.train_y) + len(trainer.data.test_y) == 4
    app.button(key=KEY + "step").click().run()
    assert shown_epoch(app, "en") == 1
    app.button(key=KEY + "clear").click().run()
    assert_clean(app)
    assert shown_epoch(app, "en") is None, "no points: back to the hint"
    assert TEXTS["playground.draw_hint"]["en"] in [info.value for info in app.info]
