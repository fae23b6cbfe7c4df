"""The Wasserstein page, headless (AppTest): the exact distance, presets, the URL's
configuration, junk in the URL, one critic or generator step at a time, and reset."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from backend import wasserstein as ws
from tests.apptest import run_page
from ui.i18n import TEXTS

PAGE = "app_pages/wasserstein.py"
KEY = "wasserstein."
DEFAULT_QUERY = {**ws.PointsConfig().to_query(), **ws.CriticConfig().to_query(),
                 **ws.GanConfig().to_query()}


def status_pattern(name: str, lang: str) -> re.Pattern:
    """The status line `name` ("dual_status", "gan_status") in `lang`, its step as group 1
    (the other numbers: anything)."""
    text = re.escape(TEXTS[f"wasserstein.{name}"][lang])
    text = text.replace(re.escape("{step}"), r"(\d+)")
    return re.compile(re.sub(r"\\\{\w+:\\\.\d?[fg]\\\}", r".+?", text))


def shown_step(app: AppTest, which: str, lang: str) -> int | None:
    """The step in the critic's ("critic") or the GAN's ("gan") status line, None if absent."""
    pattern = status_pattern("dual_status" if which == "critic" else "gan_status", lang)
    steps = [int(match.group(1)) for element in app.markdown
             if (match := pattern.fullmatch(element.value))]
    assert len(steps) <= 1, steps
    return steps[0] if steps else None


def widgets(app: AppTest) -> tuple[ws.PointsConfig, ws.CriticConfig, ws.GanConfig]:
    """The configuration the page's widgets hold (read from their session state)."""
    state = app.session_state
    return (ws.PointsConfig(kind=state[KEY + "set"], points=state[KEY + "points"],
                            seed=state[KEY + "seed"]),
            ws.CriticConfig(constraint=state[KEY + "constraint"],
                            penalty=state[KEY + "penalty"], clip=state[KEY + "clip"]),
            ws.GanConfig(loss=state[KEY + "loss"], n_critic=state[KEY + "n_critic"]))


def playing(app: AppTest) -> str | None:
    return app.session_state.get(KEY + "playing")


def assert_clean(app: AppTest) -> None:
    assert not app.exception, [element.value for element in app.exception]
    assert not app.error, [element.value for element in app.error]


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_the_page_opens_with_the_exact_distance_and_its_configuration_in_the_url(lang):
    app = run_page(PAGE, lang=lang)
    assert_clean(app)
    assert app.title[0].value == TEXTS["wasserstein.title"][lang]
    assert [tab.label for tab in app.tabs] == [
        TEXTS[f"wasserstein.tab_{name}"][lang] for name in ("emd", "critic", "gan")]
    # Tab 1: the blob moved by (1, 0) is exactly 1 away.
    assert [(metric.label, metric.value) for metric in app.tabs[0].metric] == [
        (TEXTS["wasserstein.exact"][lang], "1.000")]
    assert dict(app.query_params) == DEFAULT_QUERY
    assert set(DEFAULT_QUERY) >= {"set", "n", "seed", "lip", "lam", "clip", "loss", "ncrit"}
    assert widgets(app) == (ws.PointsConfig(), ws.CriticConfig(), ws.GanConfig())
    assert shown_step(app, "critic", lang) == 0
    assert shown_step(app, "gan", lang) == 0
    assert playing(app) is None
    for which in ("critic", "gan"):
        assert app.button(key=KEY + f"play_{which}").label == TEXTS["wasserstein.play"][lang]
    # The critic's status line repeats the exact distance it approaches.
    critic_status = next(element.value for element in app.tabs[1].markdown
                         if status_pattern("dual_status", lang).fullmatch(element.value))
    assert "1.000" in critic_status
    assert len(app.get("plotly_chart")) == 3  # the dual and the slope; the GAN's curves


@pytest.mark.parametrize("preset", list(ws.PRESETS))
def test_a_preset_sets_every_widget_and_starts_playing(preset):
    # Hungarian: AppTest formats option labels outside the script run, where t() falls back
    # to the default language, so a set_value matches only the Hungarian labels.
    app = run_page(PAGE, lang="hu")
    app.pills(key=KEY + "preset").set_value(preset).run()
    assert_clean(app)
    points, critic, gan = ws.PRESETS[preset]
    assert widgets(app) == (points, critic, gan)
    assert ws.PointsConfig.from_query(app.query_params) == points
    assert ws.CriticConfig.from_query(app.query_params) == critic
    assert ws.GanConfig.from_query(app.query_params) == gan
    assert app.pills(key=KEY + "preset").value is None, "the chips show no choice afterwards"
    which = "gan" if points.kind == "disjoint" else "critic"
    other = "critic" if which == "gan" else "gan"
    assert playing(app) == which
    assert app.button(key=KEY + f"play_{which}").label == TEXTS["wasserstein.pause"]["hu"]
    assert app.button(key=KEY + f"play_{other}").label == TEXTS["wasserstein.play"]["hu"]
    assert shown_step(app, which, "hu") > 0, "the first frame has trained already"
    assert shown_step(app, other, "hu") == 0


def test_a_bookmarked_url_restores_its_configuration_in_a_fresh_session():
    query = {"set": "ring_vs_blob", "lip": "clip", "loss": "gan_minimax"}
    app = run_page(PAGE, query=query)
    assert_clean(app)
    assert app.segmented_control(key=KEY + "set").value == "ring_vs_blob"
    assert app.segmented_control(key=KEY + "constraint").value == "clip"
    assert app.segmented_control(key=KEY + "loss").value == "gan_minimax"
    assert app.slider(key=KEY + "points").value == ws.PointsConfig.points  # not in the URL
    assert widgets(app) == (ws.PointsConfig(kind="ring_vs_blob"),
                            ws.CriticConfig(constraint="clip"), ws.GanConfig(loss="gan_minimax"))
    trainers = app.session_state[KEY + "trainers"]
    assert trainers["critic"].config == ws.CriticConfig(constraint="clip")
    assert dict(app.query_params) == {**DEFAULT_QUERY, **query}
    assert shown_step(app, "critic", "en") == 0
    assert playing(app) is None


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_junk_in_the_url_falls_back_to_defaults_or_clamped_values(lang):
    app = run_page(PAGE, lang, query={"set": "nope", "n": "abc", "lam": "-5", "loss": "foo",
                                      "ncrit": "999"})
    assert_clean(app)
    # -5 is clamped to 0, below the penalty slider's choices: it shows the smallest of them.
    smallest_penalty = app.select_slider(key=KEY + "penalty").options[0]
    assert float(smallest_penalty) == 0.1
    assert widgets(app) == (ws.PointsConfig(), ws.CriticConfig(penalty=0.1),
                            ws.GanConfig(n_critic=20))
    assert dict(app.query_params) == {**DEFAULT_QUERY, "lam": "0.1", "ncrit": "20"}, \
        "the URL is cleaned"
    assert shown_step(app, "critic", lang) == 0
    assert shown_step(app, "gan", lang) == 0


@pytest.mark.parametrize("points", ["5", "450"])
def test_points_beyond_the_slider_are_clamped_to_it(points):
    app = run_page(PAGE, query={"n": points})
    assert_clean(app)
    assert app.slider(key=KEY + "points").value in (20, 400)


@pytest.mark.parametrize("lang", ["en", "hu"])
@pytest.mark.parametrize("which, other", [("critic", "gan"), ("gan", "critic")])
def test_one_step_advances_its_tab_only_and_reset_starts_it_again(which, other, lang):
    app = run_page(PAGE, lang=lang)
    assert shown_step(app, which, lang) == 0
    app.button(key=KEY + f"step_{which}").click().run()
    assert_clean(app)
    assert shown_step(app, which, lang) == 1
    app.button(key=KEY + f"step_{which}").click().run()
    assert shown_step(app, which, lang) == 2
    assert shown_step(app, other, lang) == 0, "the other tab did not move"
    assert playing(app) is None
    assert app.button(key=KEY + f"play_{which}").label == TEXTS["wasserstein.play"][lang]
    app.button(key=KEY + f"reset_{which}").click().run()
    assert_clean(app)
    assert shown_step(app, which, lang) == 0, "reset starts from scratch"


def test_a_step_while_playing_pauses():
    app = run_page(PAGE, lang="hu")
    app.button(key=KEY + "play_critic").click().run()
    assert playing(app) == "critic"
    played = shown_step(app, "critic", "hu")
    assert played > 0
    app.button(key=KEY + "step_critic").click().run()
    assert_clean(app)
    assert playing(app) is None
    assert shown_step(app, "critic", "hu") == played + 1
    assert app.button(key=KEY + "play_critic").label == TEXTS["wasserstein.play"]["hu"]


def test_resetting_the_gan_keeps_the_critic_tab_s_progress():
    app = run_page(PAGE, lang="en")
    app.button(key=KEY + "step_critic").click().run()
    app.button(key=KEY + "step_gan").click().run()
    app.button(key=KEY + "reset_gan").click().run()
    assert_clean(app)
    assert shown_step(app, "gan", "en") == 0
    assert shown_step(app, "critic", "en") == 1


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_your_own_points_train_once_each_set_has_one(lang):
    app = run_page(PAGE, lang, query={"set": "own"})
    assert not app.exception and app.query_params["set"] == "own"
    hint = TEXTS["wasserstein.place_hint"][lang]
    assert [element.value for element in app.info].count(hint) == 3  # every tab says how
    assert not app.metric and shown_step(app, "critic", lang) is None

    app.session_state[KEY + "placed"] = {"mu": [(-1.0, 0.0), (-1.0, 0.5)],
                                         "nu": [(1.0, 0.0), (1.0, 0.5)]}
    app.run()
    assert not app.exception
    assert float(app.metric[0].value) == pytest.approx(2.0, abs=1e-3)  # each point moves 2
    assert shown_step(app, "critic", lang) == 0
    app.button(key=KEY + "step_critic").click().run()
    assert shown_step(app, "critic", lang) == 1

    app.button(key=KEY + "clear").click().run()
    assert not app.metric and shown_step(app, "critic", lang) is None
